import { APICallError } from "@ai-sdk/provider";
import type { Context } from "hono";
import { z } from "zod";
import { authorizeCredential, authorizeModel, callerKeyId, isModelRefusal, releaseAuthorized, type Authorized, type EstimateInput } from "../gateway/authorize.js";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { ApiError, badRequest } from "../http/errors.js";
import { parseJsonObject } from "../http/json-depth.js";
import { MODEL_ID_MESSAGE, MODEL_ID_RE } from "../rules/model-id.js";
import type { Metering } from "../proxy/metering.js";
import { envPrefix, type ProviderSettings } from "../proxy/providers.js";
import { UsageTally } from "../proxy/usage.js";
import { countedTokens } from "../quotas/estimate.js";
import { reportCredentialFailing } from "../webhooks/credential-failing.js";
import { modelNotFound } from "./errors.js";

/** At most this many fallback models in `providerOptions.gateway.models`. */
export const MAX_FALLBACK_MODELS = 10;

const ModelId = z.string().regex(MODEL_ID_RE, MODEL_ID_MESSAGE);
const ProviderSlug = z.string().min(1).max(100);

/**
 * `providerOptions.gateway`, as `@ai-sdk/gateway` documents it (`GatewayProviderOptions`). What
 * Tollgate does with each: `models` (fallbacks), `byok` (request-scoped credentials), `only`
 * (providers allowed), `order` (accepted: a Tollgate model id names its one provider), `user` (the
 * app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters),
 * both stored with the usage (`usage_events.end_user`, `tags`: the tags in order, without repeats)
 * for `GET /v1/report?group_by=user|tag` and `GET /v1/ai-gateway/usage?groupBy=endUser|tag`.
 * Every other option of the hosted gateway is accepted and ignored.
 */
const GatewayOptionsSchema = z.looseObject({
  models: z
    .array(
      z.union([ModelId, z.looseObject({ model: z.string(), when: z.unknown() })]).refine((m) => typeof m === "string", {
        message: "conditional `{ model, when }` fallbacks apply to decision models only",
      }),
    )
    .max(MAX_FALLBACK_MODELS)
    .optional(),
  byok: z.record(ProviderSlug, z.array(z.record(z.string(), z.unknown())).max(10)).optional(),
  only: z.array(ProviderSlug).max(100).optional(),
  order: z.array(ProviderSlug).max(100).optional(),
  user: z.string().max(1000).optional(),
  tags: z.array(z.string().max(1000)).max(100).optional(),
});

export type GatewayOptions = {
  /** Fallbacks after the model of the request, without repeats. */
  models: string[];
  /** Request-scoped API keys per provider, tried before the team's. */
  byok: Record<string, string[]>;
  only: string[] | null;
  /** The app's end user (null: none, or empty). */
  user: string | null;
  /** The request's tags, in order, without repeats (null: none). */
  tags: string[] | null;
};

/**
 * The request body: a JSON object (the AI SDK's call options, or an embedding request), at most 64
 * levels deep. Its `providerOptions.gateway` is validated, taken out (it holds credentials and means
 * nothing to a provider) and returned.
 */
export function parseBody(text: string, modelId: string): { body: Record<string, unknown>; gateway: GatewayOptions } {
  const b = parseJsonObject(text);
  const po = b.providerOptions;
  if (po !== undefined && (po === null || typeof po !== "object" || Array.isArray(po))) {
    throw badRequest("`providerOptions` must be an object.", [{ path: "providerOptions", message: "must be an object" }]);
  }
  let raw: unknown;
  if (po) {
    const { gateway, ...rest } = po as Record<string, unknown>;
    raw = gateway;
    b.providerOptions = rest;
  }
  const parsed = GatewayOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const params = parsed.error.issues.map((i) => ({ path: ["providerOptions", "gateway", ...i.path].join("."), message: i.message }));
    throw badRequest(`Invalid providerOptions.gateway: ${params[0]!.path}: ${params[0]!.message}`, params);
  }
  const g = parsed.data;
  const byok: Record<string, string[]> = {};
  for (const [provider, list] of Object.entries(g.byok ?? {})) {
    const keys = list.map((cred) => cred.apiKey).filter((k): k is string => typeof k === "string" && k.length > 0);
    if (keys.length !== list.length) {
      throw badRequest(`providerOptions.gateway.byok.${provider}: each credential needs an \`apiKey\` string.`, [
        { path: `providerOptions.gateway.byok.${provider}`, message: "each credential needs an apiKey string" },
      ]);
    }
    byok[provider] = keys;
  }
  const models = [...new Set((g.models ?? []) as string[])].filter((m) => m !== modelId);
  const tags = g.tags?.some((t) => t.length > 0) ? [...new Set(g.tags.filter((t) => t.length > 0))] : null;
  return { body: b, gateway: { models, byok, only: g.only ?? null, user: g.user || null, tags } };
}

/** The model named by a header (`ai-language-model-id` or `ai-model-id`), or a 400. */
export function modelHeader(c: Context, name: string): string {
  const id = c.req.header(name);
  if (!id) throw badRequest(`Missing the \`${name}\` header: the \`provider/model\` to call (sent by \`@ai-sdk/gateway\`).`, [{ path: name, message: "required" }]);
  if (!MODEL_ID_RE.test(id)) throw badRequest(`Invalid model '${id.slice(0, 200)}': ${MODEL_ID_MESSAGE}`, [{ path: name, message: MODEL_ID_MESSAGE }]);
  return id;
}

/** 400 unless the request's specification version header, when sent, is this base path's. */
export function checkSpecVersion(c: Context, header: string, version: number): void {
  const v = c.req.header(header);
  if (v !== undefined && v !== String(version)) {
    throw badRequest(`This endpoint speaks specification version ${version} (\`${header}: ${v}\` sent): use the base path /v${v}/ai.`, [{ path: header, message: `must be ${version}` }]);
  }
}

/** A model to call, authorized, with its provider and the credentials to try in order. */
export type Target = {
  auth: Authorized;
  /** `provider/model` after the rules, and the provider's own name for it. */
  model: string;
  upstreamModel: string;
  provider: ProviderSettings;
  credentials: Credential[];
};

type Credential = { apiKey: string | null; byok: boolean; team?: { id: string; provider: string; name: string } };

/** How a call is metered (as the gateway's proxy meters its requests). */
export type Meter = {
  metering: Metering;
  /** The generation id, under which the usage is recorded. */
  requestId: string;
  /** The request's worst case for hard budgets and tokensPerMinute (`worstCaseOf`), worked out only when one is in scope. */
  estimate: () => EstimateInput;
  /** The request's input as the provider gets it (JSON): its text is counted for a call that got no usage back. */
  input: Record<string, unknown>;
  /** `providerOptions.gateway.user` and `tags` (`GatewayOptions`), stored with the usage. */
  endUser: string | null;
  tags: string[] | null;
};

/**
 * Records what a call cost (the admission's reservations become it): the provider's usage in
 * `tally`; with `answer` (a call the provider reported no usage for, or cut off), at least its
 * input and the output in `answer` counted with the tokenizer (`Metering.record`).
 */
export function recordCall(meter: Meter, target: Target, credential: Credential, tally: UsageTally, answer?: string | (() => string)): void {
  meter.metering.record(
    target.auth,
    { model: target.model, upstreamModel: target.upstreamModel, requestId: meter.requestId, byok: credential.byok, endUser: meter.endUser, tags: meter.tags },
    tally,
    answer === undefined ? undefined : countedTokens(meter.input, answer),
  );
}

/** What one attempt returned, with its abort controller (a stream keeps using it). */
export type Attempt<T> = { target: Target; credential: Credential; value: T; abort: AbortController; timer: NodeJS.Timeout; timedOut: () => boolean; clientGone: () => boolean; release: () => void };

const RETRY_WITH_NEXT_CREDENTIAL = (status: number) => status === 401 || status === 403 || status === 429 || status >= 500;

/**
 * Calls `modelId`, then its fallbacks: each model authorized (the first in full: key, allow-list,
 * rules, budgets, rate limits; the next ones for the allow-list and rules, the request counted
 * once), called with its credentials in order (request-scoped BYOK, the team's BYOK, the system
 * key; the next one on a 401, 403, 429 or 5xx), and given up for the next model on a 429, a 5xx, a
 * timeout or an unreachable provider. A model refused by the key or the rules, outside `only`, or
 * of an unknown or unconfigured provider is skipped when another follows. When every model failed,
 * the last failure is the answer (else the first refusal).
 *
 * The first authorize reserves the request's worst case (`meter.estimate`) on hard budgets and
 * tokensPerMinute. A call that returns hands the reservation to the caller, which records the
 * call's usage (`recordCall`); a call that fails releases it, except for a call sent and then cut
 * off (timeout, client gone), which is charged its input, counted (as the proxy charges it).
 */
export async function callWithFallbacks<T>(
  c: Context<AppEnv>,
  deps: DataPlaneDeps,
  credential: string,
  modelId: string,
  gateway: GatewayOptions,
  meter: Meter,
  call: (target: Target, apiKey: string | null, signal: AbortSignal) => PromiseLike<T>,
): Promise<Attempt<T>> {
  const admitted: { first: Authorized | null } = { first: null };
  try {
    return await callModels(c, deps, credential, modelId, gateway, meter, call, admitted);
  } catch (err) {
    // No answer to record: what the admission reserved goes back (a no-op once a cut-off call was charged).
    if (admitted.first) releaseAuthorized(deps, admitted.first);
    throw err;
  }
}

async function callModels<T>(
  c: Context<AppEnv>,
  deps: DataPlaneDeps,
  credential: string,
  modelId: string,
  gateway: GatewayOptions,
  meter: Meter,
  call: (target: Target, apiKey: string | null, signal: AbortSignal) => PromiseLike<T>,
  admitted: { first: Authorized | null },
): Promise<Attempt<T>> {
  const queue = [modelId, ...gateway.models];
  // The client leaving: Node's ServerResponse closing unfinished on @hono/node-server; elsewhere
  // (`app.request` in tests), the Request's signal. Not the signal on Node: reading it makes
  // @hono/node-server build a whole fetch Request per call, which fetch's own bookkeeping (weak
  // references) keeps alive through young-generation collections.
  const outgoing = (c.env as { outgoing?: NodeJS.EventEmitter & { writableFinished?: boolean; destroyed?: boolean } } | undefined)?.outgoing;
  const clientSignal = outgoing === undefined ? c.req.raw.signal : null;
  let refusal: unknown = null;
  let failure: unknown = null;
  while (queue.length > 0) {
    const model = queue.shift()!;
    let target: Target;
    try {
      const first = admitted.first;
      const a: Authorized | Promise<Authorized> = first === null ? authorizeCredential(deps, { credential, model, estimate: meter.estimate }) : authorizeModel(deps, first, model);
      const auth: Authorized = a instanceof Promise ? await a : a;
      admitted.first ??= auth;
      target = await resolveTarget(deps, auth, gateway);
    } catch (err) {
      // Refused by the key or the rules, or not callable here (unknown provider, outside `only`, no credential).
      const skippable = isModelRefusal(err) || (err instanceof ApiError && (err.status === 400 || err.status === 404));
      if (!skippable || (queue.length === 0 && failure === null && refusal === null)) throw err;
      refusal ??= err;
      deps.log.info("model refused or not callable; trying the next of `models`", { requestId: meter.requestId, model });
      continue;
    }

    for (let i = 0; i < target.credentials.length; i++) {
      const cred = target.credentials[i]!;
      const abort = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort(new Error("timeout"));
      }, deps.config.upstreamTimeoutMs);
      let gone = clientSignal ? clientSignal.aborted : outgoing!.destroyed === true && !outgoing!.writableFinished;
      const onGone = () => {
        if (outgoing && outgoing.writableFinished) return;
        gone = true;
        abort.abort(new Error("client gone"));
      };
      clientSignal?.addEventListener("abort", onGone, { once: true });
      outgoing?.once("close", onGone);
      const release = () => {
        clearTimeout(timer);
        clientSignal?.removeEventListener("abort", onGone);
        outgoing?.off("close", onGone);
      };
      try {
        const value = await call(target, cred.apiKey, abort.signal);
        return { target, credential: cred, value, abort, timer, timedOut: () => timedOut, clientGone: () => gone, release };
      } catch (err) {
        release();
        const status = APICallError.isInstance(err) ? err.statusCode : undefined;
        if (!timedOut && !gone && status !== undefined && RETRY_WITH_NEXT_CREDENTIAL(status) && i + 1 < target.credentials.length) {
          deps.log.info("BYOK credential failed; trying the next credential", { requestId: meter.requestId, provider: target.provider.name, status });
          if (cred.team) void reportCredentialFailing(deps, target.auth.caller.teamId, cred.team, status, target.model);
          continue;
        }
        const mapped = providerError(target, err, timedOut, gone);
        const fallback = !gone && (timedOut || status === undefined || status === 429 || status >= 500) && mapped.status >= 429;
        if (!fallback || queue.length === 0) {
          // Sent, then no answer in time or the client left: charged its input, counted.
          if (timedOut || gone) recordCall(meter, target, cred, new UsageTally(target.provider.api), "");
          throw mapped;
        }
        failure = mapped;
        deps.log.info("model failed; falling back to the next of `models`", { requestId: meter.requestId, from: target.model, reason: mapped.code });
        break;
      }
    }
  }
  throw failure ?? refusal;
}

/** The provider and credentials of an authorized model. */
async function resolveTarget(deps: DataPlaneDeps, auth: Authorized, gateway: GatewayOptions): Promise<Target> {
  const model = auth.resolution.model;
  const slash = model.indexOf("/");
  const providerName = model.slice(0, slash);
  const provider = deps.config.providers[providerName];
  if (!provider) {
    throw modelNotFound(model, `Model '${model}' not found: unknown provider '${providerName}'. Known providers: ${Object.keys(deps.config.providers).join(", ")}.`);
  }
  if (gateway.only && !gateway.only.includes(providerName)) {
    throw badRequest(`Model '${model}' is served by '${providerName}', which providerOptions.gateway.only leaves out.`, [{ path: "providerOptions.gateway.only", message: "excludes this provider" }]);
  }
  const credentials: Credential[] = (gateway.byok[providerName] ?? []).map((apiKey) => ({ apiKey, byok: true }));
  const found = deps.gateway.byokCredentials(deps, auth.caller.teamId, model, callerKeyId(auth.caller));
  const team = (found instanceof Promise ? await found : found)[0];
  const teamKey = team?.credentials.apiKey;
  if (team && typeof teamKey === "string" && teamKey.length > 0) credentials.push({ apiKey: teamKey, byok: true, team: { id: team.id, provider: team.provider, name: team.name } });
  if (provider.apiKey || provider.keyless) credentials.push({ apiKey: provider.apiKey, byok: false });
  if (credentials.length === 0) {
    throw new ApiError(
      "provider_not_configured",
      `No credential for provider '${providerName}': pass one in providerOptions.gateway.byok, add one for the team (POST /v1/ai-gateway/byok), or set ${envPrefix(providerName)}_API_KEY on the Tollgate server.`,
    );
  }
  return { auth, model, upstreamModel: model.slice(slash + 1), provider, credentials };
}

/** A provider call's failure as the answer to give. */
export function providerError(target: Pick<Target, "provider" | "model">, err: unknown, timedOut: boolean, clientGone: boolean): ApiError {
  const name = target.provider.name;
  if (timedOut) return new ApiError("upstream_timeout", `${name} did not answer within the upstream timeout.`);
  if (clientGone) return new ApiError("client_closed_request", "The client closed the request.");
  if (err instanceof ApiError) return err;
  if (APICallError.isInstance(err)) {
    const s = err.statusCode;
    const detail = err.message.slice(0, 500);
    if (s === undefined) return new ApiError("upstream_unavailable", `Could not reach ${name} at ${target.provider.baseUrl}: ${detail}`);
    if (s === 429) return new ApiError("rate_limit_exceeded", `${name} rate-limited the request: ${detail}`, {}, retryAfter(err));
    if (s === 401 || s === 403) return new ApiError("upstream_unavailable", `${name} refused the provider credential (${s}): ${detail}`);
    if (s === 404) return modelNotFound(target.model, `${name} does not know the model '${target.model}': ${detail}`);
    if (s >= 500) return new ApiError("upstream_unavailable", `${name} failed (${s}): ${detail}`);
    return new ApiError("bad_request", `${name} refused the request (${s}): ${detail}`);
  }
  // The AI SDK's own errors (an invalid prompt, an unsupported feature, a malformed option) are the caller's.
  if (err instanceof Error && /^AI_/.test(err.name)) return new ApiError("bad_request", err.message.slice(0, 1000));
  if (err instanceof Error && (err.name === "AbortError" || (err as { code?: string }).code === "ECONNREFUSED")) {
    return new ApiError("upstream_unavailable", `Could not reach ${name} at ${target.provider.baseUrl}.`);
  }
  throw err;
}

function retryAfter(err: APICallError): Record<string, string> {
  const v = err.responseHeaders?.["retry-after"];
  return v ? { "retry-after": v } : {};
}
