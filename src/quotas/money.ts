import { z } from "@hono/zod-openapi";

/**
 * Money handling.
 *
 * - API: US dollars as plain JSON numbers (e.g. `12.5`).
 * - Storage: integer micro-dollars (1 USD = 1_000_000 micros). Never floats.
 *
 * Conversion dollars -> micros goes through the number's shortest round-trip
 * decimal representation (`String(x)`, which is what `JSON.stringify` emits
 * and what a client most likely typed), not through `x * 1e6`, which is
 * inexact (`2.01 * 1e6 === 2009999.9999999998`). So `2.01` is exactly
 * `2010000` micros, and a value that really has more than 6 fractional digits
 * (e.g. `0.1 + 0.2 === 0.30000000000000004`) is rejected rather than
 * silently rounded.
 */

export const MICROS_PER_DOLLAR = 1_000_000;

/** Maximum number of fractional digits a dollar amount may have. */
export const MAX_USD_DECIMALS = 6;

/** Largest dollar amount accepted by the API schemas (one billion dollars). */
export const MAX_USD = 1_000_000_000;

/** {@link MAX_USD} in micros (1e15, well below Number.MAX_SAFE_INTEGER). */
export const MAX_MICROS = MAX_USD * MICROS_PER_DOLLAR;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Where spend sums saturate: 2^53 − 1 micro-dollars (about $9.007 billion), the largest integer a
 * JSON number holds exactly. The budget counters, a budget's spend with BYOK included, the hourly
 * rollups and the spend report's sums all stop here, so counters and reports agree (and answer)
 * however far spend runs past it. No budget can be set that high ({@link MAX_USD}).
 */
export const MAX_SPEND_MICROS = Number.MAX_SAFE_INTEGER;

/** `micros`, saturated at {@link MAX_SPEND_MICROS}. */
export const saturatedMicros = (micros: number): number => Math.min(micros, MAX_SPEND_MICROS);

// Shapes produced by Number.prototype.toString for finite non-negative numbers:
// "0", "12", "0.29", "123456.789012", "1e-7", "1.5e-7", "1e+21", "1.2345e+21".
const DECIMAL_RE = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

type Decimal = { digits: bigint; exp: number }; // value = digits * 10^exp

/** Exact decimal value of the shortest round-trip representation of `x` (finite, >= 0). */
function shortestDecimal(x: number): Decimal {
  const s = String(x);
  const m = DECIMAL_RE.exec(s);
  if (m === null) {
    // Unreachable for finite non-negative numbers; defensive.
    throw new RangeError(`cannot parse dollar amount ${s}`);
  }
  const intPart = m[1] ?? "0";
  const fracPart = m[2] ?? "";
  let digitStr = (intPart + fracPart).replace(/^0+(?=\d)/, "");
  let exp = Number(m[3] ?? "0") - fracPart.length;
  // Normalise trailing zeros into the exponent so `exp` is the true precision.
  if (/^0+$/.test(digitStr)) return { digits: 0n, exp: 0 };
  while (digitStr.length > 1 && digitStr.endsWith("0")) {
    digitStr = digitStr.slice(0, -1);
    exp += 1;
  }
  return { digits: BigInt(digitStr), exp };
}

type ConversionResult = { ok: true; micros: number } | { ok: false; reason: string };

function convert(usd: number): ConversionResult {
  if (typeof usd !== "number" || Number.isNaN(usd)) return { ok: false, reason: "must be a number" };
  if (!Number.isFinite(usd)) return { ok: false, reason: "must be finite" };
  if (usd < 0) return { ok: false, reason: "must not be negative" };
  const { digits, exp } = shortestDecimal(usd);
  const shift = exp + MAX_USD_DECIMALS;
  if (shift < 0) {
    return { ok: false, reason: `must have at most ${MAX_USD_DECIMALS} decimal places` };
  }
  // For huge inputs (e.g. 1e300) avoid building an enormous BigInt: anything
  // with 10^shift beyond 16 digits is out of range anyway (digits >= 1).
  if (shift > 16) return { ok: false, reason: "is too large" };
  const micros = digits * 10n ** BigInt(shift);
  if (micros > MAX_SAFE) return { ok: false, reason: "is too large" };
  return { ok: true, micros: Number(micros) };
}

/**
 * Convert a dollar amount to integer micro-dollars, exactly.
 *
 * Exact for any value whose shortest decimal representation has at most 6
 * fractional digits: `0.01 -> 10000`, `1.1 -> 1100000`, `1e-6 -> 1`.
 *
 * @throws RangeError for NaN, ±Infinity, negative values, more than 6
 *   fractional digits, or a result above Number.MAX_SAFE_INTEGER.
 *   (`-0` is treated as `0`.)
 */
export function dollarsToMicros(usd: number): number {
  const r = convert(usd);
  if (!r.ok) throw new RangeError(`dollar amount ${String(usd)} ${r.reason}`);
  return r.micros;
}

/**
 * Convert integer micro-dollars to dollars (a JSON-ready number).
 *
 * `micros / 1e6` is a single correctly-rounded IEEE division of two exactly
 * representable integers, so the result is the double nearest to the exact
 * decimal; its shortest representation is that decimal whenever doubles near
 * the result are spaced more finely than 1e-6, i.e. for every
 * `micros < 2^33 * 1e6` (≈ 8.59e15, comfortably above {@link MAX_MICROS}).
 * Hence `dollarsToMicros(microsToDollars(m)) === m` on that range.
 *
 * @throws RangeError if `micros` is not a non-negative safe integer.
 */
export function microsToDollars(micros: number): number {
  if (!Number.isSafeInteger(micros) || micros < 0) {
    throw new RangeError(`micros must be a non-negative safe integer, got ${String(micros)}`);
  }
  return micros / MICROS_PER_DOLLAR;
}

/** True if `usd` converts exactly (finite, >= 0, <= 6 decimals, in range). */
export function isValidUsdAmount(usd: number): boolean {
  return convert(usd).ok;
}

export type UsdAmountSchemaOptions = {
  /** Inclusive minimum in dollars (default 0). Must itself be a valid amount. */
  min?: number;
};

/**
 * Zod schema for a dollar amount in the API: a finite number, at least `min`
 * (default 0), at most {@link MAX_USD}, with at most 6 decimal places.
 * It does not transform: the output is the same dollar number; convert with
 * {@link dollarsToMicros} in the route (which cannot then throw).
 */
export function usdAmountSchema(options: UsdAmountSchemaOptions = {}) {
  const min = options.min ?? 0;
  if (!isValidUsdAmount(min) || min > MAX_USD) {
    throw new RangeError(`usdAmountSchema: min must be a valid dollar amount in [0, ${MAX_USD}], got ${String(min)}`);
  }
  return z
    .number({ error: "must be a number of US dollars" })
    .min(min, { error: min === 0 ? "must not be negative" : `must be at least ${String(min)} USD` })
    .max(MAX_USD, { error: `must be at most ${String(MAX_USD)} USD` })
    .refine((v) => isValidUsdAmount(v), {
      error: `must have at most ${MAX_USD_DECIMALS} decimal places`,
      // Skip when min/max already failed, so the user sees one clear message.
      when: (payload) => payload.issues.length === 0,
    });
}
