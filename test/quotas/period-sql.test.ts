import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/rows.js";
import { currentPeriod, REFRESH_PERIODS } from "../../src/quotas/period.js";
import { periodEndSql, periodStartSql } from "../../src/quotas/record-usage.js";
import { getHarness } from "../helpers/harness.js";

describe("budget periods computed in SQL (usage) and in TypeScript (authorize, reads)", () => {
  it("agree for any instant from 2000 to 2100 and any refresh period", async () => {
    const { database } = await getHarness();
    const at = async (period: string, now: number, anchor: number) => {
      const [row] = rowsOf<{ s: string | number; e: string | number | null }>(
        await database.db.execute(
          sql`select ${periodStartSql(now)} as s, ${periodEndSql(now)} as e from (values (${period}::text, ${anchor}::bigint)) as v(refresh_period, period_anchor)`,
        ),
      );
      return { start: Number(row!.s), end: row!.e === null ? null : Number(row!.e) };
    };
    const edges = ["2027-03-10T23:59:59.999Z", "2027-03-15T00:00:00.000Z", "2027-12-31T23:59:59.999Z", "2028-02-29T12:00:00Z", "2028-03-01T00:00:00Z"];
    for (const iso of edges) for (const p of REFRESH_PERIODS) expect(await at(p, Date.parse(iso), 12345)).toEqual(currentPeriod(p, Date.parse(iso), 12345));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REFRESH_PERIODS),
        fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2100-01-01T00:00:00Z") }),
        async (period, now) => {
          expect(await at(period, now, now - 1000)).toEqual(currentPeriod(period, now, now - 1000));
        },
      ),
      { numRuns: 300 },
    );
  });
});
