import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { spendCounters } from "../../src/db/schema.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { getHarness } from "../helpers/harness.js";

// An instance applies its own committed spend write to its cache at once. It skips the write when a
// budgets change emptied that team's counters while the write was under way; another team's budgets
// change (every instance hears every team's) must not make it skip, or the cached counter stays at
// its value before the spend and the next request is admitted past a spent budget.

async function counterOf(keyId: string) {
  const h = await getHarness();
  const [row] = await h.database.db
    .select()
    .from(spendCounters)
    .where(and(eq(spendCounters.scopeType, "api_key"), eq(spendCounters.scopeId, keyId)));
  return row!;
}

const spendOf = (res: { body: any }) => (res.body.quotas as { scope: string; currentSpend: number }[]).find((q) => q.scope === "api_key")?.currentSpend;

describe("an instance's own spend writes", () => {
  it("apply at once though another team's budgets changed meanwhile", async () => {
    const h = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "none" } });
    expect((await report(k.apiKey.id, 1)).status).toBe(202);
    expect(spendOf(await authorize(k.apiKeyString))).toBe(1); // cached at $1
    const row = await counterOf(k.apiKey.id);

    const epoch = h.gateway.spendEpoch; // a write starts
    h.gateway.apply({ t: "budgets", teamId: (await createTeamFx()).id }); // another team's budgets change arrives
    h.gateway.applyOwn(
      {
        t: "spend",
        teamId: team.id,
        scopeType: "api_key",
        scopeId: k.apiKey.id,
        periodStart: Number(row.periodStart),
        periodEnd: row.periodEnd === null ? null : Number(row.periodEnd),
        spendMicros: 12_000_000,
        byokSpendMicros: 0,
        alertsSent: [],
        version: Number(row.version) + 1,
      },
      epoch,
    );
    const after = await authorize(k.apiKeyString);
    expect(after.status).toBe(402);
    expect(after.body.error.param).toMatchObject({ scope: "api_key", currentSpend: 12 });
  });

  it("are read afresh, not applied, when their own team's budgets changed meanwhile", async () => {
    const h = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "none" } });
    expect((await report(k.apiKey.id, 1)).status).toBe(202);
    expect(spendOf(await authorize(k.apiKeyString))).toBe(1);
    const row = await counterOf(k.apiKey.id);

    const epoch = h.gateway.spendEpoch;
    h.gateway.apply({ t: "budgets", teamId: team.id });
    h.gateway.applyOwn(
      {
        t: "spend",
        teamId: team.id,
        scopeType: "api_key",
        scopeId: k.apiKey.id,
        periodStart: Number(row.periodStart),
        periodEnd: row.periodEnd === null ? null : Number(row.periodEnd),
        spendMicros: 12_000_000, // not what the database holds: a late write must not land
        byokSpendMicros: 0,
        alertsSent: [],
        version: Number(row.version) + 1,
      },
      epoch,
    );
    const after = await authorize(k.apiKeyString);
    expect(after.status).toBe(200);
    expect(spendOf(after)).toBe(1);
  });
});
