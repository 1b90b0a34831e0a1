/**
 * Authorize, the decision: may this credential call this model, which model after the team's rules,
 * and what the request holds until it ends. Every surface decides with it in-process: the route
 * `POST /v1/gateway/authorize` (v1_gateway_authorize.ts, which writes the answer as JSON), the
 * gateway's proxy (src/proxy) and the AI SDK's protocol (src/ai-sdk).
 */
import { keyStatus, type ApiKeyRow } from "../api-keys/schemas.js";
import { looksLikeJwt } from "../http/auth.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { ApiError, badRequest, forbidden, unauthorized } from "../http/errors.js";
import { worstCostMicros, worstTokens } from "../quotas/estimate.js";
import type { Reservation } from "../quotas/leases.js";
import type { TokenHold } from "../ratelimit/limits.js";
import { microsToDollars } from "../quotas/money.js";
import { effectiveSpend, quotaEntityId, type Subject } from "../quotas/state.js";
import type { VerifiedToken } from "../oidc/tokens.js";
import { ruleChainError } from "../rules/access.js";
import { resolveModelCached, RuleChainInvalidError, type CompiledRules, type Resolution } from "../rules/resolve.js";
import { rateLimitError } from "../ratelimit/errors.js";
import { subjectOfRow, type QuotaView } from "./state.js";

/** `activeAt` is written at most once a minute per key, not on every authorize. */
export const ACTIVE_AT_GRANULARITY_MS = 60_000;

/** Who an allowed request is for: a gateway key, or a verified project OIDC token (no key). */
export type Caller = ApiKeyRow | VerifiedToken;

/**
 * What authorize decided for an allowed request: whose it is, which model to call and the budgets
 * in scope. The route writes it as `AuthorizeResponse` (with the BYOK credentials); the gateway's
 * proxy (src/proxy) uses it in-process.
 */
export type Authorized = {
  caller: Caller;
  resolution: Resolution;
  quotas: QuotaView;
  /** What the request holds until it ends (hard budgets, `tokensPerMinute`): settle with `settleAuthorized`, or `releaseAuthorized`. */
  reservations?: Reservation[];
  tokens?: TokenHold | null;
  /** The request's worst case as given (a fallback model reserves for its own prices). */
  estimate?: EstimateInput | null;
};

/** A request's worst case as the caller knows it (see `worstTokens`). */
export type EstimateInput = { inputTokens?: number | undefined; maxOutputTokens?: number | undefined };

/**
 * Ends what an admitted request holds: its reservations become `costMicros` (recorded as spend by
 * the write `committed` waits for) and its reserved tokens become `tokens`. Idempotent.
 */
export function settleAuthorized(deps: DataPlaneDeps, auth: Authorized, costMicros: number, tokens: number, committed: Promise<unknown>): void {
  const rs = auth.reservations;
  if (rs) for (let i = 0; i < rs.length; i++) deps.gateway.leases.settle(rs[i]!, i === 0 ? costMicros : 0, committed);
  if (auth.tokens) {
    deps.rateLimits.settleTokens(auth.tokens, tokens, deps.clock.now());
    auth.tokens = null;
  }
}

/** Ends what a request that never reached a provider holds (nothing spent, no tokens). */
export function releaseAuthorized(deps: DataPlaneDeps, auth: Authorized): void {
  if (auth.reservations) for (const r of auth.reservations) deps.gateway.leases.release(r);
  if (auth.tokens) {
    deps.rateLimits.settleTokens(auth.tokens, 0, deps.clock.now());
    auth.tokens = null;
  }
}

/** The key BYOK credentials are restricted by: the caller's key, or null for an OIDC token. */
export const callerKeyId = (caller: Caller): string | null => ("digest" in caller ? caller.id : null);

/** Whose spend the caller's requests count against. */
export const subjectOfCaller = (caller: Caller): Subject =>
  "digest" in caller ? subjectOfRow(caller) : { teamId: caller.teamId, keyId: null, projectId: caller.projectId, userId: null };

/**
 * Authorize's checks (see the route's description in v1_gateway_authorize.ts), in-process: the
 * decision, or the `ApiError` it refuses with (thrown). Synchronous on a warm cache; a promise when
 * a step needs the database (or a rate-limited key's counters).
 */
export function authorizeCredential(
  deps: DataPlaneDeps,
  {
    credential,
    model,
    free = false,
    requestId,
    estimate,
  }: {
    credential: string;
    model: string;
    free?: boolean;
    requestId?: string | undefined;
    /** The request's worst case, or how to compute it (called only when a hard budget or a token limit needs it). */
    estimate?: EstimateInput | (() => EstimateInput) | undefined;
  },
  /** POST /v1/gateway/authorize: a reservation must be named by `requestId` (its body is passed as it is, not copied). */
  external = false,
): Authorized | Promise<Authorized> {
  const step: Step = { deps, model, now: deps.clock.now(), free, requestId, estimate, external };
  if (looksLikeJwt(credential)) return withToken(step, credential);
  const key = deps.gateway.keyByCredential(credential, step.now);
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

/** One authorize request, as it goes through its steps. */
/** `free`: a call that costs nothing (token counting): the key, allow-list and rules only; no budget refusal, no rate-limit count. */
type Step = {
  deps: DataPlaneDeps;
  model: string;
  now: number;
  free: boolean;
  requestId?: string | undefined;
  estimate?: EstimateInput | (() => EstimateInput) | undefined;
  external?: boolean;
};

function withKey(step: Step, key: ApiKeyRow | undefined): Authorized | Promise<Authorized> {
  const { model, now } = step;
  checkKeyStatus(key, now);
  if (key.models.length > 0 && !key.models.includes(model)) throw notAllowed(model);
  const rules = step.deps.gateway.teamRules(key.teamId);
  return rules instanceof Promise ? rules.then((r) => withRules(step, key, r)) : withRules(step, key, rules);
}

/**
 * An OIDC token's steps: verified (cached until it expires), its project still live, its signing
 * key not revoked, the member who minted it still a member under the same epoch (not removed, not
 * demoted), then rules and budgets as for a key. Each check reads the gateway cache.
 */
function withToken(step: Step, token: string): Authorized | Promise<Authorized> {
  const t = tokenCaller(step.deps, token, step.now);
  return t instanceof Promise ? t.then((v) => withTokenRules(step, v)) : withTokenRules(step, t);
}

/**
 * A project OIDC token as a caller, or 401: verified, its project still live, its signing key not
 * revoked, the member who minted it still a member under the same epoch. Synchronous on a warm
 * cache. Every surface that takes a token (authorize, the gateway's routes) decides with this.
 */
export function tokenCaller(deps: DataPlaneDeps, token: string, now: number): VerifiedToken | Promise<VerifiedToken> {
  const t = deps.tokens.verify(token, now);
  return t instanceof Promise ? t.then((v) => tokenProject(deps, v)) : tokenProject(deps, t);
}

function tokenProject(deps: DataPlaneDeps, t: VerifiedToken | undefined): VerifiedToken | Promise<VerifiedToken> {
  if (!t) throw invalidToken();
  const team = deps.gateway.projectTeam(t.projectId);
  return team instanceof Promise ? team.then((tm) => tokenSigningKey(deps, t, tm)) : tokenSigningKey(deps, t, team);
}

function tokenSigningKey(deps: DataPlaneDeps, t: VerifiedToken, projectTeam: string | undefined): VerifiedToken | Promise<VerifiedToken> {
  if (projectTeam !== t.teamId) throw invalidToken();
  const revoked = deps.gateway.oidcKeyRevoked(t.kid);
  return revoked instanceof Promise ? revoked.then((r) => tokenMinter(deps, t, r)) : tokenMinter(deps, t, revoked);
}

function tokenMinter(deps: DataPlaneDeps, t: VerifiedToken, revoked: boolean): VerifiedToken | Promise<VerifiedToken> {
  if (revoked) throw invalidToken();
  const minter = t.mintedBy;
  if (minter === null) return t;
  const epoch = deps.gateway.memberEpoch(t.teamId, minter.userId);
  const check = (e: string | null) => {
    if (e !== minter.epoch) throw invalidToken();
    return t;
  };
  return epoch instanceof Promise ? epoch.then(check) : check(epoch);
}

function withTokenRules(step: Step, t: VerifiedToken): Authorized | Promise<Authorized> {
  const rules = step.deps.gateway.teamRules(t.teamId);
  return rules instanceof Promise ? rules.then((r) => withRules(step, t, r)) : withRules(step, t, rules);
}

const invalidToken = () => unauthorized("Invalid or expired token.");

function withRules(step: Step, caller: Caller, rules: CompiledRules): Authorized | Promise<Authorized> {
  const resolution = resolveOrRefuse(rules, step.model);
  const quotas = step.deps.gateway.quotaView(caller, step.now);
  return quotas instanceof Promise ? quotas.then((q) => answer(step, caller, resolution, q)) : answer(step, caller, resolution, quotas);
}

function answer(step: Step, caller: Caller, resolution: Resolution, quotas: QuotaView): Authorized | Promise<Authorized> {
  const { deps, now, free } = step;
  if (free) {
    if ("digest" in caller) deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
    return { caller, resolution, quotas };
  }
  const spent = quotas.exceeded;
  if (spent) {
    throw new ApiError("quota_for_entity_exceeded", `The ${spent.entity.scopeType.replace("_", " ")} budget is spent for this period.`, {
      param: {
        scope: spent.entity.scopeType,
        quotaEntityId: quotaEntityId(spent.entity),
        limitAmount: microsToDollars(spent.budget.limitMicros),
        currentSpend: microsToDollars(effectiveSpend(spent)),
        periodEnd: spent.periodEnd,
      },
    });
  }
  // Without a hard budget or a rate limit: one test each here; the others reserve.
  const limited = "digest" in caller && (caller.rateLimitRpm !== null || caller.rateLimitTpm !== null);
  if (quotas.hard.length === 0 && !limited) {
    if ("digest" in caller) deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
    return { caller, resolution, quotas };
  }
  // The worst case is worked out only when a hard budget or a token limit needs it (counting input is not free).
  const needed = quotas.hard.length > 0 || ("digest" in caller && caller.rateLimitTpm !== null);
  const given = !needed ? null : typeof step.estimate === "function" ? step.estimate() : (step.estimate ?? null);
  if (quotas.hard.length === 0) return limit(step, caller, { caller, resolution, quotas, estimate: given });
  if (step.external && step.requestId === undefined) {
    throw badRequest("A hard budget is in scope of this key: give the request's `requestId` (its worst case is reserved under it until the usage report).", [
      { path: "requestId", message: "required when a hard budget is in scope" },
    ]);
  }
  const micros = worstCostMicros(deps.config.priceOverrides, resolution.model, worstTokens(resolution.model, given ?? {}), deps.clock);
  const r = deps.gateway.leases.reserve(caller.teamId, quotas.hard, micros, step.requestId ?? null, deps.clock);
  return r instanceof Promise
    ? r.then((res) => limit(step, caller, { caller, resolution, quotas, reservations: [res], estimate: given }))
    : limit(step, caller, { caller, resolution, quotas, reservations: [r], estimate: given });
}

/** The key's rate limits, with its worst-case tokens reserved on `tokensPerMinute` when they are known. */
function limit({ deps, now, external, requestId }: Step, caller: Caller, auth: Authorized): Authorized | Promise<Authorized> {
  if (!("digest" in caller)) return auth;
  if (caller.rateLimitRpm === null && caller.rateLimitTpm === null) {
    deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
    return auth;
  }
  const given = auth.estimate;
  const known = given != null && (given.inputTokens !== undefined || given.maxOutputTokens !== undefined);
  let tokens = 0;
  if (known && caller.rateLimitTpm !== null) {
    const w = worstTokens(auth.resolution.model, given);
    // A request whose worst case is more than the whole limit reserves the whole limit: it runs
    // alone in its window rather than never.
    tokens = Math.min(w.inputTokens + w.maxOutputTokens, caller.rateLimitTpm);
  }
  return deps.rateLimits.admit(caller, now, tokens).then(
    (r) => {
      if ("kind" in r) {
        releaseAuthorized(deps, auth);
        throw rateLimitError(r);
      }
      auth.tokens = r.reserved;
      if (r.reserved && external && requestId !== undefined) {
        // Kept under the requestId, for the usage report to settle.
        const held = auth.reservations?.[0] ?? deps.gateway.leases.reserve(caller.teamId, [], 0, requestId, deps.clock);
        if (!(held instanceof Promise)) held.tokens = r.reserved;
      }
      deps.gateway.touch(caller, now, ACTIVE_AT_GRANULARITY_MS, deps.log);
      return auth;
    },
    (err: unknown) => {
      releaseAuthorized(deps, auth);
      throw err;
    },
  );
}

/** The errors that refuse a model rather than the caller (see {@link isModelRefusal}). */
const modelRefusals = new WeakSet<object>();
const modelRefused = (err: ApiError): ApiError => {
  modelRefusals.add(err);
  return err;
};
const notAllowed = (model: string) => modelRefused(forbidden(`Model '${model}' is not allowed for this API key`));

/** The model after the team's rules; 403 when a rule denies it, 400 for a broken rule chain (both refusing the model). */
function resolveOrRefuse(rules: CompiledRules, model: string): Resolution {
  let resolution: Resolution;
  try {
    resolution = resolveModelCached(rules, model);
  } catch (err) {
    if (err instanceof RuleChainInvalidError) throw modelRefused(ruleChainError(err));
    throw err;
  }
  if (resolution.denied) {
    throw modelRefused(
      new ApiError("forbidden", "Request denied by a routing rule.", {
        param: { ruleId: resolution.denied.ruleId, reason: resolution.denied.reason },
      }),
    );
  }
  return resolution;
}

/**
 * Whether `err` refused the model asked for (outside the key's allow-list, denied by a routing
 * rule, a broken rule chain) rather than the caller: another model may still be allowed (the
 * gateway's fallbacks skip such a model).
 */
export const isModelRefusal = (err: unknown): boolean => typeof err === "object" && err !== null && modelRefusals.has(err);

/**
 * Another model for a caller already authorized (a gateway fallback): the key's allow-list and the
 * team's rules for `model`, with the budgets already checked and no second rate-limit count (it is
 * the same request). Throws what authorize would for that model.
 */
export function authorizeModel(deps: DataPlaneDeps, auth: Authorized, model: string): Authorized | Promise<Authorized> {
  const { caller } = auth;
  if ("digest" in caller && caller.models.length > 0 && !caller.models.includes(model)) throw notAllowed(model);
  const rules = deps.gateway.teamRules(caller.teamId);
  const next = (r: CompiledRules): Authorized | Promise<Authorized> => {
    const moved: Authorized = { ...auth, resolution: resolveOrRefuse(r, model) };
    if (!auth.reservations || auth.reservations.length === 0 || auth.quotas.hard.length === 0) return moved;
    // The worst case at this model's prices: what the reservations do not cover yet is reserved too.
    const micros = worstCostMicros(deps.config.priceOverrides, model, worstTokens(model, auth.estimate ?? {}), deps.clock);
    const extra = micros - auth.reservations.reduce((a, x) => a + x.micros, 0);
    if (extra <= 0) return moved;
    const add = (x: Reservation): Authorized => {
      auth.reservations!.push(x); // the same request: settled together
      return moved;
    };
    const more = deps.gateway.leases.reserve(caller.teamId, auth.quotas.hard, extra, null, deps.clock);
    return more instanceof Promise ? more.then(add) : add(more);
  };
  return rules instanceof Promise ? rules.then(next) : next(rules);
}
