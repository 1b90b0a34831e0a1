import { readFileSync } from "node:fs";
import { calcPrice } from "@pydantic/genai-prices";
import { z } from "zod";
import { systemClock, type Clock } from "../lib/clock.js";

/**
 * Model prices: Pydantic's maintained table (`@pydantic/genai-prices`, MIT: per-token prices for
 * OpenAI, Anthropic, xAI, Groq, Mistral, DeepSeek, Together, Fireworks, OpenRouter and more, tiered
 * and cached-token prices included), under the operator's overrides from the JSON file named by
 * `TOLLGATE_PRICES`:
 *
 *     { "ollama/*": { "input": 0, "output": 0 },
 *       "openai/gpt-5": { "input": 1.25, "output": 10, "cacheRead": 0.125 } }
 *
 * Token kinds, each at its own rate: uncached input (`input`), cache reads (`cacheRead`, else the
 * input price), cache writes (`cacheWrite`, else the input price), output (`output`) and reasoning
 * tokens (`reasoning`, else the output price). Cache reads and writes are part of the input count,
 * reasoning tokens part of the output count ({@link TokenUsage}), as the package counts them.
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
  /** Reasoning tokens (part of the output); the output price when absent. */
  reasoning: PerMillion.optional(),
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

/**
 * The tokens a provider reported, by kind. `inputTokens` counts every input token, cache reads and
 * writes included; `outputTokens` every output token, reasoning included.
 */
export type TokenUsage = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; reasoningTokens: number };

/** Per-token prices (micro-dollars per token = dollars per million tokens) for one model. */
type Rates = { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined; reasoning?: number | undefined };

/** How long a price looked up in the package is reused (its prices can change by date). */
const PACKAGE_PRICE_TTL_MS = 60 * 60 * 1000;

export class PriceTable {
  /** The package's flat rates per `provider/model` (null: no price; "tiered": ask the package each time). */
  private readonly looked = new Map<string, { rates: Rates | null | "tiered"; until: number }>();

  constructor(
    private readonly overrides: PriceOverrides = {},
    /** When each package lookup is renewed (the price table can change prices by date). */
    private readonly clock: Clock = systemClock,
  ) {}

  /** What a request cost in integer micro-dollars (rounded once, to the nearest); null when the model has no price. */
  costMicros(provider: string, model: string, u: TokenUsage): number | null {
    const o = this.overrides[`${provider}/${model}`] ?? this.overrides[`${provider}/*`];
    if (o) return costOf(o, u);
    // The package's lookup matches the model against every pattern of the provider (~0.4 ms): done
    // once per model, then the flat per-token rates are applied here. Tiered prices (by prompt
    // size) go to the package each time.
    const id = `${provider}/${model}`;
    const now = this.clock.now();
    let entry = this.looked.get(id);
    if (!entry || entry.until < now) {
      entry = { rates: lookUp(provider, model), until: now + PACKAGE_PRICE_TTL_MS };
      if (this.looked.size >= 10_000) this.looked.clear();
      this.looked.set(id, entry);
    }
    if (entry.rates === null) return null;
    if (entry.rates !== "tiered") return costOf(entry.rates, u);
    const result = packagePrice(provider, model, u);
    return result === null ? null : Math.round(result * 1_000_000);
  }
}

/** Each kind × its rate, summed, rounded once. */
function costOf(r: Rates, u: TokenUsage): number {
  const uncached = Math.max(0, u.inputTokens - u.cacheReadTokens - u.cacheWriteTokens);
  const reasoning = Math.min(u.reasoningTokens, u.outputTokens);
  return Math.round(
    uncached * r.input +
      u.cacheReadTokens * (r.cacheRead ?? r.input) +
      u.cacheWriteTokens * (r.cacheWrite ?? r.input) +
      (u.outputTokens - reasoning) * r.output +
      reasoning * (r.reasoning ?? r.output),
  );
}

const PROBE: TokenUsage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

function lookUp(provider: string, model: string): Rates | null | "tiered" {
  let result;
  try {
    result = calcPrice(usageOf(PROBE), model, { providerId: provider });
  } catch {
    return null;
  }
  if (!result) return null;
  const p = result.model_price;
  const flat = (v: unknown) => v === undefined || typeof v === "number";
  if (![p.input_mtok, p.output_mtok, p.cache_read_mtok, p.cache_write_mtok, p.output_reasoning_mtok].every(flat)) return "tiered";
  return {
    input: (p.input_mtok as number | undefined) ?? 0,
    output: (p.output_mtok as number | undefined) ?? 0,
    cacheRead: p.cache_read_mtok as number | undefined,
    cacheWrite: p.cache_write_mtok as number | undefined,
    reasoning: p.output_reasoning_mtok as number | undefined,
  };
}

const usageOf = (u: TokenUsage) => ({
  input_tokens: u.inputTokens,
  output_tokens: u.outputTokens,
  cache_read_tokens: u.cacheReadTokens,
  cache_write_tokens: u.cacheWriteTokens,
  output_reasoning_tokens: u.reasoningTokens,
});

function packagePrice(provider: string, model: string, u: TokenUsage): number | null {
  try {
    return calcPrice(usageOf(u), model, { providerId: provider })?.total_price ?? null;
  } catch {
    return null; // the table cannot price this usage (e.g. a unit the model has no price for)
  }
}
