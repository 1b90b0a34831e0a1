import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  MAX_MICROS,
  MAX_USD,
  dollarsToMicros,
  isValidUsdAmount,
  microsToDollars,
  usdAmountSchema,
} from "../../src/quotas/money.js";

describe("dollarsToMicros", () => {
  it.each([
    [0, 0],
    [-0, 0],
    [1, 1_000_000],
    [0.01, 10_000],
    [0.29, 290_000],
    [0.07, 70_000],
    [1.1, 1_100_000],
    [1.15, 1_150_000],
    [4.35, 4_350_000],
    [19.99, 19_990_000],
    [0.000001, 1],
    [1e-6, 1],
    [5e-6, 5],
    [0.000123, 123],
    [123456.789012, 123_456_789_012],
    [1e9, 1e15],
    [999999999.999999, 999_999_999_999_999],
    [9007199254.74099, Number.MAX_SAFE_INTEGER - 1],
    [2.01, 2_010_000],
    [4.1, 4_100_000],
    [1e3, 1e9],
  ])("%s USD -> %s micros", (usd, micros) => {
    expect(dollarsToMicros(usd)).toBe(micros);
  });

  it("is exact where naive multiplication is not", () => {
    // Sanity: these are real float traps for `Math.trunc(x * 1e6)`.
    expect(Math.trunc(2.01 * 1e6)).toBe(2_009_999);
    expect(Math.trunc(4.1 * 1e6)).toBe(4_099_999);
    expect(Math.trunc(0.000249 * 1e6)).toBe(248);
    expect(dollarsToMicros(2.01)).toBe(2_010_000);
    expect(dollarsToMicros(4.1)).toBe(4_100_000);
    expect(dollarsToMicros(0.000249)).toBe(249);
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["negative", -0.01],
    ["negative integer", -1],
    ["7 decimals", 0.0000001],
    ["7 decimals (1.5e-7)", 1.5e-7],
    ["7 decimals (1.0000001)", 1.0000001],
    ["float noise 0.1+0.2", 0.1 + 0.2],
    ["above MAX_SAFE_INTEGER micros", 9007199254.740992],
    ["huge", 1e21],
    ["max double", Number.MAX_VALUE],
  ])("throws RangeError for %s", (_name, usd) => {
    expect(() => dollarsToMicros(usd)).toThrow(RangeError);
  });

  it("smallest positive double is rejected (too many decimals)", () => {
    expect(() => dollarsToMicros(Number.MIN_VALUE)).toThrow(RangeError);
  });
});

describe("microsToDollars", () => {
  it.each([
    [0, 0],
    [1, 0.000001],
    [10_000, 0.01],
    [290_000, 0.29],
    [1_100_000, 1.1],
    [123_456_789_012, 123456.789012],
    [MAX_MICROS, MAX_USD],
  ])("%s micros -> %s USD", (micros, usd) => {
    expect(microsToDollars(micros)).toBe(usd);
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.MAX_SAFE_INTEGER + 1]])(
    "throws RangeError for %s",
    (micros) => {
      expect(() => microsToDollars(micros)).toThrow(RangeError);
    },
  );

  it("round-trips every integer micros value in [0, 1e15]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), (m) => dollarsToMicros(microsToDollars(m)) === m),
      { numRuns: 20_000 },
    );
  });

  it("round-trips every micros value in [0, 2e6] and near 1e15", () => {
    const failures: number[] = [];
    const check = (m: number) => {
      if (dollarsToMicros(microsToDollars(m)) !== m) failures.push(m);
    };
    for (let m = 0; m <= 2_000_000; m++) check(m);
    for (let m = MAX_MICROS - 100_000; m <= MAX_MICROS; m++) check(m);
    expect(failures).toEqual([]);
  });

  it("round-trips dollars -> micros -> dollars for decimals with <= 6 fraction digits", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 999_999 }),
        (whole, frac) => {
          const usd = Number(`${whole}.${String(frac).padStart(6, "0")}`);
          return microsToDollars(dollarsToMicros(usd)) === usd && dollarsToMicros(usd) === whole * 1e6 + frac;
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe("usdAmountSchema", () => {
  const schema = usdAmountSchema();

  const messageOf = (value: unknown, s = schema): string | undefined => {
    const r = s.safeParse(value);
    return r.success ? undefined : r.error.issues.map((i) => i.message).join("; ");
  };

  it.each([0, 0.01, 0.29, 1.1, 123456.789012, 1e-6, MAX_USD])("accepts %s unchanged", (v) => {
    const r = schema.safeParse(v);
    expect(r.success).toBe(true);
    expect(r.data).toBe(v);
  });

  it("rejects too many decimal places with a clear message", () => {
    expect(messageOf(0.1 + 0.2)).toBe("must have at most 6 decimal places");
    expect(messageOf(1.0000001)).toBe("must have at most 6 decimal places");
  });

  it("rejects negatives", () => {
    expect(messageOf(-1)).toBe("must not be negative");
    expect(messageOf(-0.0000001)).toBe("must not be negative");
  });

  it("rejects amounts above 1e9 dollars", () => {
    expect(messageOf(MAX_USD + 1)).toBe("must be at most 1000000000 USD");
    expect(messageOf(1e21)).toBe("must be at most 1000000000 USD");
  });

  it("rejects non-numbers and non-finite numbers", () => {
    expect(schema.safeParse("1.00").success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
    expect(schema.safeParse(Number.NaN).success).toBe(false);
    expect(schema.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
  });

  it("honours min", () => {
    const positive = usdAmountSchema({ min: 0.01 });
    expect(positive.safeParse(0.01).success).toBe(true);
    expect(messageOf(0, positive)).toBe("must be at least 0.01 USD");
    expect(messageOf(0.009, positive)).toBe("must be at least 0.01 USD");
  });

  it("rejects an invalid min", () => {
    expect(() => usdAmountSchema({ min: -1 })).toThrow(RangeError);
    expect(() => usdAmountSchema({ min: 0.0000001 })).toThrow(RangeError);
  });

  it("anything the schema accepts converts without throwing", () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 2e9, noNaN: true }), (v) => {
        if (schema.safeParse(v).success) {
          expect(isValidUsdAmount(v)).toBe(true);
          expect(Number.isSafeInteger(dollarsToMicros(v))).toBe(true);
        }
      }),
    );
  });
});
