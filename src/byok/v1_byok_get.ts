import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { IdParamSchema, TeamQuerySchema } from "../http/schemas.js";
import { loadCredentialForCaller } from "./access.js";
import { CredentialResponse, toCredential } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CredentialIdParam = IdParamSchema("cred", "cred_01jd7y2m3n4p5q6r7s8t9v0w1x");

export const route = createRoute({
  operationId: "getByokCredential",
  method: "get",
  path: "/v1/ai-gateway/byok/{id}",
  tags: ["BYOK"],
  summary: "Get a provider credential (BYOK)",
  description: "Any member. No secret: only `hint`. A credential of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.",
  security: bearerSecurity,
  request: { params: CredentialIdParam, query: TeamQuerySchema },
  responses: { 200: json(CredentialResponse, "The credential, without secrets."), ...errorResponses(400, 401, 403, 404) },
});

export const getCredentialRoute = apiRoute(route, async (c) => {
  const row = await loadCredentialForCaller(c, c.req.valid("param").id, c.req.valid("query"), "read");
  return c.json({ credential: toCredential(row) }, 200);
});
