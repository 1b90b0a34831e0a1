import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { updateRuleForCaller } from "./mutations.js";
import { chainError400, RuleIdParam, RulePatchFields, RuleSchema, toRule } from "./schemas.js";
import { UPDATE_RULE_DESCRIPTION } from "./v1_rules_update.js";
import { apiRoute } from "../http/route.js";

export const UpdateRuleByIdRequest = z.strictObject(RulePatchFields).openapi("UpdateRuleByIdRequest");

export const route = createRoute({
  operationId: "updateRuleById",
  method: "patch",
  path: "/v1/ai-gateway/rules/{ruleId}",
  tags: ["Routing rules"],
  summary: "Update a routing rule (REST style)",
  description: UPDATE_RULE_DESCRIPTION,
  security: bearerSecurity,
  request: { params: RuleIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateRuleByIdRequest) },
  responses: {
    200: json(RuleSchema, "The updated rule."),
    ...errorResponses(400, 401, 403, 404, 409, 413, 422),
    ...chainError400("the change would form a rewrite cycle or a chain of more than 10 rewrites."),
  },
});

export const updateRuleByIdRoute = apiRoute(route, async (c) => {
  const rule = await updateRuleForCaller(c, c.req.valid("param").ruleId, c.req.valid("query"), c.req.valid("json"));
  return c.json(toRule(rule), 200);
});
