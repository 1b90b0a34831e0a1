import type { z } from "@hono/zod-openapi";

export const bearerSecurity = [{ bearerToken: [] as string[] }];

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** A required JSON body: validated whatever the Content-Type (a non-JSON type is a 400). */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export const noContent = (description: string) => ({ description });
