import { createRoute, z } from "@hono/zod-openapi";
import { findProvider } from "@pydantic/genai-prices";
import type { Context } from "hono";
import { checkKeyStatus } from "../gateway/v1_gateway_authorize.js";
import { looksLikeJwt } from "../http/auth.js";
import type { App, AppEnv } from "../http/context.js";
import type { DataPlane, DataPlaneDeps } from "../http/data-plane.js";
import { unauthorized } from "../http/errors.js";
import { resolveModelCached, type CompiledRules } from "../rules/resolve.js";
import { CHAT, credentialOf, EMBEDDINGS, GatewayProxy, MESSAGES } from "./proxy.js";

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
  content: { "application/json": { schema: z.looseObject({ model: z.string(), stream: z.boolean().optional() }).openapi({ example }) } },
});

const COMMON = [
  "Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`.",
  "Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape.",
  "The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the",
  "system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`.",
  "The provider's answer passes through with its status (streams chunk by chunk); the cost (reported tokens × the price table) is recorded as usage.",
  "Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called).",
].join(" ");

const chatRoute = createRoute({
  operationId: "gatewayChatCompletions",
  method: "post",
  path: "/v1/chat/completions",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "OpenAI chat completions through the gateway",
  description: `${COMMON} For streams, Tollgate asks the provider for \`stream_options.include_usage\` and drops that extra chunk when the client did not ask for it.`,
  security,
  request: { body: passthroughBody({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] }, "OpenAI's chat completion request; `model` is `provider/model`.") },
  responses: {
    200: { description: "The provider's answer, as it sent it (JSON, or `text/event-stream` when `stream` is true)." },
    ...errors(OpenAIError, [400, 401, 402, 403, 413, 502, 504]),
  },
});

const embeddingsRoute = createRoute({
  operationId: "gatewayEmbeddings",
  method: "post",
  path: "/v1/embeddings",
  tags: ["Gateway (OpenAI-compatible)"],
  summary: "OpenAI embeddings through the gateway",
  description: COMMON,
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
    "OpenAI's model list, with `provider/model` ids: the key's model allow-list when it has one; otherwise every model the price table knows for the providers this instance has a system credential for (`<PROVIDER>_API_KEY`), plus the exact models of `TOLLGATE_PRICES`. Models a routing rule denies are left out.",
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
  dataPlane.serve("POST", chatRoute.path, (c) => proxy.handle(c, CHAT), chatRoute);
  dataPlane.serve("POST", embeddingsRoute.path, (c) => proxy.handle(c, EMBEDDINGS), embeddingsRoute);
  dataPlane.serve("POST", messagesRoute.path, (c) => proxy.handle(c, MESSAGES), messagesRoute);
  dataPlane.serve("GET", modelsRoute.path, (c) => listModels(c, deps).catch((err) => proxy.fail("openai", err, c.req.path)), modelsRoute);
  return proxy;
}

async function listModels(c: Context<AppEnv>, deps: DataPlaneDeps): Promise<Response> {
  const credential = credentialOf(c, c.req.header("authorization"));
  if (!credential) throw unauthorized("Missing API key: send your Tollgate gateway key as `Authorization: Bearer <key>`.");
  const now = deps.clock.now();
  let teamId: string;
  let allowed: string[] = [];
  if (looksLikeJwt(credential)) {
    // A project OIDC token: verified, and its project still live (as authorize checks it).
    const v = deps.tokens.verify(credential, now);
    const token = v instanceof Promise ? await v : v;
    const team = token ? deps.gateway.projectTeam(token.projectId) : undefined;
    if (!token || (team instanceof Promise ? await team : team) !== token.teamId) throw unauthorized("Invalid or expired token.");
    teamId = token.teamId;
  } else {
    const found = deps.gateway.keyByCredential(credential);
    const key = found instanceof Promise ? await found : found;
    checkKeyStatus(key, now);
    teamId = key.teamId;
    allowed = key.models;
  }
  const r = deps.gateway.teamRules(teamId);
  const rules = r instanceof Promise ? await r : r;
  const ids = allowed.length > 0 ? allowed : catalog(deps);
  const data = ids.filter((id) => !denied(rules, id)).map((id) => ({ id, object: "model" as const, created: 0, owned_by: id.slice(0, id.indexOf("/")) }));
  return c.json({ object: "list", data });
}

function denied(rules: CompiledRules, model: string): boolean {
  try {
    return resolveModelCached(rules, model).denied !== null;
  } catch {
    return true;
  }
}

const catalogs = new WeakMap<object, string[]>();

/** Every model the price table knows for the providers with a system credential, and the exact overrides. */
function catalog(deps: DataPlaneDeps): string[] {
  let ids = catalogs.get(deps.config);
  if (ids) return ids;
  const set = new Set<string>();
  for (const p of Object.values(deps.config.providers)) {
    if (!p.apiKey) continue;
    for (const model of findProvider({ providerId: p.name })?.models ?? []) set.add(`${p.name}/${model.id}`);
  }
  for (const k of Object.keys(deps.config.priceOverrides)) if (!k.endsWith("/*")) set.add(k);
  ids = [...set].sort();
  catalogs.set(deps.config, ids);
  return ids;
}
