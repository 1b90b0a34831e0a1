import type { RouteConfig } from "@hono/zod-openapi";
import type { z } from "@hono/zod-openapi";
import type { Context, Handler } from "hono";
import type { App, AppEnv } from "./context.js";
import { ApiError } from "./errors.js";
import { zodParams } from "./zod-params.js";

/**
 * The JSON body of a request validated against `schema`, with the same 400 envelope as every
 * other route (`bad_request` with `params`). For the data-plane routes, which skip the generic
 * validator middleware chain (see `registerFastJsonRoute`).
 */
export async function validJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  if (!/^application\/([\w.-]+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new ApiError(400, "bad_request", "Content-Type must be application/json.");
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "bad_request", "Invalid request body: Malformed JSON in request body");
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(400, "bad_request", "Invalid request body.", { params: zodParams(result.error.issues) });
  return result.data;
}

/**
 * Registers a POST route whose only input is a JSON body: documented from its `createRoute`
 * config (so the OpenAPI document cannot drift), validated in the handler with `validJson`.
 * Used on the gateway's hot path, where the generic validator chain costs a measurable share of
 * each request.
 */
export function registerFastJsonRoute(app: App, route: RouteConfig & { method: "post" }, handler: Handler<AppEnv>): void {
  app.openAPIRegistry.registerPath(route);
  app.post(route.path, handler);
}
