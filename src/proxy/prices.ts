import { readFileSync } from "node:fs";
import { calcPrice } from "@pydantic/genai-prices";
import { z } from "zod";

/**
 * Model prices: Pydantic's maintained table (`@pydantic/genai-prices`, MIT: per-token prices for
 * OpenAI, Anthropic, xAI, Groq, Mistral, DeepSeek, Together, Fireworks, OpenRouter and more, tiered
 * and cached-token prices included), under the operator's overrides from the JSON file named by
 * `TOLLGATE_PRICES`:
 *
 *     { "ollama/*": { "input": 0, "output": 0 },
 *       "openai/gpt-5": { "input": 1.25, "output": 10, "cacheRead": 0.125 } }
 *
 * Keys are `provider/model` or `provider/*`; prices are US dollars per million tokens, which is
 * micro-dollars per token. An exact key wins over the provider's `*`, and both over the package.
 */
const PerMillion = z.number().min(0).max(1_000_000);
export const PriceOverrideSchema = z.strictObject({
  input: PerMillion,
  output: PerMillion,
  cacheRead: PerMillion.optional(),
  cacheWrite: PerMillion.optional(),
});
export type PriceOverride = z.infer<typeof PriceOverrideSchema>;
export const PriceOverridesSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9._-]*\/(\*|\S+)$/, "keys are provider/model or provider/*"),
  PriceOverrideSchema,
);
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/** Reads and validates the `TOLLGATE_PRICES` file; throws an Error naming what is wrong. */
export function loadPriceOverrides(path: string): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read the file "${path}" (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`"${path}" is not valid JSON`);
  }
  const parsed = PriceOverridesSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `"${path}" at ${i.path.join(".") || "(top)"}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

/** The tokens a provider reported. `inputTokens` counts every input token, cached ones included. */
export type TokenUsage = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };

export class PriceTable {
  constructor(private readonly overrides: PriceOverrides = {}) {}

  /** What a request cost in integer micro-dollars (rounded once, to the nearest); null when the model has no price. */
  costMicros(provider: string, model: string, u: TokenUsage): number | null {
    const o = this.overrides[`${provider}/${model}`] ?? this.overrides[`${provider}/*`];
    if (o) {
      const uncached = Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens);
      return Math.round(
        uncached * o.input + u.cacheReadTokens * (o.cacheRead ?? o.input) + u.cacheWriteTokens * (o.cacheWrite ?? o.input) + u.outputTokens * o.output,
      );
    }
    let result;
    try {
      result = calcPrice(
        { input_tokens: u.inputTokens, output_tokens: u.outputTokens, cache_read_tokens: u.cacheReadTokens, cache_write_tokens: u.cacheWriteTokens },
        model,
        { providerId: provider },
      );
    } catch {
      return null; // the table cannot price this usage (e.g. a unit the model has no price for)
    }
    if (!result) return null;
    return Math.round(result.total_price * 1_000_000);
  }
}
