import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/rows.js";
import { currentPeriod, MS_PER_DAY, REFRESH_PERIODS } from "../../src/quotas/period.js";
import { hourStartSql, periodEndSql, periodStartSql } from "../../src/quotas/record-usage.js";
import { bucketSql } from "../../src/reports/queries.js";
import { getHarness } from "../helpers/harness.js";

/**
 * Budget periods and report buckets are computed twice: in TypeScript (`currentPeriod`: authorize,
 * budget reads, period moves) and in SQL (the usage statement's `periodStartSql`/`periodEndSql`
 * and rollup `hourStartSql`, the spend report's `bucketSql`). These properties run the production
 * SQL fragments (not copies) over generated instants, one statement per batch, and compare.
 *
 * A failure prints fast-check's seed; rerun with PROPERTY_SEED=<seed> to reproduce it.
 */

const HOUR = 3_600_000;
const utc = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad timestamp ${iso}`);
  return ms;
};
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Instants both sides can represent: Postgres timestamps begin in 4714 BC (its month arithmetic
 * needs the month before to exist); JS dates end at +275760-09-13, and `currentPeriod` then needs
 * the next month's start.
 */
const MIN = utc("-004713-12-01T00:00:00.000Z");
const MAX = utc("+275760-08-31T23:59:59.999Z");

/** Instants anyone has reason to test by hand: boundaries, leap days, year and century ends, the epoch, the range's ends. */
const EDGES = [
  "1970-01-01T00:00:00.000Z",
  "1969-12-31T23:59:59.999Z",
  "1970-01-04T23:59:59.999Z", // Sunday before the first Monday after the epoch
  "1970-01-05T00:00:00.000Z",
  "1969-12-29T00:00:00.000Z",
  "1969-12-28T23:59:59.999Z",
  "2027-03-10T23:59:59.999Z",
  "2027-03-15T00:00:00.000Z",
  "2027-12-31T23:59:59.999Z",
  "2028-01-01T00:00:00.000Z",
  "2028-02-29T00:00:00.000Z",
  "2028-02-29T12:00:00.000Z",
  "2028-02-29T23:59:59.999Z",
  "2028-03-01T00:00:00.000Z",
  "2000-02-29T12:00:00.000Z", // leap century
  "2100-02-28T23:59:59.999Z", // not a leap year
  "2100-03-01T00:00:00.000Z",
  "2400-02-29T23:59:59.999Z",
  "1999-12-31T23:59:59.999Z",
  "9999-12-31T23:59:59.999Z",
  "+010000-01-01T00:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "-000001-12-31T23:59:59.999Z",
  "1900-02-28T23:59:59.999Z",
  "1582-10-15T00:00:00.000Z", // the Gregorian switch (both sides are proleptic Gregorian)
  "+275760-08-31T23:59:59.999Z",
  "-004713-12-01T00:00:00.000Z",
].map(utc);

/** Midnight UTC of a proleptic Gregorian date (setUTCFullYear: years 0..99 are not 1900..1999). */
const midnight = (year: number, month: number, day: number) => {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime();
};

const clamp = (t: number) => Math.min(MAX, Math.max(MIN, t));

/** A boundary (midnight, a Monday, a month's 1st, an hour) of a generated date, or just around it. */
const nearBoundary = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1960, max: 2200 }), fc.integer({ min: -4713, max: 275759 })),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.integer({ min: 1, max: 31 }),
    align: fc.constantFrom("day", "monday", "first", "hour"),
    hour: fc.integer({ min: 0, max: 23 }),
    delta: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -HOUR, max: HOUR })),
  })
  .map(({ year, month, day, align, hour, delta }) => {
    let t = midnight(year, month, align === "first" ? 1 : day);
    if (align === "monday") t -= ((new Date(t).getUTCDay() + 6) % 7) * MS_PER_DAY;
    if (align === "hour") t += hour * HOUR;
    return clamp(t + delta);
  });

const instant = fc.oneof(
  fc.integer({ min: utc("1970-01-01T00:00:00Z"), max: utc("2200-01-01T00:00:00Z") }),
  fc.integer({ min: MIN, max: MAX }),
  nearBoundary,
  fc.constantFrom(...EDGES),
);

const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
/** Batches per property (each one statement) and the most instants in one. */
const RUNS = 10;
const BATCH = 1000;

type Mismatch = { at: string; what: string; ts: unknown; sql: unknown };

/** The first disagreements (up to 5), readable. */
const first = (m: Mismatch[]) => m.slice(0, 5);

describe("budget periods: TypeScript (currentPeriod) and the usage statement's SQL (periodStartSql, periodEndSql)", () => {
  it("agree on every refresh period's start and end for generated instants (edges, leap days, year ends, far dates)", async () => {
    const { database } = await getHarness();
    const check = async (instants: number[]) => {
      const cases = instants.map((now, i) => ({ i, now, period_anchor: now - 1 - (i % 1000) }));
      const rows = rowsOf<{ i: number; refresh_period: string; s: string | number; e: string | number | null }>(
        await database.db.execute(sql`
          select v.i, p.refresh_period, ${periodStartSql(sql`v.now`)} as s, ${periodEndSql(sql`v.now`)} as e
            from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as v(i int, now bigint, period_anchor bigint)
            cross join (values ('daily'), ('weekly'), ('monthly'), ('none')) as p(refresh_period)`),
      );
      expect(rows).toHaveLength(cases.length * REFRESH_PERIODS.length);
      const mismatches: Mismatch[] = [];
      for (const r of rows) {
        const c = cases[Number(r.i)]!;
        const period = r.refresh_period as (typeof REFRESH_PERIODS)[number];
        const ts = currentPeriod(period, c.now, c.period_anchor);
        const got = { start: Number(r.s), end: r.e === null ? null : Number(r.e) };
        if (got.start !== ts.start || got.end !== ts.end) {
          mismatches.push({
            at: `${iso(c.now)} (${c.now})`,
            what: period,
            ts: { start: iso(ts.start), end: ts.end === null ? null : iso(ts.end) },
            sql: { start: iso(got.start), end: got.end === null ? null : iso(got.end) },
          });
        }
      }
      return mismatches;
    };

    expect(first(await check(EDGES))).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.array(instant, { minLength: 1, maxLength: BATCH, size: "max" }), async (instants) => {
        expect(first(await check(instants))).toEqual([]);
      }),
      { numRuns: RUNS, seed },
    );
  });

  it("agree at the edges with `now` as the usage statement passes it (a bigint parameter)", async () => {
    const { database } = await getHarness();
    for (const now of EDGES) {
      const rows = rowsOf<{ refresh_period: string; s: string | number; e: string | number | null }>(
        await database.db.execute(sql`
          select p.refresh_period, ${periodStartSql(now)} as s, ${periodEndSql(now)} as e
            from (values ('daily'), ('weekly'), ('monthly'), ('none')) as p(refresh_period), (values (${now - 1}::bigint)) as a(period_anchor)`),
      );
      const got = Object.fromEntries(rows.map((r) => [r.refresh_period, { start: Number(r.s), end: r.e === null ? null : Number(r.e) }]));
      const ts = Object.fromEntries(REFRESH_PERIODS.map((p) => [p, currentPeriod(p, now, now - 1)]));
      expect(got, iso(now)).toEqual(ts);
    }
  });
});

describe("report buckets: the spend report's SQL (bucketSql over rollups' hour_start and raw usage's created_at) and TypeScript", () => {
  it("an hour, day or month bucket of an instant is its UTC hour, and its daily or monthly budget period's start", async () => {
    const { database } = await getHarness();
    const check = async (instants: number[]) => {
      const cases = instants.map((now, i) => ({ i, now }));
      // As reported: a usage report's rollup row is at hourStartSql(now) (record-usage.ts), its raw row's created_at is now.
      const rows = rowsOf<Record<string, string | number>>(
        await database.db.execute(sql`
          select e.i,
                 ${bucketSql("hour")} as rollup_hour, ${bucketSql("day")} as rollup_day, ${bucketSql("month")} as rollup_month,
                 ${bucketSql("hour", "e.created_at")} as raw_hour, ${bucketSql("day", "e.created_at")} as raw_day,
                 ${bucketSql("month", "e.created_at")} as raw_month
            from (select v.i, v.now as created_at, ${hourStartSql(sql`v.now`)} as hour_start
                    from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as v(i int, now bigint)) e`),
      );
      expect(rows).toHaveLength(cases.length);
      const mismatches: Mismatch[] = [];
      for (const r of rows) {
        const now = cases[Number(r.i)]!.now;
        const expected: Record<string, number> = {
          hour: Math.floor(now / HOUR) * HOUR,
          day: currentPeriod("daily", now, 0).start,
          month: currentPeriod("monthly", now, 0).start,
        };
        for (const source of ["rollup", "raw"]) {
          for (const g of ["hour", "day", "month"]) {
            const got = Number(r[`${source}_${g}`]);
            if (got !== expected[g]) mismatches.push({ at: `${iso(now)} (${now})`, what: `${source} ${g}`, ts: iso(expected[g]!), sql: iso(got) });
          }
        }
      }
      return mismatches;
    };

    expect(first(await check(EDGES))).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.array(instant, { minLength: 1, maxLength: BATCH, size: "max" }), async (instants) => {
        expect(first(await check(instants))).toEqual([]);
      }),
      { numRuns: RUNS, seed },
    );
  });
});
