import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { usageEvents } from "../../src/db/schema.js";
import { ManualClock } from "../../src/lib/clock.js";
import { pruneUsage, usageIdBound } from "../../src/reports/retention.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { report } from "../helpers/gateway.js";
import { call, getHarness, uniq } from "../helpers/harness.js";

const DAY = 86_400_000;

/** Gives a recorded report the id it would have had if it was recorded at `t` (ids are time-sortable). */
async function backdate(requestId: string, t: number) {
  const { database } = await getHarness();
  const id = usageIdBound(t) + randomBytes(8).toString("hex");
  await database.db.update(usageEvents).set({ id, createdAt: t }).where(eq(usageEvents.requestId, requestId));
}

describe("usage retention", () => {
  it("drops raw reports older than the retention, in batches, and keeps every rollup", async () => {
    const { database, makeApp } = await getHarness();
    const now = Date.now();
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const app = makeApp({ clock: new ManualClock(now - 40 * DAY) });
    const old = [uniq("old"), uniq("old"), uniq("old")];
    for (const requestId of old) {
      expect((await report(k.apiKey.id, 1, { requestId, app })).status).toBe(202);
      await backdate(requestId, now - 40 * DAY);
    }
    const recent = uniq("new");
    expect((await report(k.apiKey.id, 2, { requestId: recent })).status).toBe(202);
    const dayOld = uniq("day");
    expect((await report(k.apiKey.id, 4, { requestId: dayOld })).status).toBe(202);
    await backdate(dayOld, now - 20 * 3_600_000);

    const before = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&from=${now - 50 * DAY}&to=${now + DAY}&granularity=month`, { token: team.owner.token });

    // Never under a day, whatever is asked: a 20-hour-old report stays (its requestId is still idempotent).
    await pruneUsage(database.db, now, 0, 1);
    const ids = async () =>
      (await database.db.select({ r: usageEvents.requestId }).from(usageEvents).where(inArray(usageEvents.requestId, [...old, recent, dayOld]))).map((x) => x.r).sort();
    expect(await ids()).toEqual([dayOld, recent].sort());

    // The rollups are untouched: the report is the same.
    const after = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&from=${now - 50 * DAY}&to=${now + DAY}&granularity=month`, { token: team.owner.token });
    expect(after.body.rows).toEqual(before.body.rows);
    expect(after.body.rows.reduce((a: number, r: any) => a + r.costUsd, 0)).toBe(9);
    expect(after.body.rows.reduce((a: number, r: any) => a + r.requests, 0)).toBe(5);

    await pruneUsage(database.db, now, 30);
    expect(await ids()).toEqual([dayOld, recent].sort());
  });

  it("TOLLGATE_USAGE_RETENTION_DAYS defaults to 30 and is never under 1", () => {
    expect(loadConfig({}).usageRetentionDays).toBe(30);
    expect(loadConfig({ TOLLGATE_USAGE_RETENTION_DAYS: "7" }).usageRetentionDays).toBe(7);
    expect(() => loadConfig({ TOLLGATE_USAGE_RETENTION_DAYS: "0" })).toThrow(/TOLLGATE_USAGE_RETENTION_DAYS/);
  });
});
