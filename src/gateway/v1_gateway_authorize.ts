import { createRoute, z } from "@hono/zod-openapi";
import { keyStatus } from "../api-keys/schemas.js";
import { requireGateway } from "../http/auth.js";
import type { App } from "../http/context.js";
import { ApiError, errorResponses, forbidden, unauthorized } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { microsToDollars } from "../quotas/money.js";
import { effectiveSpend, isExceeded, quotaEntityId, quotaSummary } from "../quotas/state.js";
import { modelIdSchema } from "../rules/model-id.js";
import { ruleChainError } from "../rules/queries.js";
import { resolveModel, RuleChainInvalidError } from "../rules/resolve.js";
import { registerFastJsonRoute, validJson } from "../http/validate.js";
import { QuotaSummarySchema } from "./schemas.js";

/** `activeAt` is written at most once a minute per key, not on every authorize. */
export const ACTIVE_AT_GRANULARITY_MS = 60_000;

export const AuthorizeRequest = z
  .strictObject({
    credential: z.string().min(1).max(4096).openapi({ description: "The gateway API key (`tgk_…`) the end user presented." }),
    model: modelIdSchema.openapi({ description: "The model requested, `provider/model`.", example: "openai/gpt-5" }),
  })
  .openapi("AuthorizeRequest");

export const AuthorizeResponse = z
  .object({
    teamId: z.string(),
    projectId: z.string().nullable(),
    keyId: z.string().nullable(),
    requestedModel: z.string(),
    model: z.string().openapi({ description: "The model to call, after routing rules." }),
    appliedRuleIds: z.array(z.string()),
    quotas: z.array(QuotaSummarySchema).openapi({ description: "Every budget in scope: the key's, the team's, the project's, the key creator's." }),
    credentials: z.array(z.record(z.string(), z.unknown())).openapi({ description: "BYOK provider credentials, decrypted, in order (none configured yet: empty)." }),
    fallbackToSystem: z.literal(true),
  })
  .openapi("AuthorizeResponse");
export type AuthorizeResponse = z.infer<typeof AuthorizeResponse>;

export const route = createRoute({
  operationId: "gatewayAuthorize",
  method: "post",
  path: "/v1/gateway/authorize",
  tags: ["Gateway"],
  summary: "May this credential call this model?",
  description: [
    "For the gateway service token only. Checks, in order: the key (401 `unauthorized` for an unknown, malformed, deleted or leaked key);",
    "its status (403 `API key is inactive` / `API key has expired`); the key's model allow-list, applied to the requested model",
    "(403 `Model '<m>' is not allowed for this API key`); the team's routing rules (403 `Request denied by a routing rule.` with",
    "`param.ruleId` and `param.reason`; 400 `rule_chain_invalid`); then every budget in scope (402 `quota_for_entity_exceeded` when any",
    "is spent). Budgets are soft caps: a request admitted here is always recorded by usage, even if it crosses the limit.",
  ].join(" "),
  security: bearerSecurity,
  request: { body: jsonBody(AuthorizeRequest) },
  responses: {
    200: json(AuthorizeResponse, "Allowed: which model to call and with which credentials."),
    ...errorResponses(400, 401, 402, 403, 413),
  },
});

export const registerGatewayAuthorize = (app: App) =>
  registerFastJsonRoute(app, route, async (c) => {
    requireGateway(c);
    const { credential, model } = await validJson(c, AuthorizeRequest);
    const { gateway, clock, log } = c.get("deps");
    const now = clock.now();

    // Cache hits come back synchronously; await only a database read.
    const found = gateway.keyByCredential(credential);
    const key = found instanceof Promise ? await found : found;
    if (!key) throw unauthorized("Invalid API key.");
    const status = keyStatus(key, now);
    if (status === "leaked") throw unauthorized("Invalid API key.");
    if (status === "deactivated") throw forbidden("API key is inactive");
    if (status === "expired") throw forbidden("API key has expired");
    if (key.models.length > 0 && !key.models.includes(model)) throw forbidden(`Model '${model}' is not allowed for this API key`);

    let resolution;
    try {
      const rules = gateway.teamRules(key.teamId);
      resolution = resolveModel(rules instanceof Promise ? await rules : rules, model);
    } catch (err) {
      if (err instanceof RuleChainInvalidError) throw ruleChainError(err);
      throw err;
    }
    if (resolution.denied) {
      throw new ApiError(403, "forbidden", "Request denied by a routing rule.", {
        param: { ruleId: resolution.denied.ruleId, reason: resolution.denied.reason },
      });
    }

    const subject = { teamId: key.teamId, keyId: key.id, projectId: key.projectId, userId: key.createdBy };
    const loaded = gateway.quotaStates(subject, now);
    const states = loaded instanceof Promise ? await loaded : loaded;
    const spent = states.find(isExceeded);
    if (spent) {
      throw new ApiError(402, "quota_for_entity_exceeded", `The ${spent.entity.scopeType.replace("_", " ")} budget is spent for this period.`, {
        param: {
          scope: spent.entity.scopeType,
          quotaEntityId: quotaEntityId(spent.entity),
          limitAmount: microsToDollars(spent.budget.limitMicros),
          currentSpend: microsToDollars(effectiveSpend(spent)),
          periodEnd: spent.periodEnd,
        },
      });
    }

    gateway.touch(key, now, ACTIVE_AT_GRANULARITY_MS, (e) => log.error("activeAt update failed", { keyId: key.id, error: String(e) }));

    return c.json(
      {
        teamId: key.teamId,
        projectId: key.projectId,
        keyId: key.id,
        requestedModel: resolution.requestedModel,
        model: resolution.model,
        appliedRuleIds: resolution.appliedRuleIds,
        quotas: states.map(quotaSummary),
        credentials: [],
        fallbackToSystem: true as const,
      },
      200,
    );
  });
