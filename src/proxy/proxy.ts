import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { Agent, type Dispatcher } from "undici";
import type { Context } from "hono";
import { authorizeCredential, authorizeModel, callerKeyId, isModelRefusal, releaseAuthorized, type Authorized } from "../gateway/authorize.js";
import { countedTokens, worstCaseOf } from "../quotas/estimate.js";
import { bodyLimiter, requestHeaders, type BodyLimiter } from "../http/body-limit.js";
import { bearer } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { requireJsonContentType } from "../http/data-plane.js";
import { ApiError, apiErrorOf, badRequest, unauthorized } from "../http/errors.js";
import { parseJsonObject } from "../http/json-depth.js";
import { MODEL_ID_RE, MODEL_ID_MESSAGE } from "../rules/model-id.js";
import { reportCredentialFailing } from "../webhooks/credential-failing.js";
import { errorResponse } from "./errors.js";
import { Metering } from "./metering.js";
import { envPrefix, type ProviderApi, type ProviderSettings } from "./providers.js";
import { SseWatcher } from "./sse.js";
import { UsageTally } from "./usage.js";

/** Request bodies up to 10 MiB: prompts with long contexts and images are large, unlike the management API's. */
export const MAX_PROXY_BODY_BYTES = 10 * 1024 * 1024;

/** One of the gateway's surfaces: which API it speaks and the provider path it calls. */
export type Surface = {
  api: ProviderApi;
  /** Appended to the provider's base URL. */
  upstreamPath: string;
  /** OpenAI chat: asks for `stream_options.include_usage` on streams. */
  streamUsageOption: boolean;
  /** Free (token counting): the key, its allow-list and the rules are checked, but no budget or rate limit, and no usage is recorded. */
  free?: boolean;
};

export const CHAT: Surface = { api: "openai", upstreamPath: "/chat/completions", streamUsageOption: true };
export const EMBEDDINGS: Surface = { api: "openai", upstreamPath: "/embeddings", streamUsageOption: false };
/** OpenAI's Responses API: streams report their usage in the `response.completed` event, always. */
export const RESPONSES: Surface = { api: "openai", upstreamPath: "/responses", streamUsageOption: false };
export const MESSAGES: Surface = { api: "anthropic", upstreamPath: "/v1/messages", streamUsageOption: false };
/** Anthropic's token counting: the provider charges nothing for it, and neither does Tollgate. */
export const COUNT_TOKENS: Surface = { api: "anthropic", upstreamPath: "/v1/messages/count_tokens", streamUsageOption: false, free: true };

/** Upstream answer headers passed on to the client (rate limits, request ids, retry hints). */
const PASSED_HEADERS = /^(content-type|retry-after|x-request-id|request-id|openai-[\w-]+|anthropic-[\w-]+|x-ratelimit-[\w-]+)$/i;
/** Client request headers passed on to the provider. */
const FORWARDED_HEADERS = ["anthropic-version", "anthropic-beta"] as const;
const RETRYABLE_WITH_SYSTEM = (status: number) => status === 401 || status === 403 || status === 429 || status >= 500;

type Call = {
  surface: Surface;
  auth: Authorized;
  provider: ProviderSettings;
  /** The model called, `provider/model`, and its name at the provider. */
  model: string;
  upstreamModel: string;
  requestId: string;
  byok: boolean;
  /** OpenAI's `user` body field (chat completions, embeddings, responses), stored with the usage as its end user. */
  endUser: string | null;
};

/** The bearer token of an Authorization header, else `x-api-key` (what Anthropic clients send). */
export function credentialOf(c: Context, authorization: string | undefined): string | null {
  const token = bearer(authorization);
  if (token === "") throw unauthorized("Malformed Authorization header: expected `Bearer <gateway key>`.");
  return token ?? (c.req.header("x-api-key") || null);
}

/**
 * The gateway's OpenAI- and Anthropic-compatible routes: authorize in-process, call the resolved
 * model at its provider (BYOK credential first, then the system one), pass the answer through
 * (streams chunk by chunk), and record what it cost through the usage path.
 */
export class GatewayProxy {
  readonly metering: Metering;
  /** The body size limit per API (its 413 in that API's shape). */
  private readonly limits: Record<ProviderApi, BodyLimiter>;

  constructor(private readonly deps: DataPlaneDeps) {
    this.metering = new Metering(deps);
    const tooLarge = (api: ProviderApi) => (c: Context) =>
      errorResponse(api, new ApiError("payload_too_large", `Request body is over ${MAX_PROXY_BODY_BYTES / 1024 / 1024} MiB.`), { "x-request-id": deps.requestId(c) });
    this.limits = { openai: bodyLimiter(MAX_PROXY_BODY_BYTES, tooLarge("openai")), anthropic: bodyLimiter(MAX_PROXY_BODY_BYTES, tooLarge("anthropic")) };
  }

  /** A POST route for `surface`; every failure answers in its API's error shape. */
  handle(c: Context<AppEnv>, surface: Surface): Promise<Response> {
    const h = requestHeaders(c);
    return this.limits[surface.api](c, h, async () => {
      try {
        const credential = credentialOf(c, h.authorization);
        if (!credential) throw unauthorized("Missing API key: send your Tollgate gateway key as `Authorization: Bearer <key>`" + (surface.api === "anthropic" ? " or `x-api-key`." : "."));
        requireJsonContentType(h.contentType);
        const body = parseRequestBody(await c.req.text());
        const fallbacks = fallbackModels(body);
        if (fallbacks.length === 0) {
          const auth = authorizeCredential(this.deps, { credential, model: body.model as string, free: surface.free === true, estimate: () => worstCaseOf(body) });
          return await this.call(c, surface, body, auth instanceof Promise ? await auth : auth, []);
        }
        // Fallbacks: the first model the caller may call is authorized in full (key, budgets, rate
        // limits, counted once); a model its allow-list or rules refuse is skipped.
        const queue = [body.model as string, ...fallbacks];
        let refusal: unknown;
        while (queue.length > 0) {
          const model = queue.shift()!;
          let auth: Authorized;
          try {
            const a = authorizeCredential(this.deps, { credential, model, free: surface.free === true, estimate: () => worstCaseOf(body) });
            auth = a instanceof Promise ? await a : a;
          } catch (err) {
            if (!isModelRefusal(err)) throw err;
            refusal ??= err;
            this.deps.log.info("model refused by the key or the rules; trying the next of `models`", { requestId: this.deps.requestId(c), model });
            continue;
          }
          return await this.call(c, surface, body, auth, queue);
        }
        throw refusal;
      } catch (err) {
        return this.fail(surface.api, err, c);
      }
    });
  }

  /** A failure in `api`'s error shape, naming the request's id; anything not an ApiError is logged (with that id) and is a 500. */
  fail(api: ProviderApi, err: unknown, c: Context<AppEnv>): Response {
    const requestId = this.deps.requestId(c);
    return errorResponse(api, apiErrorOf(err, this.deps.log.child({ requestId }), c.req.path), { "x-request-id": requestId });
  }

  /** The provider and credentials for an authorized model; a 400 when it cannot be called on `surface`. */
  private async target(auth: Authorized, surface: Surface) {
    const model = auth.resolution.model;
    const slash = model.indexOf("/");
    const providerName = model.slice(0, slash);
    const provider = this.deps.config.providers[providerName];
    if (!provider) {
      throw badRequest(
        `Unknown provider '${providerName}' (model '${model}'). Known providers: ${Object.keys(this.deps.config.providers).join(", ")}.`,
        [{ path: "model", message: "unknown provider" }],
      );
    }
    if (provider.api !== surface.api) {
      throw badRequest(
        provider.api === "anthropic"
          ? `'${model}' is served by Anthropic's Messages API: call POST /v1/messages.`
          : `'${model}' is served by an OpenAI-compatible API: call POST /v1/chat/completions, /v1/responses or /v1/embeddings.`,
        [{ path: "model", message: "wrong API for this provider" }],
      );
    }
    const found = this.deps.gateway.byokCredentials(this.deps, auth.caller.teamId, model, callerKeyId(auth.caller));
    const credentials = found instanceof Promise ? await found : found;
    const byokKey = credentials[0]?.credentials.apiKey;
    const byok = typeof byokKey === "string" && byokKey.length > 0 ? byokKey : null;
    if (!byok && !provider.apiKey && !provider.keyless) {
      throw new ApiError(
        "provider_not_configured",
        `No credential for provider '${providerName}': add one for the team (POST /v1/ai-gateway/byok) or set ${envPrefix(providerName)}_API_KEY on the Tollgate server.`,
      );
    }
    return { model, providerName, provider, upstreamModel: model.slice(slash + 1), credentials, byok };
  }

  /** The next of `queue` the caller may call (its allow-list and rules), or null; refused models are skipped. */
  private async nextModel(first: Authorized, queue: string[], from: string, reason: string | number, requestId: string): Promise<Authorized | null> {
    while (queue.length > 0) {
      const model = queue.shift()!;
      try {
        const a = authorizeModel(this.deps, first, model);
        const next = a instanceof Promise ? await a : a;
        this.deps.log.info("model failed; falling back to the next of `models`", { requestId, from, to: next.resolution.model, reason });
        return next;
      } catch (err) {
        if (!isModelRefusal(err)) throw err;
        this.deps.log.info("fallback model refused by the key or the rules; skipped", { requestId, model });
      }
    }
    return null;
  }

  /**
   * Calls the authorized model; with fallbacks left in `queue`, a model that cannot be called here
   * (400), or whose provider answers 429 or 5xx, times out or cannot be reached (before anything
   * was sent to the client), gives way to the next one. When none is left, the last failure is the
   * answer (else the first refusal).
   */
  private async call(c: Context<AppEnv>, surface: Surface, body: Record<string, unknown>, first: Authorized, queue: string[]): Promise<Response> {
    const handoff = { stream: false };
    try {
      return await this.callModels(c, surface, body, first, queue, handoff);
    } finally {
      // What the request reserved at admission (hard budgets, tokensPerMinute) and did not spend goes
      // back: a no-op once its usage was recorded; a stream's is settled when it ends.
      if (!handoff.stream) releaseAuthorized(this.deps, first);
    }
  }

  private async callModels(
    c: Context<AppEnv>,
    surface: Surface,
    body: Record<string, unknown>,
    first: Authorized,
    queue: string[],
    handoff: { stream: boolean },
  ): Promise<Response> {
    const client = new ClientWatch(c);
    // The request's one id: its answer's x-request-id, its log line and its usage record.
    const requestId = this.deps.requestId(c);
    let auth: Authorized | null = first;
    let lastFailure: Response | ApiError | null = null;
    let refusal: unknown = null;
    for (; auth !== null; ) {
      let target: Awaited<ReturnType<GatewayProxy["target"]>>;
      try {
        target = await this.target(auth, surface);
      } catch (err) {
        // A model this surface cannot call (unknown or unconfigured provider, the other API): skipped when others follow.
        if (!(err instanceof ApiError && err.status === 400)) throw err;
        if (lastFailure === null && refusal === null && queue.length === 0) throw err;
        refusal ??= err;
        auth = await this.nextModel(first, queue, auth.resolution.model, err.code, requestId);
        continue;
      }
      const { model, providerName, provider, upstreamModel, credentials, byok } = target;

      const stream = body.stream === true;
      const out: Record<string, unknown> = { ...body, model: upstreamModel };
      if (out.models !== undefined) delete out.models;
      let dropUsageChunk = false;
      if (stream && surface.streamUsageOption) {
        const options = body.stream_options;
        const asked = options !== null && typeof options === "object" && (options as { include_usage?: unknown }).include_usage === true;
        if (!asked) {
          dropUsageChunk = true;
          out.stream_options = { ...(options !== null && typeof options === "object" ? options : {}), include_usage: true };
        }
      }
      const payload = JSON.stringify(out);
      const call: Call = { surface, auth, provider, model, upstreamModel, requestId, byok: false, endUser: endUserOf(surface, body) };

      // Upstream: aborted on a timeout (504) or when the client goes away.
      const upstream = new UpstreamCall();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        upstream.abort();
      }, this.deps.config.upstreamTimeoutMs);
      client.onGone(upstream);
      const done = () => {
        clearTimeout(timer);
        client.onGone(null);
      };

      let res: Dispatcher.ResponseData;
      try {
        const forwarded = forwardedHeaders(c, surface.api);
        const url = upstreamUrl(provider.baseUrl + surface.upstreamPath);
        const send = (key: string | null) => post(url, upstreamHeaders(surface.api, key, forwarded), payload, upstream);
        if (byok) {
          call.byok = true;
          res = await send(byok);
          if (RETRYABLE_WITH_SYSTEM(res.statusCode) && (provider.apiKey || provider.keyless)) {
            this.deps.log.info("BYOK credential failed; falling back to the system credential", { requestId: call.requestId, provider: providerName, status: res.statusCode });
            void reportCredentialFailing(this.deps, auth.caller.teamId, credentials[0]!, res.statusCode, model);
            res.body.dump().catch(() => {}); // the failed answer's body, discarded
            call.byok = false;
            res = await send(provider.apiKey);
          }
        } else {
          res = await send(provider.apiKey);
        }
      } catch (err) {
        done();
        const failure = this.upstreamError(call, err, timedOut, client.gone);
        if (client.gone || queue.length === 0) {
          // Sent, then no answer in time or the client left: charged its input, counted.
          if ((timedOut || client.gone) && !surface.free) this.metering.record(call.auth, call, new UsageTally(surface.api), countedTokens(body, ""));
          throw failure;
        }
        lastFailure = failure;
        auth = await this.nextModel(first, queue, model, failure.code, requestId);
        continue;
      }

      const headers = answerHeaders(res, call);
      const status = res.statusCode;
      if (status < 200 || status > 299) {
        // The provider's refusal or failure, passed through with its status (unless a fallback is left for a 429 or 5xx).
        let answer: Response | ApiError;
        try {
          answer = new Response(await readText(res), { status, headers });
        } catch (err) {
          answer = this.upstreamError(call, err, timedOut, client.gone);
        } finally {
          done();
        }
        const retryable = (status === 429 || status >= 500 || answer instanceof ApiError) && !client.gone;
        if (!retryable || queue.length === 0) {
          if (answer instanceof ApiError) throw answer;
          return answer;
        }
        lastFailure = answer;
        auth = await this.nextModel(first, queue, model, status, requestId);
        continue;
      }

      const tally = new UsageTally(surface.api);
      const isStream = stream && /^text\/event-stream/i.test(headers["content-type"] ?? "");
      if (!isStream) {
        let text: string;
        try {
          text = await readText(res);
        } catch (err) {
          // Cut off (the client left, or a timeout): charged what the provider reported, else its input, counted.
          if (!surface.free) this.metering.record(call.auth, call, tally, countedTokens(body, ""));
          throw this.upstreamError(call, err, timedOut, client.gone);
        } finally {
          done();
        }
        if (!surface.free) {
          try {
            tally.fromAnswer(JSON.parse(text));
          } catch {}
          this.metering.record(call.auth, call, tally, tally.seen ? undefined : countedTokens(body, text));
        }
        return new Response(text, { status, headers });
      }

      // A stream: each chunk goes on as it arrives; the timeout becomes an idle timeout between chunks.
      headers["cache-control"] = "no-cache";
      const watcher = new SseWatcher(tally, dropUsageChunk);
      const chunks = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      let finished = false;
      // What went to the client, kept until the end: a stream cut off is charged the output delivered.
      let delivered: Uint8Array[] = [];
      const finish = (complete: boolean) => {
        if (finished) return;
        finished = true;
        done();
        const sent = delivered;
        delivered = [];
        if (!surface.free) this.metering.record(call.auth, call, tally, complete && tally.seen ? undefined : countedTokens(body, () => Buffer.concat(sent).toString("utf8")));
      };
      const body$ = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            for (;;) {
              let next: IteratorResult<Buffer>;
              try {
                next = await chunks.next();
              } catch {
                if (timedOut && !client.gone) controller.enqueue(streamTimeoutEvent(surface.api, this.deps.config.upstreamTimeoutMs));
                finish(false);
                controller.close();
                return;
              }
              if (next.done) {
                const tail = watcher.flush();
                if (tail) controller.enqueue(tail);
                finish(true);
                controller.close();
                return;
              }
              timer.refresh();
              const piece = watcher.push(next.value);
              if (piece) {
                delivered.push(piece);
                controller.enqueue(piece);
                return;
              }
            }
          },
          cancel: () => {
            // The client went away: stop the provider too; what it reported so far is recorded.
            upstream.abort();
            finish(false);
          },
        },
        { highWaterMark: 0 },
      );
      handoff.stream = true;
      return new Response(body$, { status, headers });
    }
    // Every model failed or was refused: the last failure, else the first refusal.
    if (lastFailure instanceof Response) return lastFailure;
    throw lastFailure ?? refusal;
  }

  private upstreamError(call: Call, err: unknown, timedOut: boolean, clientGone: boolean): ApiError {
    if (timedOut) {
      return new ApiError("upstream_timeout", `${call.provider.name} did not answer within ${this.deps.config.upstreamTimeoutMs} ms.`);
    }
    if (clientGone) return new ApiError("client_closed_request", "The client closed the request.");
    const e = err as { code?: string; message?: string };
    return new ApiError("upstream_unavailable", `Could not reach ${call.provider.name} at ${call.provider.baseUrl} (${e.code ?? e.message}).`);
  }
}

/** At most this many models in a request's `models` (fallbacks). */
export const MAX_FALLBACK_MODELS = 10;

/**
 * The request body: a JSON object whose `model` is `provider/model`, with optional fallbacks
 * `models: [...]` (OpenRouter's convention; `model` may then be left out: the first of `models`).
 */
function parseRequestBody(text: string): Record<string, unknown> {
  const body = parseJsonObject(text);
  const { stream, models } = body;
  if (models !== undefined) {
    const ok = Array.isArray(models) && models.length >= 1 && models.length <= MAX_FALLBACK_MODELS && models.every((m) => typeof m === "string" && MODEL_ID_RE.test(m));
    if (!ok) {
      const message = `must be a list of 1 to ${MAX_FALLBACK_MODELS} \`provider/model\` ids, tried in order after \`model\``;
      throw badRequest(`\`models\` ${message}.`, [{ path: "models", message }]);
    }
    if (body.model === undefined) body.model = models[0];
  }
  const model = body.model;
  if (typeof model !== "string") throw badRequest("`model` is required: a `provider/model` id, e.g. `openai/gpt-4o-mini`.", [{ path: "model", message: "required" }]);
  if (!MODEL_ID_RE.test(model)) throw badRequest(`Invalid model '${model.slice(0, 200)}': ${MODEL_ID_MESSAGE}`, [{ path: "model", message: MODEL_ID_MESSAGE }]);
  if (stream !== undefined && typeof stream !== "boolean") throw badRequest("`stream` must be a boolean.", [{ path: "stream", message: "must be a boolean" }]);
  return body as Record<string, unknown>;
}

/** At most this many characters of an end user id are stored (as the AI SDK's `providerOptions.gateway.user`). */
const MAX_END_USER = 1000;

/** OpenAI's `user` field of the request, to store with the usage: a string of 1 to 1000 characters, else none (the provider gets it as sent). */
function endUserOf(surface: Surface, body: Record<string, unknown>): string | null {
  const user = body.user;
  return surface.api === "openai" && typeof user === "string" && user.length > 0 && user.length <= MAX_END_USER ? user : null;
}

/** The fallbacks of a request: its `models` after `model`, without repeats. */
function fallbackModels(body: Record<string, unknown>): string[] {
  const models = body.models as string[] | undefined;
  if (models === undefined) return [];
  return [...new Set(models)].filter((m) => m !== body.model);
}

function forwardedHeaders(c: Context, api: ProviderApi): [string, string][] {
  if (api !== "anthropic") return [];
  const out: [string, string][] = [];
  for (const name of FORWARDED_HEADERS) {
    const v = c.req.header(name);
    if (v) out.push([name, v]);
  }
  return out;
}

function upstreamHeaders(api: ProviderApi, key: string | null, forwarded: [string, string][]): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  if (api === "anthropic") {
    h["anthropic-version"] = "2023-06-01";
    if (key) h["x-api-key"] = key;
  } else if (key) {
    h.authorization = `Bearer ${key}`;
  }
  for (const [k, v] of forwarded) h[k] = v;
  return h;
}

function answerHeaders(res: Dispatcher.ResponseData, call: Call): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in res.headers) {
    if (!PASSED_HEADERS.test(name)) continue;
    const v = res.headers[name];
    if (v === undefined) continue;
    // The answer's x-request-id is Tollgate's (the usage record's); the provider's goes on beside it.
    headers[name === "x-request-id" ? "x-upstream-request-id" : name] = typeof v === "string" ? v : v.join(", ");
  }
  headers["x-request-id"] = call.requestId;
  headers["x-tollgate-request-id"] = call.requestId;
  headers["x-tollgate-model"] = call.model;
  return headers;
}

/**
 * Upstream calls go through undici's dispatcher API (keep-alive connection pools per provider
 * origin): about a quarter less CPU per call than node:http with a keep-alive agent in a bare proxy
 * (measured: 64 against 84 µs per proxied request), and several times less than `fetch`. No
 * `accept-encoding` is sent, so providers answer uncompressed and bodies pass through as they are.
 * Its own timeouts are off: the gateway's (TOLLGATE_UPSTREAM_TIMEOUT_MS) is the one that applies.
 */
export const dispatcher = new Agent({ keepAliveTimeout: 10_000, headersTimeout: 0, bodyTimeout: 0 });

/** A provider URL split as the dispatcher takes it, parsed once per URL (a gateway calls a handful). */
export type UpstreamUrl = { origin: string; path: string };
const upstreamUrls = new Map<string, UpstreamUrl>();

export function upstreamUrl(href: string): UpstreamUrl {
  let u = upstreamUrls.get(href);
  if (u === undefined) {
    const url = new URL(href);
    u = { origin: url.origin, path: url.pathname + url.search };
    if (upstreamUrls.size >= 1000) upstreamUrls.clear(); // bounded: providers come from the config
    upstreamUrls.set(href, u);
  }
  return u;
}

/**
 * One call to the provider (its BYOK retry included), to abort on a timeout or when the client
 * leaves: the dispatcher's signal, which then fails the request or cuts the answer's body.
 * An emitter rather than an AbortController per request (measurably cheaper).
 */
class UpstreamCall extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit("abort");
  }
}

function post(url: UpstreamUrl, headers: Record<string, string>, payload: string, call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  return dispatcher.request({ origin: url.origin, path: url.path, method: "POST", headers, body: payload, signal: call });
}

/**
 * Whether the client went away before its answer was written, and the upstream call to abort then.
 * On @hono/node-server, Node's ServerResponse closing unfinished says so (its request's `close`
 * only says the body was read); elsewhere (`app.request` in tests), the Request's signal.
 *
 * A class, not an object literal with a `get gone()`: V8 allocates a literal's accessor pair in the
 * old generation, where it kept every request's objects (its closure reached the ServerResponse)
 * alive through each young-generation collection until the next full one. That promoted about
 * 5 KB per proxied request and made each scavenge 6-9 ms instead of about 1 (docs/performance.md).
 */
class ClientWatch {
  gone = false;
  /** The call to abort if the client leaves (null: none now). */
  private call: UpstreamCall | null = null;

  constructor(c: Context) {
    const out = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    // Watched for the whole request (one listener, gone with the answer): a client that leaves between two calls is seen too.
    if (out !== undefined) {
      out.once("close", () => {
        if (!out.writableFinished) this.leave();
      });
    } else {
      const signal = c.req.raw.signal;
      if (signal.aborted) this.gone = true;
      else signal.addEventListener("abort", () => this.leave(), { once: true });
    }
  }

  onGone(next: UpstreamCall | null): void {
    this.call = next;
    if (this.gone) next?.abort();
  }

  private leave(): void {
    this.gone = true;
    this.call?.abort();
  }
}

/** The whole answer's text; rejects when it is cut (the provider closed early, or the call was aborted). */
function readText(res: Dispatcher.ResponseData): Promise<string> {
  return res.body.text();
}

const encoder = new TextEncoder();

/** The last event of a stream the provider stopped sending: an error in the API's streaming shape. */
function streamTimeoutEvent(api: ProviderApi, ms: number): Uint8Array {
  const message = `The provider sent nothing for ${ms} ms; the stream was cut.`;
  return encoder.encode(
    api === "anthropic"
      ? `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "timeout_error", message } })}\n\n`
      : `data: ${JSON.stringify({ error: { message, type: "timeout_error", param: null, code: "upstream_timeout" } })}\n\n`,
  );
}
