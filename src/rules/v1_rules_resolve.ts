import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { modelIdSchema } from "./model-id.js";
import { ruleChainError } from "./access.js";
import { loadTeamRules } from "./queries.js";
import { resolveModel, RuleChainInvalidError } from "./resolve.js";
import { chainError400 } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ResolveRulesRequest = z
  .strictObject({
    // `.describe` (plain zod), not `.openapi`: model-id.ts may be loaded before @hono/zod-openapi
    // extends zod, and then its schemas have no `.openapi` method.
    model: modelIdSchema.describe("The model a client would ask for (`provider/model`, not a wildcard)."),
  })
  .openapi("ResolveRulesRequest");

export const ResolveRulesResponse = z
  .object({
    requestedModel: z.string().openapi({ example: "openai/gpt-4o" }),
    model: z.string().openapi({ description: "The model after every rewrite; when denied, the model at which the deny matched.", example: "openai/gpt-5" }),
    appliedRuleIds: z.array(z.string()).openapi({ description: "Rewrite rules applied, in order, then the deny rule last when denied." }),
    denied: z
      .object({ ruleId: z.string(), reason: z.string().nullable() })
      .nullable()
      .openapi({ description: "The deny rule that would refuse the request, with its reason; null when allowed." }),
  })
  .openapi("ResolveRulesResponse");
export type ResolveRulesResponse = z.infer<typeof ResolveRulesResponse>;

export const route = createRoute({
  operationId: "resolveRules",
  method: "post",
  path: "/v1/ai-gateway/rules/resolve",
  tags: ["Routing rules"],
  summary: "Dry-run the routing rules for a model",
  description: [
    "Any member (DEVELOPER included: nothing is written). Runs the same resolver the gateway's authorize uses, over the team's enabled rules (disabled rules are skipped).",
    "An exact `match.model` wins over `provider/*`; rewrites chain, at most 10 of them; a rewrite to the current model (e.g. `openai/*` -> `openai/gpt-5` seen from `openai/gpt-5`) ends the chain without counting. A deny anywhere on the chain refuses: reported here in `denied` with 200 (authorize answers 403 `forbidden` with `param.ruleId` and the reason).",
    "A rewrite cycle or an 11th rewrite is 400 `rule_chain_invalid` with `kind` and `chain` (normally caught when the rules are written).",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(ResolveRulesRequest) },
  responses: {
    200: json(ResolveRulesResponse, "What the rules do to this model."),
    ...errorResponses(400, 401, 403, 409, 413, 422),
    ...chainError400("the team's enabled rules form a rewrite cycle, or need more than 10 rewrites, for this model."),
  },
});

export const resolveRulesRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "read");
  const { model } = c.req.valid("json");
  const compiled = await loadTeamRules(c.get("deps").db, scope.team.id);
  try {
    return c.json(resolveModel(compiled, model), 200);
  } catch (err) {
    if (err instanceof RuleChainInvalidError) throw ruleChainError(err);
    throw err;
  }
});
