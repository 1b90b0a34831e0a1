import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema, TeamQuerySchema } from "../http/schemas.js";
import { loadKeyQuotas } from "../quotas/budgets.js";
import { listLiveKeys } from "./queries.js";
import { ApiKeySchema, toApiKey } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ListApiKeysQuery = TeamQuerySchema.extend(PageQuerySchema.shape).extend({
  purpose: z.literal("ai-gateway").optional().openapi({ description: "Only `ai-gateway` exists; accepted for Vercel compatibility." }),
});

export const ListApiKeysResponse = z.object({ apiKeys: z.array(ApiKeySchema), pagination: PaginationSchema }).openapi("ListApiKeysResponse");
export type ListApiKeysResponse = z.infer<typeof ListApiKeysResponse>;

export const route = createRoute({
  operationId: "listApiKeys",
  method: "get",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "List gateway API keys",
  description: "Newest first; deleted keys are not listed. Secrets are never returned.",
  security: bearerSecurity,
  request: { query: ListApiKeysQuery },
  responses: { 200: json(ListApiKeysResponse, "A page of keys."), ...errorResponses(400, 401, 403) },
});

export const listApiKeysRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const cursor = decodeCursor(q.until);
  const { db, clock } = c.get("deps");
  const rows = await listLiveKeys(db, scope.team.id, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  const now = clock.now();
  const quotas = await loadKeyQuotas(db, scope.team.id, page.map((k) => k.id), now);
  return c.json({ apiKeys: page.map((k) => toApiKey(k, now, quotas.get(k.id) ?? null)), pagination }, 200);
});
