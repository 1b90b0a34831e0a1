import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { loadRuleForCaller } from "./access.js";
import { RuleIdParam, RuleSchema, toRule } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "getRule",
  method: "get",
  path: "/v1/ai-gateway/rules/{ruleId}",
  tags: ["Routing rules"],
  summary: "Get a routing rule",
  description:
    "Any member (REST-style companion of the Vercel routes). A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.",
  security: bearerSecurity,
  request: { params: RuleIdParam, query: TeamQuerySchema },
  responses: { 200: json(RuleSchema, "The rule."), ...errorResponses(400, 401, 403, 404) },
});

export const getRuleRoute = apiRoute(route, async (c) => {
  const rule = await loadRuleForCaller(c, c.req.valid("param").ruleId, c.req.valid("query"), "read");
  return c.json(toRule(rule), 200);
});
