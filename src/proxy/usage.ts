import type { TokenUsage } from "./prices.js";
import type { ProviderApi } from "./providers.js";

/**
 * The tokens a provider reported, from a whole JSON answer or a stream's events, by kind.
 *
 * OpenAI Chat Completions report `usage.prompt_tokens` (cached ones included, also counted in
 * `prompt_tokens_details.cached_tokens`) and `completion_tokens` (reasoning ones included, also
 * counted in `completion_tokens_details.reasoning_tokens`); embeddings only `prompt_tokens`. The
 * Responses API reports the same as `input_tokens` (`input_tokens_details.cached_tokens`) and
 * `output_tokens` (`output_tokens_details.reasoning_tokens`), streamed in the `response.completed`
 * event's `response.usage`. Anthropic reports `input_tokens` WITHOUT the cached ones, which come as
 * `cache_read_input_tokens` and `cache_creation_input_tokens`.
 *
 * Here, as in the usage records, `inputTokens` counts every input token (cache reads and writes
 * included) and `outputTokens` every output token (reasoning included).
 */
export class UsageTally implements TokenUsage {
  inputTokens = 0;
  outputTokens = 0;
  cacheReadTokens = 0;
  cacheWriteTokens = 0;
  reasoningTokens = 0;
  /** The provider reported usage at all. */
  seen = false;
  /** Anthropic's `input_tokens` as reported (without the cache reads and writes). */
  private anthropicInput = 0;

  constructor(private readonly api: ProviderApi) {}

  /** Takes the usage of a whole (non-streamed) JSON answer. */
  fromAnswer(body: unknown): void {
    const usage = (body as { usage?: unknown } | null)?.usage;
    if (this.api === "openai") this.openai(usage);
    else this.anthropic(usage);
  }

  /** Takes the usage of one parsed stream event's data, if it carries any. */
  fromEvent(data: unknown): void {
    if (data === null || typeof data !== "object") return;
    const d = data as { type?: string; usage?: unknown; message?: { usage?: unknown }; response?: { usage?: unknown } };
    if (this.api === "openai") {
      // Chat Completions: a chunk's `usage`; Responses: the final event's `response.usage`
      // (`response.completed`, or `response.incomplete` / `response.failed`).
      if (d.usage !== undefined) this.openai(d.usage);
      else if (typeof d.type === "string" && d.type.startsWith("response.")) this.openai(d.response?.usage);
    } else if (d.type === "message_start") this.anthropic(d.message?.usage);
    else if (d.type === "message_delta") this.anthropic(d.usage);
  }

  private openai(u: unknown): void {
    if (u === null || typeof u !== "object") return;
    const x = u as {
      prompt_tokens?: unknown;
      completion_tokens?: unknown;
      input_tokens?: unknown;
      output_tokens?: unknown;
      prompt_tokens_details?: { cached_tokens?: unknown } | null;
      completion_tokens_details?: { reasoning_tokens?: unknown } | null;
      input_tokens_details?: { cached_tokens?: unknown } | null;
      output_tokens_details?: { reasoning_tokens?: unknown } | null;
    };
    this.seen = true;
    this.inputTokens = count(x.prompt_tokens ?? x.input_tokens, this.inputTokens);
    this.outputTokens = count(x.completion_tokens ?? x.output_tokens, this.outputTokens);
    this.cacheReadTokens = count((x.prompt_tokens_details ?? x.input_tokens_details)?.cached_tokens, this.cacheReadTokens);
    this.reasoningTokens = count((x.completion_tokens_details ?? x.output_tokens_details)?.reasoning_tokens, this.reasoningTokens);
    // Parts never exceed their whole (a provider's inconsistent report is not priced below zero).
    this.cacheReadTokens = Math.min(this.cacheReadTokens, this.inputTokens);
    this.reasoningTokens = Math.min(this.reasoningTokens, this.outputTokens);
  }

  /** Anthropic's counts are cumulative: a later event's number replaces an earlier one. */
  private anthropic(u: unknown): void {
    if (u === null || typeof u !== "object") return;
    const x = u as { input_tokens?: unknown; output_tokens?: unknown; cache_read_input_tokens?: unknown; cache_creation_input_tokens?: unknown };
    this.seen = true;
    this.cacheReadTokens = count(x.cache_read_input_tokens, this.cacheReadTokens);
    this.cacheWriteTokens = count(x.cache_creation_input_tokens, this.cacheWriteTokens);
    this.anthropicInput = count(x.input_tokens, this.anthropicInput);
    this.inputTokens = this.anthropicInput + this.cacheReadTokens + this.cacheWriteTokens;
    this.outputTokens = count(x.output_tokens, this.outputTokens);
  }
}

const MAX_TOKENS = 1e9;
const count = (v: unknown, otherwise: number): number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? Math.min(v, MAX_TOKENS) : otherwise;
