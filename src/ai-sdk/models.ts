import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModelV4, LanguageModelV4 } from "@ai-sdk/provider";
import type { ProviderSettings } from "../proxy/providers.js";
import { providerFetch as fetch } from "./fetch.js";

/**
 * A provider's model through the AI SDK's own provider package, at the provider's configured base
 * URL (`<PROVIDER>_BASE_URL`) with one credential: OpenAI through `@ai-sdk/openai` (the Responses
 * API, as `openai(id)` calls it), Anthropic through `@ai-sdk/anthropic`, every other known provider
 * through `@ai-sdk/openai-compatible` (Chat Completions, usage asked for on streams, JSON-schema outputs).
 *
 * Each calls its provider through `providerFetch` (./fetch.ts), not the global `fetch`.
 *
 * The credential is always passed explicitly ("" for a keyless provider), so a package never
 * falls back to reading the server's own environment.
 */
export function languageModel(provider: ProviderSettings, modelId: string, apiKey: string | null): LanguageModelV4 {
  const key = apiKey ?? "";
  if (provider.name === "openai") return createOpenAI({ baseURL: provider.baseUrl, apiKey: key, fetch }).responses(modelId);
  if (provider.api === "anthropic") return createAnthropic({ baseURL: `${provider.baseUrl}/v1`, apiKey: key, fetch }).languageModel(modelId);
  return compatible(provider, key).chatModel(modelId);
}

/** An embedding model; null for a provider with no embeddings API (Anthropic). */
export function embeddingModel(provider: ProviderSettings, modelId: string, apiKey: string | null): EmbeddingModelV4 | null {
  const key = apiKey ?? "";
  if (provider.name === "openai") return createOpenAI({ baseURL: provider.baseUrl, apiKey: key, fetch }).embedding(modelId);
  if (provider.api === "anthropic") return null;
  return compatible(provider, key).embeddingModel(modelId);
}

function compatible(provider: ProviderSettings, apiKey: string) {
  // JSON-schema structured outputs: every known OpenAI-compatible provider but DeepSeek (JSON mode only) takes them.
  return createOpenAICompatible({
    name: provider.name,
    baseURL: provider.baseUrl,
    ...(apiKey ? { apiKey } : {}),
    includeUsage: true,
    supportsStructuredOutputs: provider.name !== "deepseek",
    fetch,
  });
}
