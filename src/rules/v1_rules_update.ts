import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { updateRuleForCaller } from "./mutations.js";
import { chainError400, RuleIdSchema, RulePatchFields, RuleSchema, toRule } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const UPDATE_RULE_DESCRIPTION = [
  "OWNER or MEMBER. Changes `enabled`, `description` and/or `action`; `type` and `match` cannot change (delete and create instead). At least one field is required (400 otherwise).",
  "`action` replaces the whole action (a field left out becomes null) and is re-validated against the rule's type: a rewrite without `rewriteModel`, or a deny with one, is 400.",
  "Enabling a rule is 409 `conflict` (with `conflictingRuleId`) when another enabled rule of the team has the same `match.model` (enforced by a unique index).",
  "400 `rule_chain_invalid` when the change (a new target, or enabling a rule) would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites. Disabling is never refused: if it uncovers such a chain, resolve and authorize report it with 400 `rule_chain_invalid`.",
  "A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Sets `updatedBy`/`updatedAt`; writes an audit event `rule.update` with the changes.",
].join("\n\n");

export const UpdateRuleRequest = z
  .strictObject({ ruleId: RuleIdSchema, ...RulePatchFields })
  .openapi("UpdateRuleRequest");

export const route = createRoute({
  operationId: "updateRule",
  method: "patch",
  path: "/v1/ai-gateway/rules",
  tags: ["Routing rules"],
  summary: "Update a routing rule (Vercel style: `ruleId` in the body)",
  description: UPDATE_RULE_DESCRIPTION,
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateRuleRequest) },
  responses: {
    200: json(RuleSchema, "The updated rule."),
    ...errorResponses(400, 401, 403, 404, 409, 413, 422),
    ...chainError400("the change would form a rewrite cycle or a chain of more than 10 rewrites."),
  },
});

export const updateRuleRoute = apiRoute(route, async (c) => {
  const { ruleId, ...patch } = c.req.valid("json");
  const rule = await updateRuleForCaller(c, ruleId, c.req.valid("query"), patch);
  return c.json(toRule(rule), 200);
});
