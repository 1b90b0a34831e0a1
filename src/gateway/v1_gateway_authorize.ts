import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { keyStatus, type ApiKeyRow } from "../api-keys/schemas.js";
import type { Deps } from "../http/context.js";
import { dataPlaneRoute } from "../http/data-plane.js";
import { ApiError, errorResponses, forbidden, unauthorized } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { microsToDollars } from "../quotas/money.js";
import { effectiveSpend, quotaEntityId } from "../quotas/state.js";
import { MODEL_ID_RE, modelIdSchema } from "../rules/model-id.js";
import { ruleChainError } from "../rules/queries.js";
import { resolveModelCached, RuleChainInvalidError, type CompiledRules, type Resolution } from "../rules/resolve.js";
import type { QuotaView } from "./state.js";
import { QuotaSummarySchema } from "./schemas.js";

/** `activeAt` is written at most once a minute per key, not on every authorize. */
export const ACTIVE_AT_GRANULARITY_MS = 60_000;

const MAX_CREDENTIAL_LENGTH = 4096;

export const AuthorizeRequest = z
  .strictObject({
    credential: z.string().min(1).max(MAX_CREDENTIAL_LENGTH).openapi({ description: "The gateway API key (`tgk_…`) the end user presented." }),
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

/**
 * Authorize runs before every request a gateway serves. On a warm cache it answers synchronously
 * (no promise, no database), and its answer is assembled from JSON pieces rendered once: the key's
 * (per cached key row), the routing result's (per rule set and model), the budgets' (per view, see
 * `GatewayState.quotaView`). Each step takes its input synchronously when cached, or continues once
 * a database read brings it.
 */
export const gatewayAuthorize = dataPlaneRoute({
  route,
  body: AuthorizeRequest,
  accept: isPlainAuthorizeRequest,
  handle(c, input, deps) {
    const a = authorizeCredential(deps, input);
    return a instanceof Promise ? a.then((x) => render(c, x)) : render(c, a);
  },
});

/** A BYOK provider credential as authorize returns it (decrypted). */
export type ProviderCredential = { id: string; provider: string; name: string; credentials: Record<string, unknown> };

/**
 * What authorize decided for an allowed request: whose it is, which model to call, the budgets in
 * scope, and the BYOK credentials to call it with (none configured yet: empty). The route writes it
 * as `AuthorizeResponse`; the gateway's proxy (src/proxy) uses it in-process.
 */
export type Authorized = { key: ApiKeyRow; resolution: Resolution; quotas: QuotaView; credentials: ProviderCredential[] };

/**
 * Authorize's checks (see the route's description), in-process: the decision, or the `ApiError`
 * it refuses with (thrown). Synchronous on a warm cache; a promise when a step needs the database.
 */
export function authorizeCredential(deps: Deps, { credential, model }: { credential: string; model: string }): Authorized | Promise<Authorized> {
  const step: Step = { deps, model, now: deps.clock.now() };
  const key = deps.gateway.keyByCredential(credential);
  return key instanceof Promise ? key.then((k) => withKey(step, k)) : withKey(step, key);
}

/** 401/403 unless the key may make requests at all (before any model check). */
export function checkKeyStatus(key: ApiKeyRow | undefined, now: number): asserts key is ApiKeyRow {
  if (!key) throw unauthorized("Invalid API key.");
  const status = keyStatus(key, now);
  if (status === "leaked") throw unauthorized("Invalid API key.");
  if (status === "deactivated") throw forbidden("API key is inactive");
  if (status === "expired") throw forbidden("API key has expired");
}

/**
 * The quick test for the body every gateway sends: exactly `credential` and `model`, both strings
 * that `AuthorizeRequest` accepts as they are. Anything else goes through the schema.
 */
export function isPlainAuthorizeRequest(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  let fields = 0;
  for (const k in body) {
    if (k !== "credential" && k !== "model") return false;
    fields++;
  }
  const { credential, model } = body as Record<string, unknown>;
  return (
    fields === 2 &&
    typeof credential === "string" &&
    credential.length >= 1 &&
    credential.length <= MAX_CREDENTIAL_LENGTH &&
    typeof model === "string" &&
    MODEL_ID_RE.test(model)
  );
}

/** One authorize request, as it goes through its steps. */
type Step = { deps: Deps; model: string; now: number };

function withKey(step: Step, key: ApiKeyRow | undefined): Authorized | Promise<Authorized> {
  const { model, now } = step;
  checkKeyStatus(key, now);
  if (key.models.length > 0 && !key.models.includes(model)) throw forbidden(`Model '${model}' is not allowed for this API key`);
  const rules = step.deps.gateway.teamRules(key.teamId);
  return rules instanceof Promise ? rules.then((r) => withRules(step, key, r)) : withRules(step, key, rules);
}

function withRules(step: Step, key: ApiKeyRow, rules: CompiledRules): Authorized | Promise<Authorized> {
  let resolution: Resolution;
  try {
    resolution = resolveModelCached(rules, step.model);
  } catch (err) {
    if (err instanceof RuleChainInvalidError) throw ruleChainError(err);
    throw err;
  }
  if (resolution.denied) {
    throw new ApiError(403, "forbidden", "Request denied by a routing rule.", {
      param: { ruleId: resolution.denied.ruleId, reason: resolution.denied.reason },
    });
  }
  const quotas = step.deps.gateway.quotaView(key, step.now);
  return quotas instanceof Promise ? quotas.then((q) => answer(step, key, resolution, q)) : answer(step, key, resolution, quotas);
}

function answer({ deps, now }: Step, key: ApiKeyRow, resolution: Resolution, quotas: QuotaView): Authorized {
  const spent = quotas.exceeded;
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
  deps.gateway.touch(key, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
  return { key, resolution, quotas, credentials: NO_CREDENTIALS };
}

const NO_CREDENTIALS: ProviderCredential[] = [];

function render(c: Context, { key, resolution, quotas }: Authorized): Response {
  return c.body(keyJson(key) + resolutionJson(resolution) + quotas.json + ANSWER_END, 200, JSON_HEADERS);
}

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * The answer's JSON text, in `AuthorizeResponse`'s field order, in four pieces: the key's fields
 * (`{"teamId":…,"projectId":…,"keyId":…`), the routing result's (`,"requestedModel":…,"model":…,
 * "appliedRuleIds":[…],"quotas":`), the quotas array, and the constant end. Each piece is
 * `JSON.stringify` output with its braces trimmed, so the whole is valid JSON.
 */
const keyPieces = new WeakMap<ApiKeyRow, string>();
const resolutionPieces = new WeakMap<Resolution, string>();
const ANSWER_END = `,${JSON.stringify({ credentials: [], fallbackToSystem: true } satisfies Pick<AuthorizeResponse, "credentials" | "fallbackToSystem">).slice(1)}`;

function keyJson(key: ApiKeyRow): string {
  let piece = keyPieces.get(key);
  if (piece === undefined) {
    piece = JSON.stringify({ teamId: key.teamId, projectId: key.projectId, keyId: key.id } satisfies Partial<AuthorizeResponse>).slice(0, -1);
    keyPieces.set(key, piece);
  }
  return piece;
}

function resolutionJson(r: Resolution): string {
  let piece = resolutionPieces.get(r);
  if (piece === undefined) {
    const fields = { requestedModel: r.requestedModel, model: r.model, appliedRuleIds: r.appliedRuleIds } satisfies Partial<AuthorizeResponse>;
    piece = `,${JSON.stringify(fields).slice(1, -1)},"quotas":`;
    resolutionPieces.set(r, piece);
  }
  return piece;
}
