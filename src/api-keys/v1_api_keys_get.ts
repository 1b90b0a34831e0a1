import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { IdParamSchema, TeamQuerySchema } from "../http/schemas.js";
import { loadKeyQuotas } from "../quotas/budgets.js";
import { loadKeyForCaller } from "./access.js";
import { ApiKeySchema, toApiKey } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const GetApiKeyResponse = z.object({ apiKey: ApiKeySchema }).openapi("GetApiKeyResponse");
export type GetApiKeyResponse = z.infer<typeof GetApiKeyResponse>;

export const KeyIdParam = IdParamSchema("key", "key_01jd7y2m3n4p5q6r7s8t9v0w1x");

export const route = createRoute({
  operationId: "getApiKey",
  method: "get",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Get a gateway API key",
  description: "Any member. A deleted key, or one of a team you cannot see, is 404.",
  security: bearerSecurity,
  request: { params: KeyIdParam, query: TeamQuerySchema },
  responses: { 200: json(GetApiKeyResponse, "The key (never its secret)."), ...errorResponses(400, 401, 403, 404) },
});

export const getApiKeyRoute = apiRoute(route, async (c) => {
  const key = await loadKeyForCaller(c, c.req.valid("param").id, c.req.valid("query"), "read");
  const { db, clock } = c.get("deps");
  const now = clock.now();
  const quotas = await loadKeyQuotas(db, key.teamId, [key.id], now);
  return c.json({ apiKey: toApiKey(key, now, quotas.get(key.id) ?? null) }, 200);
});
