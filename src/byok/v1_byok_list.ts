import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { PROVIDERS } from "./providers.js";
import { listCredentials } from "./queries.js";
import { ListCredentialsResponse, MAX_CREDENTIALS_PER_TEAM, ORDER_TEXT, toCredential } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ListCredentialsQuery = TeamQuerySchema.extend({
  provider: z.enum(PROVIDERS).optional().openapi({ description: "Only this provider's credentials." }),
});

export const route = createRoute({
  operationId: "listByokCredentials",
  method: "get",
  path: "/v1/ai-gateway/byok",
  tags: ["BYOK"],
  summary: "List provider credentials (BYOK)",
  description: [
    "Any member (DEVELOPER included). Disabled credentials are listed too. No secret is ever returned: only `hint`.",
    `Sorted by provider, then in each provider's order. ${ORDER_TEXT}`,
    `One page: a team holds at most ${MAX_CREDENTIALS_PER_TEAM} credentials, so \`pagination.next\` is always null.`,
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: ListCredentialsQuery },
  responses: { 200: json(ListCredentialsResponse, "The team's credentials, without secrets."), ...errorResponses(400, 401, 403) },
});

export const listCredentialsRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const rows = await listCredentials(c.get("deps").db, scope.team.id, q.provider);
  return c.json({ credentials: rows.map(toCredential), pagination: { count: rows.length, next: null, prev: null } }, 200);
});
