import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { deleteRuleForCaller } from "./mutations.js";
import { RuleIdSchema } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const DELETE_RULE_DESCRIPTION = [
  "OWNER or MEMBER. Deletes the rule for good (to keep it, disable it instead); a second DELETE is 404.",
  "Never refused for what it uncovers: if removing a deny (or an exact rule that shadowed a `provider/*` rewrite) exposes a rewrite cycle or a chain of more than 10 rewrites, resolve and authorize answer 400 `rule_chain_invalid` for the models on it until the rules are fixed.",
  "A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Writes an audit event `rule.delete`.",
].join("\n\n");

export const route = createRoute({
  operationId: "deleteRule",
  method: "delete",
  path: "/v1/ai-gateway/rules",
  tags: ["Routing rules"],
  summary: "Delete a routing rule (Vercel style: `?ruleId=`)",
  description: DELETE_RULE_DESCRIPTION,
  security: bearerSecurity,
  request: {
    query: TeamQuerySchema.extend({ ruleId: RuleIdSchema.openapi({ description: "The `rule_…` id to delete." }) }),
    headers: IdempotencyHeaderSchema,
  },
  responses: {
    204: noContent("Deleted."),
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

export const deleteRuleRoute = apiRoute(route, async (c) => {
  const { ruleId, ...team } = c.req.valid("query");
  await deleteRuleForCaller(c, ruleId, team);
  return c.body(null, 204, { "content-type": "application/json" });
});
