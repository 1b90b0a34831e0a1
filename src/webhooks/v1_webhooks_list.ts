import { createRoute } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { listWebhooks } from "./queries.js";
import { ListWebhooksResponse, MAX_WEBHOOKS_PER_TEAM, toWebhook } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "listWebhooks",
  method: "get",
  path: "/v1/ai-gateway/webhooks",
  tags: ["Webhooks"],
  summary: "List webhook endpoints",
  description:
    "Any member (DEVELOPER included). Oldest first, disabled ones too (with `disabledReason` when Tollgate disabled it). Never a signing secret. " +
    `One page: a team holds at most ${MAX_WEBHOOKS_PER_TEAM} endpoints, so \`pagination.next\` is always null.`,
  security: bearerSecurity,
  request: { query: TeamQuerySchema },
  responses: { 200: json(ListWebhooksResponse, "The team's endpoints."), ...errorResponses(400, 401, 403) },
});

export const listWebhooksRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "read");
  const rows = await listWebhooks(c.get("deps").db, scope.team.id);
  return c.json({ webhooks: rows.map(toWebhook), pagination: { count: rows.length, next: null, prev: null } }, 200);
});
