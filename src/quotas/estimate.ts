import { findProvider } from "@pydantic/genai-prices";
import type { Tiktoken } from "js-tiktoken/lite";
import { PriceTable, type PriceOverrides, type TokenUsage } from "../proxy/prices.js";
import type { Clock } from "../lib/clock.js";

/**
 * A request's worst case, for hard budgets and token limits (see docs/budgets.md): its input
 * counted with a tokenizer (OpenAI's o200k_base, `js-tiktoken`), with a margin for other
 * providers' tokenizers, and its output at the most it may be (`max_tokens` and its kin, else
 * the model's context window, else {@link DEFAULT_MAX_OUTPUT_TOKENS}), priced at the table's
 * rates.
 */

/** Output tokens assumed for a model whose context window the price table does not know, when the request sets no maximum. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 32_768;
/** Input counts are scaled by this (and padded by {@link INPUT_PAD_TOKENS}): other tokenizers cut text finer than o200k_base. */
export const INPUT_MARGIN = 1.25;
export const INPUT_PAD_TOKENS = 16;

let encoder: Tiktoken | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the tokenizer's ranks (~1 s of CPU, once per process) in the background. Until they are
 * loaded, counts fall back to the UTF-8 byte length, which no BPE token count can exceed (every
 * token is at least one byte): a safe bound, only a looser one.
 */
export function loadTokenizer(): Promise<void> {
  loading ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]);
    encoder = new Tiktoken((ranks as { default: ConstructorParameters<typeof Tiktoken>[0] }).default);
    // Tollgate only counts (encodes). The decoding table, a byte array per token, is never read:
    // emptied, it leaves 24 of the tokenizer's 66 MB of heap (measured with js-tiktoken 1.0.21).
    (encoder as unknown as { textMap?: Map<number, Uint8Array> }).textMap?.clear();
  })();
  return loading;
}

/** Tokens in `text` by o200k_base (the byte length until the tokenizer is loaded). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (!encoder) {
    void loadTokenizer();
    return Buffer.byteLength(text, "utf8");
  }
  return encoder.encode(text, [], []).length;
}

/** An upper estimate of a request body's input tokens: every string in it but `model`, counted, with the margin. */
export function estimateInputTokens(body: Record<string, unknown>): number {
  const parts: string[] = [];
  collect(body, parts, 0, true);
  const text = parts.join("\n");
  const n = countTokens(text);
  // Never above the byte length (the hard bound), never below the tokenizer's count.
  return Math.max(n, Math.min(Buffer.byteLength(text, "utf8") + INPUT_PAD_TOKENS, Math.ceil(n * INPUT_MARGIN) + INPUT_PAD_TOKENS));
}

const SKIP = new Set(["model", "models", "stream", "stream_options", "max_tokens", "max_completion_tokens", "max_output_tokens", "temperature", "top_p", "n", "user"]);

function collect(v: unknown, out: string[], depth: number, top: boolean): void {
  if (depth > 64) return;
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) collect(x, out, depth + 1, false);
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (top && SKIP.has(k)) continue;
      out.push(k);
      collect(x, out, depth + 1, false);
    }
  }
}

/** The most output tokens a request asks for (`max_tokens`, `max_completion_tokens`, `max_output_tokens`), if any. */
export function requestedMaxOutput(body: Record<string, unknown>): number | undefined {
  for (const k of ["max_completion_tokens", "max_output_tokens", "max_tokens"]) {
    const n = tokenLimit(body[k]);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** A maximum of output tokens as given (a finite number ≥ 0, rounded up), else undefined. */
const tokenLimit = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : undefined);

/**
 * A request's worst case for hard budgets and tokensPerMinute (what `authorizeCredential` takes as
 * `estimate`): the text of `input` counted with the margin ({@link estimateInputTokens}), and the
 * most output it may produce: `maxOutputTokens` when given, else the body's `max_tokens` and kin;
 * when neither is set, undefined (the model's default, see {@link worstTokens}).
 */
export function worstCaseOf(input: Record<string, unknown>, maxOutputTokens?: unknown): { inputTokens: number; maxOutputTokens: number | undefined } {
  return { inputTokens: estimateInputTokens(input), maxOutputTokens: tokenLimit(maxOutputTokens) ?? requestedMaxOutput(input) };
}

const windows = new Map<string, number | null>();

/** The model's context window from the price table (null when unknown). */
export function contextWindow(model: string): number | null {
  let w = windows.get(model);
  if (w !== undefined) return w;
  const slash = model.indexOf("/");
  const id = model.slice(slash + 1);
  w = null;
  try {
    const p = findProvider({ providerId: model.slice(0, slash) });
    const m = p?.models.find((x) => x.id === id) ?? p?.models.find((x) => matches(x.match, id));
    w = (m as { context_window?: number } | undefined)?.context_window ?? null;
  } catch {
    w = null;
  }
  if (windows.size > 10_000) windows.clear();
  windows.set(model, w);
  return w;
}

type Clause = { equals?: string; starts_with?: string; contains?: string; or?: Clause[]; and?: Clause[] };
function matches(c: unknown, id: string): boolean {
  const m = c as Clause | undefined;
  if (!m) return false;
  if (m.equals !== undefined) return m.equals === id;
  if (m.starts_with !== undefined) return id.startsWith(m.starts_with);
  if (m.contains !== undefined) return id.includes(m.contains);
  if (m.or) return m.or.some((x) => matches(x, id));
  if (m.and) return m.and.every((x) => matches(x, id));
  return false;
}

/** A request's worst case in tokens: its input, and the most output it may produce. */
export type Estimate = { inputTokens: number; maxOutputTokens: number };

/** The worst case of a request to `model` (`provider/model`): given counts win, else the defaults above. */
export function worstTokens(model: string, given: { inputTokens?: number | undefined; maxOutputTokens?: number | undefined }): Estimate {
  const inputTokens = given.inputTokens ?? 0;
  let maxOutputTokens = given.maxOutputTokens;
  if (maxOutputTokens === undefined) {
    const w = contextWindow(model);
    maxOutputTokens = w === null ? DEFAULT_MAX_OUTPUT_TOKENS : Math.max(0, w - inputTokens);
  }
  return { inputTokens, maxOutputTokens };
}

const tables = new WeakMap<object, { table: PriceTable; rates: Map<string, { input: number; output: number; until: number }> }>();
/** Per-token worst rates are looked up again after this long (prices can change by date). */
const RATES_TTL_MS = 60 * 60 * 1000;
const PROBE_TOKENS = 1_000_000;

/**
 * The worst case's cost in micro-dollars (0 for a model without a price: it would be recorded at
 * 0): its tokens at the dearest per-token rate each kind can be billed at (input: plain or a cache
 * write; output: plain or reasoning). The rates are probed once per model with a million tokens of
 * each (for tiered prices, the rate of that large a prompt: the dearer tier).
 */
export function worstCostMicros(overrides: PriceOverrides, model: string, e: Estimate, clock: Clock): number {
  let t = tables.get(overrides);
  if (!t) {
    t = { table: new PriceTable(overrides, clock), rates: new Map() };
    tables.set(overrides, t);
  }
  const now = clock.now();
  let r = t.rates.get(model);
  if (!r || r.until < now) {
    r = { ...probeRates(t.table, model), until: now + RATES_TTL_MS };
    if (t.rates.size >= 10_000) t.rates.clear();
    t.rates.set(model, r);
  }
  return Math.ceil(e.inputTokens * r.input + e.maxOutputTokens * r.output);
}

function probeRates(table: PriceTable, model: string): { input: number; output: number } {
  const slash = model.indexOf("/");
  const provider = model.slice(0, slash);
  const id = model.slice(slash + 1);
  const zero: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const cost = (u: TokenUsage) => table.costMicros(provider, id, u) ?? 0;
  const input = Math.max(cost({ ...zero, inputTokens: PROBE_TOKENS }), cost({ ...zero, inputTokens: PROBE_TOKENS, cacheWriteTokens: PROBE_TOKENS }));
  const output = Math.max(cost({ ...zero, outputTokens: PROBE_TOKENS }), cost({ ...zero, outputTokens: PROBE_TOKENS, reasoningTokens: PROBE_TOKENS }));
  return { input: input / PROBE_TOKENS, output: output / PROBE_TOKENS };
}

/** The tokens of a request body's text (every string value but the model's; no margin): what a request that got no usage back is charged for its input. */
export function countInputTokens(body: Record<string, unknown>): number {
  const parts: string[] = [];
  collectValues(body, parts, 0, true);
  return countTokens(parts.join("\n"));
}

function collectValues(v: unknown, out: string[], depth: number, top: boolean): void {
  if (depth > 64) return;
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectValues(x, out, depth + 1, false);
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) if (!(top && SKIP.has(k))) collectValues(x, out, depth + 1, false);
  }
}

/**
 * The tokenizer's counts for a request that got no (or no complete) usage back, as `Metering.record`
 * takes them: the text of its `input` ({@link countInputTokens}), and the output in `answer` (a JSON
 * answer or SSE text, or how to get it: read only when needed; {@link countOutputTokens}).
 */
export function countedTokens(input: Record<string, unknown>, answer: string | (() => string)): { input(): number; output(): number } {
  return { input: () => countInputTokens(input), output: () => countOutputTokens(typeof answer === "string" ? answer : answer()) };
}

/** Keys whose string values are generated text in the answers and stream events of the OpenAI and Anthropic APIs. */
const GENERATED = new Set(["content", "text", "delta", "arguments", "partial_json", "refusal", "thinking", "output_text"]);
/** Keys of labels, not text, even inside generated content. */
const LABELS = new Set(["type", "role", "id", "model", "object", "finish_reason", "stop_reason", "status", "name", "call_id", "item_id"]);

/**
 * The tokens of the text a provider produced, from a JSON answer or from the raw SSE text of a
 * stream (as far as it was delivered): the string values under `content`, `text`, `delta`,
 * `arguments`, … of each event. What a cut-off request is charged for its output.
 */
export function countOutputTokens(answerOrSse: string): number {
  const parts: string[] = [];
  const trimmed = answerOrSse.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      collectGenerated(JSON.parse(trimmed), parts, 0, false);
    } catch {
      // not JSON after all
    }
  } else {
    for (const line of answerOrSse.split(/\r?\n/)) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (!data.startsWith("{")) continue;
      try {
        collectGenerated(JSON.parse(data), parts, 0, false);
      } catch {
        // a cut event
      }
    }
  }
  return countTokens(parts.join(""));
}

function collectGenerated(v: unknown, out: string[], depth: number, inside: boolean): void {
  if (depth > 64) return;
  if (typeof v === "string") {
    if (inside) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) collectGenerated(x, out, depth + 1, inside);
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) if (!LABELS.has(k)) collectGenerated(x, out, depth + 1, inside || GENERATED.has(k));
  }
}
