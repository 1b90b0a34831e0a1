import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageEvents } from "../../src/db/schema.js";
import { UsageBatcher } from "../../src/gateway/usage-batcher.js";
import { createLogger } from "../../src/lib/logger.js";
import { registry } from "../../src/ops/metrics.js";
import type { UsageReport } from "../../src/quotas/record-usage.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { getHarness, uniq } from "../helpers/harness.js";

/**
 * The batcher's two kinds of report: one a client waits for (`POST /v1/gateway/usage`: written at
 * once) and one nobody waits for (the gateway's own, after its answer: `held`, its batch waits for
 * others until `heldWaitMs` after the last batch began). What is seen: the rows in `usage_events`
 * and the batches counted by `tollgate_usage_batch_size`.
 */
async function setUp(heldWaitMs: number) {
  const h = await getHarness();
  const team = await createTeamFx();
  const key = await createKeyFx(team);
  const batcher = new UsageBatcher({ db: h.database.db, gateway: h.gateway, log: createLogger("error") }, 1, 3000, heldWaitMs);
  const subject = { teamId: team.id, keyId: key.apiKey.id as string, projectId: null, userId: null };
  const make = (): UsageReport => ({ subject, requestId: uniq("req"), model: "openai/gpt-5", micros: 10_000, byok: false, inputTokens: 10, outputTokens: 5, createdAt: Date.now() });
  const recorded = async (reports: UsageReport[]) =>
    (
      await h.database.db
        .select({ requestId: usageEvents.requestId })
        .from(usageEvents)
        .where(and(eq(usageEvents.teamId, team.id), inArray(usageEvents.requestId, reports.map((r) => r.requestId))))
    ).length;
  return { batcher, make, recorded };
}

/** Batches written and reports in them, so far (this worker's registry). */
async function batches() {
  const m = (await registry.getSingleMetric("tollgate_usage_batch_size")!.get()).values as { metricName?: string; value: number }[];
  const value = (name: string) => m.find((v) => v.metricName === name)?.value ?? 0;
  return { count: value("tollgate_usage_batch_size_count"), sum: value("tollgate_usage_batch_size_sum") };
}

describe("UsageBatcher", () => {
  it("writes the gateway's own reports together: held until the wait after the last batch, then one statement for all", async () => {
    const { batcher, make, recorded } = await setUp(1000);
    // The first after a quiet spell is written at once (no batch began within the wait).
    const first = make();
    expect((await batcher.submit(first, true)).recorded).toBe(true);
    const before = await batches();
    const held = [make(), make(), make(), make()];
    const pending = held.map((r) => batcher.submit(r, true));
    await new Promise((r) => setTimeout(r, 100));
    expect(await recorded(held)).toBe(0); // still held: the last batch began under 1 s ago
    expect((await Promise.all(pending)).every((r) => r.recorded)).toBe(true);
    expect(await recorded(held)).toBe(4);
    const after = await batches();
    expect([after.count - before.count, after.sum - before.sum]).toEqual([1, 4]);
  });

  it("a batch with new reports and repeats of a stored one: the new ones recorded, the retry adds nothing, the conflicting one refused, one statement", async () => {
    const { batcher, make, recorded } = await setUp(1000);
    const stored = make();
    expect((await batcher.submit(stored)).recorded).toBe(true);
    const before = await batches();
    const [a, b] = [make(), make()];
    // Submitted in the same turn: one batch, whose statement inserts two of its three request ids.
    const results = await Promise.all([{ ...stored }, a, { ...stored, micros: 20_000 }, b].map((r) => batcher.submit(r)));
    expect(results.map((r) => [r.recorded, r.conflict])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [true, false],
    ]);
    const after = await batches();
    expect([after.count - before.count, after.sum - before.sum]).toEqual([1, 4]);
    expect(await recorded([stored, a, b])).toBe(3);
  });

  it("writes a report a client waits for at once, and the held ones with it", async () => {
    const { batcher, make, recorded } = await setUp(60_000);
    await batcher.submit(make(), true);
    const held = [make(), make()];
    const pending = held.map((r) => batcher.submit(r, true));
    const before = await batches();
    const waited = make();
    expect((await batcher.submit(waited)).recorded).toBe(true); // not a minute later
    await Promise.all(pending);
    expect(await recorded([...held, waited])).toBe(3);
    const after = await batches();
    expect([after.count - before.count, after.sum - before.sum]).toEqual([1, 3]);
  });

  it("writes held reports at once when shutdown waits for it to be idle", async () => {
    const { batcher, make, recorded } = await setUp(60_000);
    await batcher.submit(make(), true);
    const held = [make(), make(), make()];
    const pending = held.map((r) => batcher.submit(r, true));
    await batcher.idle();
    expect(await recorded(held)).toBe(3);
    expect((await Promise.all(pending)).every((r) => r.recorded)).toBe(true);
  });
});
