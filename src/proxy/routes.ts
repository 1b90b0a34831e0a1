import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../http/context.js";
import type { DataPlane, DataPlaneDeps } from "../http/data-plane.js";
import { unauthorized } from "../http/errors.js";
import { callableModels, readCaller } from "./catalog.js";
import { CHAT, COUNT_TOKENS, credentialOf, EMBEDDINGS, GatewayProxy, MESSAGES, RESPONSES } from "./proxy.js";

const OpenAIError = z
  .object({
    error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
  })
  .openapi("OpenAIError");
const AnthropicError = z
  .object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }) })
  .openapi("AnthropicError");

const security = [{ gatewayKey: [] as string[] }];
const anthropicSecurity: Record<string, string[]>[] = [{ gatewayKey: [] }, { gatewayKeyHeader: [] }];

const REFUSALS: Record<number, string> = {
  400: "Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain.",
  401: "Missing, unknown, deleted or leaked gateway key.",
  402: "A budget in the key's scope is spent (`quota_for_entity_exceeded`).",
  403: "Key inactive or expired, model not in the key's allow-list, or denied by a routing rule.",
  413: "Request body over 10 MiB.",
  502: "The provider could not be reached.",
  504: "The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`.",
};

function errors(schema: z.ZodType, statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: REFUSALS[s]!, content: { "application/json": { schema } } }]));
}

const passthroughBody = (example: Record<string, unknown>, description: string) => ({
  required: true,
  description,
  content: {
    "application/json": {
      schema: z
        .looseObject({
          model: z.string(),
          stream: z.boolean().optional(),
          models: z
            .array(z.string())
            .min(1)
            .max(10)
            .optional()
            .openapi({
              description:
                "Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider.",
            }),
        })
        .openapi({ example }),
    },
  },
});

const COMMON = [
  "Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`.",
  "Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape.",
  "The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the",
  "system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`.",
  "The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind.",
  "Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout.",
  "Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called).",
].join(" ");

/** The OpenAI surfaces' `user` field. */
const END_USER =
  "The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.";

const chatRoute = createRoute({
  operationId: "gatewayChatCompletions",
  method: "post",
  path: "/v1/chat/completions",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "OpenAI chat completions through the gateway",
  description: `${COMMON} For streams, Tollgate asks the provider for \`stream_options.include_usage\` and drops that extra chunk when the client did not ask for it. ${END_USER}`,
  security,
  request: { body: passthroughBody({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] }, "OpenAI's chat completion request; `model` is `provider/model`.") },
  responses: {
    200: { description: "The provider's answer, as it sent it (JSON, or `text/event-stream` when `stream` is true)." },
    ...errors(OpenAIError, [400, 401, 402, 403, 413, 502, 504]),
  },
});

const responsesRoute = createRoute({
  operationId: "gatewayResponses",
  method: "post",
  path: "/v1/responses",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "OpenAI Responses API through the gateway",
  description: `${COMMON} The usage is read from the answer's \`usage\` (\`input_tokens\` with \`input_tokens_details.cached_tokens\`, \`output_tokens\` with \`output_tokens_details.reasoning_tokens\`), or, streamed, from the \`response.completed\` event's \`response.usage\`. ${END_USER}`,
  security,
  request: { body: passthroughBody({ model: "openai/gpt-4o-mini", input: "Hello" }, "OpenAI's Responses request; `model` is `provider/model`.") },
  responses: {
    200: { description: "The provider's answer, as it sent it (JSON, or `text/event-stream` of `response.*` events when `stream` is true)." },
    ...errors(OpenAIError, [400, 401, 402, 403, 413, 502, 504]),
  },
});

const embeddingsRoute = createRoute({
  operationId: "gatewayEmbeddings",
  method: "post",
  path: "/v1/embeddings",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "OpenAI embeddings through the gateway",
  description: `${COMMON} ${END_USER}`,
  security,
  request: { body: passthroughBody({ model: "openai/text-embedding-3-small", input: "Hello" }, "OpenAI's embeddings request; `model` is `provider/model`.") },
  responses: { 200: { description: "The provider's answer." }, ...errors(OpenAIError, [400, 401, 402, 403, 413, 502, 504]) },
});

const messagesRoute = createRoute({
  operationId: "gatewayMessages",
  method: "post",
  path: "/v1/messages",
  tags: ["Gateway (Anthropic-compatible)"],
  summary: "Anthropic Messages through the gateway",
  description: `${COMMON} Anthropic clients may send the key as \`x-api-key\`; \`anthropic-version\` and \`anthropic-beta\` are passed on.`,
  security: anthropicSecurity,
  request: {
    body: passthroughBody(
      { model: "anthropic/claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Hello" }] },
      "Anthropic's Messages request; `model` is `anthropic/<model>`.",
    ),
  },
  responses: { 200: { description: "The provider's answer (JSON, or `text/event-stream` when `stream` is true)." }, ...errors(AnthropicError, [400, 401, 402, 403, 413, 502, 504]) },
});

const countTokensRoute = createRoute({
  operationId: "gatewayCountTokens",
  method: "post",
  path: "/v1/messages/count_tokens",
  tags: ["Gateway (Anthropic-compatible)"],
  summary: "Anthropic token counting through the gateway (free)",
  description:
    "Authorized as `POST /v1/messages` is for the key, its model allow-list and the routing rules (refusals in Anthropic's error shape), and passed to the provider's `/v1/messages/count_tokens` with the same credentials (BYOK first, then the system one). Free: no usage is recorded, a spent budget does not refuse it and it does not count toward the key's rate limits. Answers carry `x-tollgate-request-id` and `x-tollgate-model`.",
  security: anthropicSecurity,
  request: {
    body: passthroughBody(
      { model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "Hello" }] },
      "Anthropic's count_tokens request; `model` is `anthropic/<model>`.",
    ),
  },
  responses: { 200: { description: "The provider's answer: `{input_tokens}`." }, ...errors(AnthropicError, [400, 401, 403, 413, 502, 504]) },
});

const ModelList = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object({ id: z.string().openapi({ example: "openai/gpt-4o-mini" }), object: z.literal("model"), created: z.number(), owned_by: z.string() })),
  })
  .openapi("GatewayModelList");

const modelsRoute = createRoute({
  operationId: "gatewayModels",
  method: "get",
  path: "/v1/models",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "Models this gateway key may call",
  description:
    "OpenAI's model list, with `provider/model` ids: the key's model allow-list when it has one; otherwise every model the price table knows for the providers the caller has a credential for (a system `<PROVIDER>_API_KEY`, or a BYOK credential of its team), plus the exact models of `TOLLGATE_PRICES`. Models a routing rule denies are left out. The same list as the AI SDK's `GET /v4/ai/config`.",
  security,
  responses: { 200: { description: "The models.", content: { "application/json": { schema: ModelList } } }, ...errors(OpenAIError, [401, 403]) },
});

/** Serves the gateway's routes on the data-plane lane (hot path: no management middleware). */
export function registerProxy(app: App, dataPlane: DataPlane): GatewayProxy {
  const deps = dataPlane.deps;
  app.openAPIRegistry.registerComponent("securitySchemes", "gatewayKey", {
    type: "http",
    scheme: "bearer",
    description: "A Tollgate gateway key (`tgk_…`) or a project OIDC token, as OpenAI and Anthropic clients send their API key.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "gatewayKeyHeader", { type: "apiKey", in: "header", name: "x-api-key" });
  const proxy = new GatewayProxy(deps);
  // The proxy names its answers itself (x-request-id), errors included.
  const NAMED = { namesItsAnswers: true };
  dataPlane.serve("POST", chatRoute.path, (c) => proxy.handle(c, CHAT), chatRoute, NAMED);
  dataPlane.serve("POST", responsesRoute.path, (c) => proxy.handle(c, RESPONSES), responsesRoute, NAMED);
  dataPlane.serve("POST", embeddingsRoute.path, (c) => proxy.handle(c, EMBEDDINGS), embeddingsRoute, NAMED);
  dataPlane.serve("POST", messagesRoute.path, (c) => proxy.handle(c, MESSAGES), messagesRoute, NAMED);
  dataPlane.serve("POST", countTokensRoute.path, (c) => proxy.handle(c, COUNT_TOKENS), countTokensRoute, NAMED);
  dataPlane.serve("GET", modelsRoute.path, (c) => listModels(c, deps).catch((err) => proxy.fail("openai", err, c)), modelsRoute);
  return proxy;
}

async function listModels(c: Context<AppEnv>, deps: DataPlaneDeps): Promise<Response> {
  const credential = credentialOf(c, c.req.header("authorization"));
  if (!credential) throw unauthorized("Missing API key: send your Tollgate gateway key as `Authorization: Bearer <key>`.");
  const ids = await callableModels(deps, await readCaller(deps, credential));
  const data = ids.map((id) => ({ id, object: "model" as const, created: 0, owned_by: id.slice(0, id.indexOf("/")) }));
  return c.json({ object: "list", data });
}
