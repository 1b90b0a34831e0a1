import { createRoute, z } from "@hono/zod-openapi";
import type { LanguageModelV4CallOptions, LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import type { Context } from "hono";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { requireJsonContentType } from "../http/data-plane.js";
import type { Metering } from "../proxy/metering.js";
import { UsageTally } from "../proxy/usage.js";
import { worstCaseOf } from "../quotas/estimate.js";
import { BASES, requireCredential, type SpecVersion } from "./caller.js";
import { callWithFallbacks, checkSpecVersion, modelHeader, parseBody, providerError, recordCall, type Attempt, type Meter, type Target } from "./call.js";
import { AiGatewayError } from "./errors.js";
import { languageModel } from "./models.js";
import { decodeCallOptions, partFor, toJson } from "./wire.js";

export const REFUSALS = {
  400: "Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`).",
  401: "Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`).",
  402: "A budget in the caller's scope is spent (`forbidden`, code `quota_for_entity_exceeded`, the message names the budget).",
  403: "Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`).",
  404: "Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`).",
  413: "Request body over 10 MiB.",
  429: "The key's rate limit, or the provider's (`rate_limit_exceeded`).",
  502: "The provider could not be reached, failed, or refused Tollgate's credential (`internal_server_error`).",
  504: "The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS` (`internal_server_error`).",
} as const;

export function refusals(statuses: (keyof typeof REFUSALS)[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: REFUSALS[s], content: { "application/json": { schema: AiGatewayError } } }]));
}

export const COMMON = [
  "The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`.",
  "Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package",
  "for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's",
  "`providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in",
  "order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000",
  "characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`.",
  "The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`.",
].join(" ");

const headers = (spec: SpecVersion) =>
  z.object({
    "ai-language-model-id": z.string().openapi({ description: "The model, `provider/model`.", example: "openai/gpt-4o-mini" }),
    "ai-language-model-streaming": z.enum(["true", "false"]).optional().openapi({ description: "`true`: answer with an SSE stream of stream parts." }),
    "ai-language-model-specification-version": z.literal(String(spec)).optional(),
  });

export const languageModelRoute = (spec: SpecVersion) =>
  createRoute({
    operationId: `aiSdkLanguageModelV${spec}`,
    method: "post",
    path: `${BASES[spec]}/language-model`,
    tags: ["AI SDK gateway protocol"],
    summary: `Run a language model call (specification version ${spec}: \`ai\` ${spec + 3})`,
    description: `${COMMON} The body is the AI SDK's call options (\`LanguageModelV${spec}CallOptions\`, file bytes base64). The answer is the generate result as JSON, or with \`ai-language-model-streaming: true\` an SSE stream of stream parts (\`data: <part JSON>\\n\\n\`). A client that disconnects aborts the provider call and is charged what the provider produced: its reported usage, else the input and the output delivered so far counted by tokenizer (never 0 once a provider was called). On a hard budget the call reserves its worst case (input by tokenizer, \`maxOutputTokens\` or the model's limit) and a call that does not fit is a 402.`,
    security: [{ gatewayKey: [] as string[] }],
    request: {
      headers: headers(spec),
      body: { required: true, content: { "application/json": { schema: z.looseObject({ prompt: z.array(z.unknown()) }).openapi({ example: { prompt: [{ role: "user", content: [{ type: "text", text: "Hello" }] }] } }) } } },
    },
    responses: {
      200: { description: "The generate result (`content`, `finishReason`, `usage`, `providerMetadata`, `warnings`), or `text/event-stream` of stream parts." },
      ...refusals([400, 401, 402, 403, 404, 413, 429, 502, 504]),
    },
  });

/** The tokens of a result's usage, by kind, as the usage records count them. */
export function tallyOf(usage: LanguageModelV4Usage | undefined): UsageTally {
  const t = new UsageTally("openai");
  if (!usage) return t;
  const i = usage.inputTokens ?? {};
  const o = usage.outputTokens ?? {};
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), 1e9) : 0);
  t.cacheReadTokens = n(i.cacheRead);
  t.cacheWriteTokens = n(i.cacheWrite);
  t.inputTokens = i.total != null ? n(i.total) : n(i.noCache) + t.cacheReadTokens + t.cacheWriteTokens;
  t.outputTokens = o.total != null ? n(o.total) : n(o.text) + n(o.reasoning);
  t.reasoningTokens = Math.min(n(o.reasoning), t.outputTokens);
  t.cacheReadTokens = Math.min(t.cacheReadTokens, t.inputTokens);
  t.cacheWriteTokens = Math.min(t.cacheWriteTokens, t.inputTokens - t.cacheReadTokens);
  t.seen = i.total != null || o.total != null || i.noCache != null;
  return t;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBodyText(c: Context): Promise<string> {
  requireJsonContentType(c.req.header("content-type"));
  const text = await c.req.text();
  return text;
}

export { MAX_BODY_BYTES };

/** The answer's headers: the generation id and the model called. */
export const answerHeaders = (requestId: string, target: Target, extra: Record<string, string> = {}) => ({
  "x-request-id": requestId,
  "x-tollgate-request-id": requestId,
  "x-tollgate-model": target.model,
  ...extra,
});

export async function handleLanguageModel(c: Context<AppEnv>, deps: DataPlaneDeps, metering: Metering, spec: SpecVersion): Promise<Response> {
  const credential = requireCredential(c);
  checkSpecVersion(c, "ai-language-model-specification-version", spec);
  const modelId = modelHeader(c, "ai-language-model-id");
  const streaming = c.req.header("ai-language-model-streaming") === "true";
  const { body, gateway } = parseBody(await readBodyText(c), modelId);
  const options = decodeCallOptions(body, spec) as unknown as LanguageModelV4CallOptions;
  const requestId = deps.requestId(c); // also the answer's x-request-id and the log line's id
  const wantsRaw = options.includeRawChunks === true;
  // The call's input as it came (file data as base64 text): what the provider reads.
  const input = { prompt: body.prompt, tools: body.tools, responseFormat: body.responseFormat };
  const meter: Meter = { metering, requestId, input, estimate: () => worstCaseOf(input, body.maxOutputTokens), endUser: gateway.user, tags: gateway.tags };

  if (!streaming) {
    const attempt = await callWithFallbacks(c, deps, credential, modelId, gateway, meter, (target, apiKey, signal) =>
      languageModel(target.provider, target.upstreamModel, apiKey).doGenerate({ ...options, abortSignal: signal }),
    );
    attempt.release();
    const { target, credential: used, value: result } = attempt;
    const tally = tallyOf(result.usage);
    // Without usage from the provider: its input and the answer's text, counted.
    recordCall(meter, target, used, tally, tally.seen ? undefined : () => toJson(result.content));
    return new Response(toJson(generateAnswer(result, spec, requestId, target)), {
      status: 200,
      headers: { "content-type": "application/json", ...answerHeaders(requestId, target) },
    });
  }

  // Raw chunks carry the provider's own usage events: the usage of a stream the client leaves
  // before its `finish` part is what the provider reported so far (as for the proxy's streams).
  const attempt = await callWithFallbacks(c, deps, credential, modelId, gateway, meter, (target, apiKey, signal) =>
    languageModel(target.provider, target.upstreamModel, apiKey).doStream({ ...options, includeRawChunks: true, abortSignal: signal }),
  );
  return streamAnswer(meter, attempt, spec, wantsRaw);
}

/** `providerMetadata.gateway`: the generation id (for `GET /v1/generation?id=`) and the model called. */
function withGatewayMetadata(meta: unknown, requestId: string, target: Target): Record<string, unknown> {
  return { ...(meta as Record<string, unknown> | undefined), gateway: { generationId: requestId, model: target.model } };
}

function generateAnswer(result: LanguageModelV4GenerateResult, spec: SpecVersion, requestId: string, target: Target) {
  return {
    content: result.content.map((p) => partFor(p as unknown as Record<string, unknown>, spec)).filter((p) => p !== null),
    ...(result.structuredOutputText !== undefined && spec === 4 ? { structuredOutputText: result.structuredOutputText } : {}),
    finishReason: result.finishReason,
    usage: result.usage,
    providerMetadata: withGatewayMetadata(result.providerMetadata, requestId, target),
    warnings: result.warnings ?? [],
    ...(result.response ? { response: { id: result.response.id, modelId: result.response.modelId, timestamp: result.response.timestamp } } : {}),
  };
}

const encoder = new TextEncoder();
const event = (part: unknown) => encoder.encode(`data: ${toJson(part)}\n\n`);

function streamAnswer(meter: Meter, attempt: Attempt<{ stream: ReadableStream<LanguageModelV4StreamPart> }>, spec: SpecVersion, wantsRaw: boolean): Response {
  const { target, value, abort, timer } = attempt;
  const { requestId } = meter;
  const reader = value.stream.getReader();
  const raw = new UsageTally(target.provider.api);
  let finishUsage: UsageTally | null = null;
  let finished = false;
  // The parts sent to the client (not the raw chunks, which repeat them), kept until the end: a
  // stream cut off is charged the output delivered, counted (as the proxy's streams are).
  let delivered: string[] = [];
  const finish = (complete: boolean) => {
    if (finished) return;
    finished = true;
    attempt.release();
    const sent = delivered;
    delivered = [];
    const tally = finishUsage ?? raw;
    recordCall(meter, target, attempt.credential, tally, complete && tally.seen ? undefined : () => sent.join(""));
  };
  // From here on the timeout is an idle timeout between parts.
  timer.refresh();
  const body = new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        for (;;) {
          let next: ReadableStreamReadResult<LanguageModelV4StreamPart>;
          try {
            next = await reader.read();
          } catch (err) {
            // Cut off (timeout, client gone, provider failed): charged what the provider produced.
            finish(false);
            if (!attempt.clientGone()) {
              const e = providerError(target, err, attempt.timedOut(), false);
              controller.enqueue(event({ type: "error", error: { message: e.message, type: "internal_server_error", code: e.code } }));
            }
            controller.close();
            return;
          }
          if (next.done) {
            finish(true);
            controller.close();
            return;
          }
          timer.refresh();
          let part = next.value as Record<string, unknown> & LanguageModelV4StreamPart;
          if (part.type === "raw") {
            raw.fromEvent(part.rawValue);
            if (!wantsRaw) continue;
          } else if (part.type === "finish") {
            finishUsage = tallyOf(part.usage);
            part = { ...part, providerMetadata: withGatewayMetadata(part.providerMetadata, requestId, target) as never };
          }
          const out = partFor(part, spec);
          if (out === null) continue;
          const data = `data: ${toJson(out)}\n\n`;
          if (part.type !== "raw") delivered.push(data);
          controller.enqueue(encoder.encode(data));
          return;
        }
      },
      cancel: () => {
        // The client went away: stop the provider too; what it reported so far is recorded.
        abort.abort(new Error("client gone"));
        void reader.cancel().catch(() => {});
        finish(false);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...answerHeaders(requestId, target) },
  });
}
