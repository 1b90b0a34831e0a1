import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { deleteRuleForCaller } from "./mutations.js";
import { RuleIdParam } from "./schemas.js";
import { DELETE_RULE_DESCRIPTION } from "./v1_rules_delete.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "deleteRuleById",
  method: "delete",
  path: "/v1/ai-gateway/rules/{ruleId}",
  tags: ["Routing rules"],
  summary: "Delete a routing rule (REST style)",
  description: DELETE_RULE_DESCRIPTION,
  security: bearerSecurity,
  request: { params: RuleIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema },
  responses: {
    204: noContent("Deleted."),
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

export const deleteRuleByIdRoute = apiRoute(route, async (c) => {
  await deleteRuleForCaller(c, c.req.valid("param").ruleId, c.req.valid("query"));
  return c.body(null, 204, { "content-type": "application/json" });
});
