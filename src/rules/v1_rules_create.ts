import { createRoute, z } from "@hono/zod-openapi";
import { transact } from "../events/transact.js";
import { actorOf, writeAudit } from "../audit/write.js";
import { creatorId, resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { newId } from "../lib/ids.js";
import { checkAction } from "./mutations.js";
import { guardedRuleWrite, rethrowEnabledConflict } from "./access.js";
import { countTeamRules, insertRule } from "./queries.js";
import {
  chainError400,
  DescriptionSchema,
  MAX_RULES_PER_TEAM,
  RULE_TYPES,
  RuleActionInput,
  RuleMatchInput,
  RuleSchema,
  toRule,
} from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CreateRuleRequest = z
  .strictObject({
    type: z.enum(RULE_TYPES).openapi({ description: "`rewrite` replaces the model, `deny` refuses the request." }),
    match: RuleMatchInput.openapi({ description: "`model`: an exact `provider/model` id, or `provider/*` for every model of a provider." }),
    action: RuleActionInput.optional().openapi({ description: "Required for a rewrite (`rewriteModel`); optional for a deny (`reason`)." }),
    description: DescriptionSchema.nullable().optional(),
  })
  .openapi("CreateRuleRequest");

export const route = createRoute({
  operationId: "createRule",
  method: "post",
  path: "/v1/ai-gateway/rules",
  tags: ["Routing rules"],
  summary: "Create a routing rule",
  description: [
    "OWNER or MEMBER. The new rule is enabled. A `rewrite` needs `action.rewriteModel` (a `provider/model` id); a `deny` must not have one and may carry a `reason`.",
    "An exact `match.model` wins over `provider/*`; a rewrite to a model the chain continues from is looked up again (at most 10 rewrites).",
    "409 `conflict` (with `conflictingRuleId`) when an enabled rule of the team already has the same `match.model` (`openai/gpt-4o` and `openai/*` do not conflict); this is enforced by a unique index, so two concurrent creates cannot both win.",
    "400 `rule_chain_invalid` when the new rule would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites for some model (checked at write time so configuration errors surface here, not on live traffic).",
    `A team holds at most ${MAX_RULES_PER_TEAM} rules (409 past that). The response is the bare Rule, as in Vercel's API. Writes an audit event \`rule.create\`.`,
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(CreateRuleRequest) },
  responses: {
    201: json(RuleSchema, "The new rule."),
    ...errorResponses(400, 401, 403, 409, 413, 422),
    ...chainError400("the new rule would form a rewrite cycle or a chain of more than 10 rewrites."),
  },
});

export const createRuleRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "write");
  const body = c.req.valid("json");
  const action = checkAction(body.type, body.action);
  const deps = c.get("deps");
  const { db, clock } = deps;
  const now = clock.now();
  const teamId = scope.team.id;
  const userId = creatorId(scope.principal);
  try {
    const row = await transact(deps, (tx, publish) =>
      guardedRuleWrite(tx, teamId, publish, async () => {
        if ((await countTeamRules(tx, teamId)) >= MAX_RULES_PER_TEAM) {
          throw conflict(`A team holds at most ${MAX_RULES_PER_TEAM} routing rules: delete one first.`);
        }
        const row = await insertRule(tx, {
          id: newId("rule"),
          teamId,
          type: body.type,
          matchModel: body.match.model,
          rewriteModel: action.rewriteModel,
          reason: action.reason,
          enabled: true,
          description: body.description ?? null,
          createdBy: userId,
          updatedBy: userId,
          createdAt: now,
          updatedAt: now,
        });
        await writeAudit(tx, {
          teamId,
          actor: actorOf(scope.principal),
          action: "rule.create",
          target: { type: "rule", id: row.id },
          data: { type: row.type, matchModel: row.matchModel, action },
          at: now,
        });
        return row;
      }),
    );
    return c.json(toRule(row), 201);
  } catch (err) {
    return rethrowEnabledConflict(db, err, teamId, body.match.model);
  }
});
