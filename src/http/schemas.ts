import { z } from "@hono/zod-openapi";

export const TeamQuerySchema = z.object({
  teamId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "The team to act on. Optional when the token is scoped to exactly one team.", example: "team_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
  slug: z.string().min(1).max(64).optional().openapi({ description: "The team's slug, instead of `teamId`." }),
});

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ description: "Page size, 1 to 100.", example: 20 }),
  until: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Cursor from `pagination.next` of the previous page." }),
});

export const PaginationSchema = z
  .object({
    count: z.number().int().openapi({ description: "Items in this page." }),
    next: z.string().nullable().openapi({ description: "Pass as `?until=` for the next page; null on the last page." }),
    prev: z.null().openapi({ description: "Always null: pages are walked forwards." }),
  })
  .openapi("Pagination");

export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      description:
        "Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token.",
    }),
});

export const IdParamSchema = (prefix: string, example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name: "id", in: "path" }, description: `The \`${prefix}_…\` id.`, example }),
  });

/** Millisecond timestamp in a response. */
export const Millis = z.number().int().openapi({ description: "Milliseconds since the Unix epoch.", example: 1767225600000 });
