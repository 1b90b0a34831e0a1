import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { keyStatus, type ApiKeyRow } from "../api-keys/schemas.js";
import { GatewayCredentialSchema } from "../byok/schemas.js";
import { looksLikeJwt } from "../http/auth.js";
import { dataPlaneRoute, type DataPlaneDeps } from "../http/data-plane.js";
import { ApiError, errorResponses, forbidden, unauthorized } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { microsToDollars } from "../quotas/money.js";
import { effectiveSpend, quotaEntityId, type Subject } from "../quotas/state.js";
import type { VerifiedToken } from "../oidc/tokens.js";
import { MODEL_ID_RE, modelIdSchema } from "../rules/model-id.js";
import { ruleChainError } from "../rules/access.js";
import { resolveModelCached, RuleChainInvalidError, type CompiledRules, type Resolution } from "../rules/resolve.js";
import { RATE_LIMIT_RESPONSE, rateLimitError } from "../ratelimit/errors.js";
import { subjectOfRow, type QuotaView } from "./state.js";
import { QuotaSummarySchema } from "./schemas.js";

/** `activeAt` is written at most once a minute per key, not on every authorize. */
export const ACTIVE_AT_GRANULARITY_MS = 60_000;

const MAX_CREDENTIAL_LENGTH = 4096;

export const AuthorizeRequest = z
  .strictObject({
    credential: z
      .string()
      .min(1)
      .max(MAX_CREDENTIAL_LENGTH)
      .openapi({ description: "The gateway API key (`tgk_…`) or the project OIDC token (a JWT from `POST /v1/projects/{id}/oidc-token`) the end user presented." }),
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
    credentials: z.array(GatewayCredentialSchema).openapi({
      description:
        "The team's enabled BYOK credentials for the resolved model's provider (after routing rules) that this key may use (`apiKeyIds` empty, or naming the key), decrypted, in the team's order: try them first, then the system credentials.",
    }),
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
    "is spent); then the key's rate limits (429 `rate_limit_exceeded` with `Retry-After` and `param {limit, remaining, resetAt}`).",
    "Budgets are soft caps: a request admitted here is always recorded by usage, even if it crosses the limit.",
    "A project OIDC token is accepted as `credential` too: verified (ES256 signature, `iss`, `aud`, `nbf`, `exp`), its project must",
    "still exist (else 401, as for any bad token, with no detail); the team's rules and the team's and project's budgets apply;",
    "`keyId` is null, and only BYOK credentials not restricted to particular keys are returned.",
  ].join(" "),
  security: bearerSecurity,
  request: { body: jsonBody(AuthorizeRequest) },
  responses: {
    200: json(AuthorizeResponse, "Allowed: which model to call and with which credentials."),
    ...errorResponses(400, 401, 402, 403, 413),
    429: RATE_LIMIT_RESPONSE,
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
    return a instanceof Promise ? a.then((x) => render(c, deps, x)) : render(c, deps, a);
  },
});

/** Who an allowed request is for: a gateway key, or a verified project OIDC token (no key). */
export type Caller = ApiKeyRow | VerifiedToken;

/**
 * What authorize decided for an allowed request: whose it is, which model to call and the budgets
 * in scope. The route writes it as `AuthorizeResponse` (with the BYOK credentials); the gateway's
 * proxy (src/proxy) uses it in-process.
 */
export type Authorized = { caller: Caller; resolution: Resolution; quotas: QuotaView };

/** The key BYOK credentials are restricted by: the caller's key, or null for an OIDC token. */
export const callerKeyId = (caller: Caller): string | null => ("digest" in caller ? caller.id : null);

/** Whose spend the caller's requests count against. */
export const subjectOfCaller = (caller: Caller): Subject =>
  "digest" in caller ? subjectOfRow(caller) : { teamId: caller.teamId, keyId: null, projectId: caller.projectId, userId: null };

/**
 * Authorize's checks (see the route's description), in-process: the decision, or the `ApiError`
 * it refuses with (thrown). Synchronous on a warm cache; a promise when a step needs the database
 * (or a rate-limited key's counters).
 */
export function authorizeCredential(deps: DataPlaneDeps, { credential, model }: { credential: string; model: string }): Authorized | Promise<Authorized> {
  const step: Step = { deps, model, now: deps.clock.now() };
  if (looksLikeJwt(credential)) return withToken(step, credential);
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
type Step = { deps: DataPlaneDeps; model: string; now: number };

function withKey(step: Step, key: ApiKeyRow | undefined): Authorized | Promise<Authorized> {
  const { model, now } = step;
  checkKeyStatus(key, now);
  if (key.models.length > 0 && !key.models.includes(model)) throw forbidden(`Model '${model}' is not allowed for this API key`);
  const rules = step.deps.gateway.teamRules(key.teamId);
  return rules instanceof Promise ? rules.then((r) => withRules(step, key, r)) : withRules(step, key, rules);
}

/** An OIDC token's steps: verified (cached until it expires), its project still live, then rules and budgets as for a key. */
function withToken(step: Step, token: string): Authorized | Promise<Authorized> {
  const t = step.deps.tokens.verify(token, step.now);
  return t instanceof Promise ? t.then((v) => withTokenProject(step, v)) : withTokenProject(step, t);
}

function withTokenProject(step: Step, t: VerifiedToken | undefined): Authorized | Promise<Authorized> {
  if (!t) throw invalidToken();
  const team = step.deps.gateway.projectTeam(t.projectId);
  return team instanceof Promise ? team.then((tm) => withTokenRules(step, t, tm)) : withTokenRules(step, t, team);
}

function withTokenRules(step: Step, t: VerifiedToken, projectTeam: string | undefined): Authorized | Promise<Authorized> {
  if (projectTeam !== t.teamId) throw invalidToken();
  const rules = step.deps.gateway.teamRules(t.teamId);
  return rules instanceof Promise ? rules.then((r) => withRules(step, t, r)) : withRules(step, t, rules);
}

const invalidToken = () => unauthorized("Invalid or expired token.");

function withRules(step: Step, caller: Caller, rules: CompiledRules): Authorized | Promise<Authorized> {
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
  const quotas = step.deps.gateway.quotaView(caller, step.now);
  return quotas instanceof Promise ? quotas.then((q) => answer(step, caller, resolution, q)) : answer(step, caller, resolution, quotas);
}

function answer({ deps, now }: Step, caller: Caller, resolution: Resolution, quotas: QuotaView): Authorized | Promise<Authorized> {
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
  // Keys without a rate limit pay one test here; a limited key's counters are a promise away.
  if ("digest" in caller) {
    if (caller.rateLimitRpm !== null || caller.rateLimitTpm !== null) {
      return deps.rateLimits.check(caller, now).then((refused) => {
        if (refused) throw rateLimitError(refused);
        deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
        return { caller, resolution, quotas };
      });
    }
    deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
  }
  return { caller, resolution, quotas };
}

/** The route's answer: the JSON pieces, then the BYOK credentials the caller may use (from the gateway cache). */
function render(c: Context, deps: DataPlaneDeps, { caller, resolution, quotas }: Authorized): Response | Promise<Response> {
  const head = ("digest" in caller ? keyJson(caller) : caller.piece) + resolutionJson(resolution) + quotas.json;
  const credentials = deps.gateway.byokJson(deps, caller.teamId, resolution.model, callerKeyId(caller));
  return typeof credentials === "string"
    ? ok(c, deps, withCredentials(head, credentials))
    : credentials.then((json) => ok(c, deps, withCredentials(head, json)));
}

/** A plain header object keeps @hono/node-server on its fastest path (c.body with two headers builds a Headers). */
const ok = (c: Context, deps: DataPlaneDeps, body: string) =>
  new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": deps.requestId(c) } });

/** The answer's end: the credentials array and the constant tail (one constant when there are none). */
const withCredentials = (head: string, credentials: string) =>
  credentials === "[]" ? head + NO_CREDENTIALS_END : head + CREDENTIALS + credentials + ANSWER_END;

/**
 * The answer's JSON text, in `AuthorizeResponse`'s field order, in five pieces: the key's fields
 * (`{"teamId":…,"projectId":…,"keyId":…`), the routing result's (`,"requestedModel":…,"model":…,
 * "appliedRuleIds":[…],"quotas":`), the quotas array, the BYOK credentials array (after
 * `,"credentials":`; see `GatewayState.byokJson`), and the constant end. Each piece is
 * `JSON.stringify` output with its braces trimmed, so the whole is valid JSON.
 */
const keyPieces = new WeakMap<ApiKeyRow, string>();
const resolutionPieces = new WeakMap<Resolution, string>();
const CREDENTIALS = `,"credentials":` satisfies `,"${keyof AuthorizeResponse}":`;
const ANSWER_END = `,${JSON.stringify({ fallbackToSystem: true } satisfies Pick<AuthorizeResponse, "fallbackToSystem">).slice(1)}`;
const NO_CREDENTIALS_END = `,${JSON.stringify({ credentials: [], fallbackToSystem: true } satisfies Pick<AuthorizeResponse, "credentials" | "fallbackToSystem">).slice(1)}`;

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
