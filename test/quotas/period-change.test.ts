import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { spendCounters } from "../../src/db/schema.js";
import type { Change } from "../../src/events/changes.js";
import { createKeyFx, createProjectFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

// Security review, High: a counter left at a `none` budget's start (its creation time, later than
// 00:00 / Monday / the 1st) was never updated again once the period changed, so usage answered
// 202 and authorize kept admitting. Every path that changes the budget applying to an entity
// must keep counting (and keep the current period's spend, as editing promises).

const put = (team: TeamFx, body: object) => call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body });
const del = (team: TeamFx, query: string) => call("DELETE", `/v1/ai-gateway/budgets?teamId=${team.id}&${query}`, { token: team.owner.token });
const budgets = async (team: TeamFx) => (await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token })).body.budgets as any[];

function quota(res: { body: any }, scope: string) {
  return (res.body.quotas as { scope: string; currentSpend: number }[]).find((q) => q.scope === scope);
}

describe("budgets keep counting when their period changes", () => {
  it("team-default user budget none → daily: the spend carries and every later report counts", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, {}, team.member.token);
    expect((await put(team, { scopeType: "user", limitAmount: 10, refreshPeriod: "none" })).status).toBe(200);
    expect((await report(k.apiKey.id, 0.5)).status).toBe(202);
    expect((await put(team, { scopeType: "user", limitAmount: 10, refreshPeriod: "daily" })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await report(k.apiKey.id, 5)).status).toBe(202);
    const refused = await authorize(k.apiKeyString);
    expect(refused.status).toBe(402);
    expect(refused.body.error.param).toMatchObject({ scope: "user", currentSpend: 15.5 });
  });

  it("team budget none → DELETE → PUT monthly: spend after the new budget is counted and enforced", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    await put(team, { scopeType: "team", limitAmount: 50, refreshPeriod: "none" });
    await report(k.apiKey.id, 1);
    expect((await del(team, "scopeType=team")).status).toBe(204);
    await report(k.apiKey.id, 7); // no budget applies: not counted anywhere
    expect((await put(team, { scopeType: "team", limitAmount: 2, refreshPeriod: "monthly" })).status).toBe(200);
    const fresh = await authorize(k.apiKeyString);
    expect(fresh.status).toBe(200);
    expect(quota(fresh, "team")).toMatchObject({ currentSpend: 0 });
    const r = await report(k.apiKey.id, 100);
    expect(quota(r, "team")).toMatchObject({ currentSpend: 100 });
    const refused = await authorize(k.apiKeyString);
    expect(refused.status).toBe(402);
    expect(refused.body.error.param).toMatchObject({ scope: "team", currentSpend: 100 });
    expect((await budgets(team)).find((b) => b.scopeType === "team").currentSpend).toBe(100);
  });

  it("key quota none → daily → weekly → monthly → none: the spend follows every edit", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 100, refreshPeriod: "none" } });
    const path = `/v1/api-keys/${k.apiKey.id}/quota`;
    let spent = 0;
    for (const refreshPeriod of ["daily", "weekly", "monthly", "none", "daily"]) {
      await report(k.apiKey.id, 1.25);
      spent += 1.25;
      const edited = await call("PATCH", path, { token: team.owner.token, body: { refreshPeriod } });
      expect(edited.status).toBe(200);
      expect(edited.body.quota, refreshPeriod).toMatchObject({ refreshPeriod, currentSpend: spent });
      const r = await report(k.apiKey.id, 0.75);
      spent += 0.75;
      expect(quota(r, "api_key"), refreshPeriod).toMatchObject({ currentSpend: spent });
      expect(quota(await authorize(k.apiKeyString), "api_key"), refreshPeriod).toMatchObject({ currentSpend: spent });
    }
  });

  it("an entity's own budget replacing the team default keeps its spend, and so does removing it again", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const k = await createKeyFx(team, { projectId: project.id });
    await put(team, { scopeType: "project", limitAmount: 10, refreshPeriod: "daily" });
    await report(k.apiKey.id, 2);
    // Own budget, another period: the day's $2 moves into it.
    await put(team, { scopeType: "project", projectId: project.id, limitAmount: 3, refreshPeriod: "none" });
    await report(k.apiKey.id, 0.5);
    expect(quota(await authorize(k.apiKeyString), "project")).toMatchObject({ currentSpend: 2.5 });
    await report(k.apiKey.id, 0.5);
    expect((await authorize(k.apiKeyString)).status).toBe(402);
    // Removing the own budget: the default applies again, with the spend.
    expect((await del(team, `scopeType=project&projectId=${project.id}`)).status).toBe(204);
    await report(k.apiKey.id, 1);
    expect(quota(await authorize(k.apiKeyString), "project")).toMatchObject({ limitAmount: 10, currentSpend: 4 });
  });

  it("the team default user budget daily → monthly → none keeps each user's spend", async () => {
    const team = await createTeamFx();
    const a = await createKeyFx(team, {}, team.member.token);
    const b = await createKeyFx(team, {}, team.owner.token);
    await put(team, { scopeType: "user", limitAmount: 5, refreshPeriod: "daily" });
    await report(a.apiKey.id, 1);
    await report(b.apiKey.id, 2);
    for (const refreshPeriod of ["monthly", "none", "weekly"]) {
      await put(team, { scopeType: "user", limitAmount: 5, refreshPeriod });
      expect(quota(await authorize(a.apiKeyString), "user"), refreshPeriod).toMatchObject({ currentSpend: 1 });
      expect(quota(await authorize(b.apiKeyString), "user"), refreshPeriod).toMatchObject({ currentSpend: 2 });
    }
    await report(a.apiKey.id, 4);
    expect((await authorize(a.apiKeyString)).status).toBe(402);
    expect((await authorize(b.apiKeyString)).status).toBe(200);
  });
});

describe("counters at the edges", () => {
  it("a counter near 2^53 micro-dollars saturates: authorize refuses (402) and the lists answer, never a 500", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 5 } });
    await put(team, { scopeType: "team", limitAmount: 5, refreshPeriod: "none" });
    await report(k.apiKey.id, 1);
    await database.db
      .update(spendCounters)
      .set({ spendMicros: Number.MAX_SAFE_INTEGER - 10 })
      .where(eq(spendCounters.teamId, team.id));
    (await getHarness()).gateway.clear();
    for (let i = 0; i < 3; i++) expect((await report(k.apiKey.id, 1_000_000)).status).toBe(202);
    const refused = await authorize(k.apiKeyString);
    expect(refused.status).toBe(402);
    expect(refused.body.error.param.currentSpend).toBe(Number.MAX_SAFE_INTEGER / 1e6);
    expect((await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token })).status).toBe(200);
    expect((await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token })).status).toBe(200);
    const rows = await database.db.select().from(spendCounters).where(eq(spendCounters.teamId, team.id));
    for (const r of rows) expect(r.spendMicros).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("a spend notification older than what this instance applied does not lower its cached counter", async () => {
    const { gateway } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    await report(k.apiKey.id, 2);
    await report(k.apiKey.id, 3);
    expect(quota(await authorize(k.apiKeyString), "api_key")).toMatchObject({ currentSpend: 5 });
    // The notification of the first write (version 1, $2) arriving late, after the second.
    gateway.apply(keySpend(team.id, k.apiKey, 2_000_000, 1));
    expect(quota(await authorize(k.apiKeyString), "api_key")).toMatchObject({ currentSpend: 5 });
  });
});

describe("this instance's own spend writes", () => {
  it("an own write applied after a budgets change emptied the cache does not bring back an older value", async () => {
    const { gateway } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    await report(k.apiKey.id, 2);
    await report(k.apiKey.id, 3); // the database holds $5 (version 2)
    const epoch = gateway.spendEpoch; // a write of $2 (version 1) about to apply itself locally...
    gateway.apply({ t: "budgets", teamId: team.id }); // ...when a budget edit's notification empties the counters
    gateway.applyOwn(keySpend(team.id, k.apiKey, 2_000_000, 1), epoch);
    expect(quota(await authorize(k.apiKeyString), "api_key")).toMatchObject({ currentSpend: 5 });
  });
});

/** A spend notification for a key's counter (as the usage statement sends them). */
function keySpend(teamId: string, key: { id: string; [k: string]: unknown }, spendMicros: number, version: number): Change {
  return {
    t: "spend",
    teamId,
    scopeType: "api_key",
    scopeId: key.id,
    periodStart: (key.quota as { periodStart: number }).periodStart,
    periodEnd: null,
    spendMicros,
    byokSpendMicros: 0,
    alertsSent: [],
    version,
  };
}
