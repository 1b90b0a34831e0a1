import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../src/db/schema.js";
import { ManualClock } from "../../src/lib/clock.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

const utc = (s: string) => Date.parse(s);

describe("key budgets", () => {
  it("aiGatewayQuota on create: every ApiKeyQuota field", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 500, refreshPeriod: "monthly", alertThresholds: [75] } });
    expect(k.apiKey.quota).toEqual({
      quotaEntityId: `api_key_id_${k.apiKey.id}`,
      limitAmount: 500,
      currentSpend: 0,
      currentByokSpend: 0,
      includeByokInQuota: false,
      refreshPeriod: "monthly",
      periodStart: expect.any(Number),
      periodEnd: expect.any(Number),
      active: true,
      archived: false,
      alertThresholds: [75],
      enforcement: "soft",
      reserved: 0,
      createdAt: k.apiKey.createdAt,
      updatedAt: k.apiKey.createdAt,
    });
    const q = k.apiKey.quota as { periodStart: number; periodEnd: number };
    expect(new Date(q.periodStart).getUTCDate()).toBe(1);
    expect(new Date(q.periodEnd).getUTCDate()).toBe(1);
  });

  it("rejects limitAmount below 1 or with more than 6 decimals, and bad periods/thresholds", async () => {
    const team = await createTeamFx();
    for (const aiGatewayQuota of [{ limitAmount: 0.5 }, { limitAmount: 1.0000001 }, { limitAmount: 5, refreshPeriod: "hourly" }, { limitAmount: 5, alertThresholds: [60] }, { refreshPeriod: "daily" }]) {
      const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway", aiGatewayQuota } });
      expect(r.status, JSON.stringify(aiGatewayQuota)).toBe(400);
    }
  });

  it("PATCH upserts (limitAmount required first), edits keep the period's spend, archive removes, any edit restores", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const path = `/v1/api-keys/${k.apiKey.id}/quota`;
    const missing = await call("PATCH", path, { token: team.owner.token, body: { refreshPeriod: "daily" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.params[0].path).toBe("limitAmount");

    const created = await call("PATCH", path, { token: team.owner.token, body: { limitAmount: 2, refreshPeriod: "monthly" } });
    expect(created.status).toBe(200);
    expect(created.body.quota.limitAmount).toBe(2);
    expect(created.body.apiKey.quota).toEqual(created.body.quota);
    await report(k.apiKey.id, 1.5);

    const edited = await call("PATCH", path, { token: team.owner.token, body: { limitAmount: 3, refreshPeriod: "weekly", includeByokInQuota: true } });
    expect(edited.body.quota).toMatchObject({ limitAmount: 3, refreshPeriod: "weekly", currentSpend: 1.5, includeByokInQuota: true });

    const archived = await call("PATCH", path, { token: team.owner.token, body: { archived: true } });
    expect(archived.body.apiKey.quota).toBeNull();
    expect(archived.body.quota.archived).toBe(true);
    expect((await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token })).body.apiKey.quota).toBeNull();
    await report(k.apiKey.id, 5); // unlimited now, still counted
    expect((await authorize(k.apiKeyString)).status).toBe(200);

    const restored = await call("PATCH", path, { token: team.owner.token, body: { archived: false } });
    expect(restored.body.apiKey.quota).toMatchObject({ limitAmount: 3, archived: false, currentSpend: 6.5 });
    expect((await authorize(k.apiKeyString)).status).toBe(402);

    const paused = await call("PATCH", path, { token: team.owner.token, body: { active: false } });
    expect(paused.body.quota.active).toBe(false);
    expect((await authorize(k.apiKeyString)).status).toBe(200);

    const { database } = await getHarness();
    const actions = (await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, k.apiKey.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["quota.create", "quota.update", "quota.archive"]));
  });

  it("writes one quota.threshold audit event per threshold per period", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "monthly" } });
    await Promise.all(Array.from({ length: 40 }, () => report(k.apiKey.id, 0.05))); // $2.00: crosses 50, 75, 100
    const { database } = await getHarness();
    const alerts = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "quota.threshold"), eq(auditEvents.targetId, k.apiKey.id)));
    expect(alerts.map((a) => a.data.threshold).sort()).toEqual([100, 50, 75]);
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}&limit=100`, { token: team.developer.token });
    expect(log.body.events.filter((e: { action: string }) => e.action === "quota.threshold")).toHaveLength(3);
  });
});

describe("periods roll over at UTC boundaries without a job", () => {
  const edges: [string, "daily" | "weekly" | "monthly", string, string][] = [
    ["daily at midnight", "daily", "2027-03-10T23:59:59.999Z", "2027-03-11T00:00:00.000Z"],
    ["weekly Sunday to Monday", "weekly", "2027-03-14T23:59:59.999Z", "2027-03-15T00:00:00.000Z"],
    ["monthly Dec 31 to Jan 1", "monthly", "2027-12-31T23:59:59.999Z", "2028-01-01T00:00:00.000Z"],
    ["daily Feb 28 to Feb 29 (leap year)", "daily", "2028-02-28T23:59:59.999Z", "2028-02-29T00:00:00.000Z"],
    ["monthly Feb 29 to Mar 1 (leap year)", "monthly", "2028-02-29T23:59:59.999Z", "2028-03-01T00:00:00.000Z"],
    ["monthly Feb 28 to Mar 1", "monthly", "2027-02-28T23:59:59.999Z", "2027-03-01T00:00:00.000Z"],
  ];
  for (const [label, period, before, after] of edges) {
    it(`${label}: spent at ${before}, allowed again at ${after}`, async () => {
      const { makeApp } = await getHarness();
      const clock = new ManualClock(utc(before) - 3_600_000);
      const app = makeApp({ clock });
      const team = await createTeamFx();
      const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, {
        app,
        token: team.owner.token,
        body: { purpose: "ai-gateway", aiGatewayQuota: { limitAmount: 1, refreshPeriod: period } },
      });
      const key = created.body;
      clock.set(utc(before));
      expect((await report(key.apiKey.id, 1, { app })).status).toBe(202);
      const refused = await authorize(key.apiKeyString, "openai/gpt-5", app);
      expect(refused.status).toBe(402);
      expect(refused.body.error.param.periodEnd).toBe(utc(after));
      clock.set(utc(after));
      const allowed = await authorize(key.apiKeyString, "openai/gpt-5", app);
      expect(allowed.status).toBe(200);
      expect(allowed.body.quotas[0]).toMatchObject({ currentSpend: 0, remaining: 1 });
      // The first write of the new period starts from zero.
      const r = await report(key.apiKey.id, 0.25, { app });
      expect(r.body.quotas[0].currentSpend).toBe(0.25);
      const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { app, token: team.owner.token });
      expect(got.body.apiKey.quota).toMatchObject({ currentSpend: 0.25, periodStart: utc(after) });
    });
  }

  it("a report stamped in an older period than the counter's is counted in the current one, without resetting it", async () => {
    const { makeApp } = await getHarness();
    const clock = new ManualClock(utc("2027-05-31T23:00:00Z"));
    const app = makeApp({ clock });
    const team = await createTeamFx();
    const key = (await call("POST", `/v1/api-keys?teamId=${team.id}`, { app, token: team.owner.token, body: { purpose: "ai-gateway", aiGatewayQuota: { limitAmount: 5, refreshPeriod: "daily" } } })).body;
    clock.set(utc("2027-06-01T00:00:01Z"));
    await report(key.apiKey.id, 1, { app });
    const lagging = makeApp({ clock: { now: () => utc("2027-05-31T23:59:59Z") } });
    await report(key.apiKey.id, 3, { app: lagging });
    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { app, token: team.owner.token });
    // Never lost (a budget must not be slipped past), never a reset of the day already begun.
    expect(got.body.apiKey.quota.currentSpend).toBe(4);
    expect(got.body.apiKey.quota.periodStart).toBe(utc("2027-06-01T00:00:00Z"));
  });
});

describe("team, project and user budgets", () => {
  it("a request is refused when any budget in its scope is spent: team, project, user, and their defaults", async () => {
    const team = await createTeamFx();
    const p1 = await createProjectFx(team);
    const p2 = await createProjectFx(team);
    const k1 = await createKeyFx(team, { projectId: p1.id }, team.member.token);
    const k2 = await createKeyFx(team, { projectId: p2.id }, team.owner.token);
    const put = (body: object) => call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body });

    // Default per-project budget of $1: each project has its own $1.
    expect((await put({ scopeType: "project", limitAmount: 1, refreshPeriod: "monthly" })).status).toBe(200);
    await report(k1.apiKey.id, 1);
    expect((await authorize(k1.apiKeyString)).status).toBe(402);
    expect((await authorize(k2.apiKeyString)).status).toBe(200);

    // A specific budget for p1 overrides the default.
    const specific = await put({ scopeType: "project", projectId: p1.id, limitAmount: 5, refreshPeriod: "monthly" });
    expect(specific.body.budget).toMatchObject({ scopeType: "project", projectId: p1.id, isDefault: false, limitAmount: 5 });
    expect((await authorize(k1.apiKeyString)).status).toBe(200);

    // User budget for the member who created k1.
    await put({ scopeType: "user", userId: team.member.id, limitAmount: 1, refreshPeriod: "daily" });
    await report(k1.apiKey.id, 1);
    const userSpent = await authorize(k1.apiKeyString);
    expect(userSpent.status).toBe(402);
    expect(userSpent.body.error.param.scope).toBe("user");

    // Team budget of $3: total spend so far is $2, then k2 spends $1 more.
    await put({ scopeType: "team", limitAmount: 3, refreshPeriod: "monthly" });
    expect((await authorize(k2.apiKeyString)).status).toBe(200);
    await report(k2.apiKey.id, 0.5);
    expect((await authorize(k2.apiKeyString)).status).toBe(200);
    // The team counter only started when the team budget was created: $0.5 so far.
    await report(k2.apiKey.id, 2.5);
    const teamSpent = await authorize(k2.apiKeyString);
    expect(teamSpent.status).toBe(402);
    expect(teamSpent.body.error.param.scope).toBe("team");

    const list = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.developer.token });
    expect(list.body.budgets.map((b: { scopeType: string; isDefault: boolean }) => `${b.scopeType}:${b.isDefault}`)).toEqual([
      "project:true",
      "project:false",
      "user:false",
      "team:false",
    ]);

    expect((await call("DELETE", `/v1/ai-gateway/budgets?teamId=${team.id}&scopeType=team`, { token: team.member.token })).status).toBe(204);
    expect((await call("DELETE", `/v1/ai-gateway/budgets?teamId=${team.id}&scopeType=team`, { token: team.member.token })).status).toBe(404);
    // Without the team budget, p2's default project budget ($3 spent of $1) still refuses k2.
    const projectSpent = await authorize(k2.apiKeyString);
    expect(projectSpent.status).toBe(402);
    expect(projectSpent.body.error.param).toMatchObject({ scope: "project", quotaEntityId: `project_id_${p2.id}`, currentSpend: 3 });
  });

  it("400 for a project or user outside the team, or fields that do not fit the scope", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const foreign = await createProjectFx(other);
    for (const body of [
      { scopeType: "project", projectId: foreign.id, limitAmount: 1, refreshPeriod: "daily" },
      { scopeType: "user", userId: other.owner.id, limitAmount: 1, refreshPeriod: "daily" },
      { scopeType: "team", userId: team.owner.id, limitAmount: 1, refreshPeriod: "daily" },
      { scopeType: "team", limitAmount: -1, refreshPeriod: "daily" },
      { scopeType: "org", limitAmount: 1, refreshPeriod: "daily" },
    ]) {
      const r = await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("GET /v1/ai-gateway/budgets pagination", () => {
  it("pages with ?limit= and ?until=, oldest first, like every list", async () => {
    const team = await createTeamFx();
    const projects = [];
    for (let i = 0; i < 5; i++) projects.push(await createProjectFx(team));
    for (const p of projects) {
      await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "project", projectId: p.id, limitAmount: 1, refreshPeriod: "daily" } });
    }
    const seen: string[] = [];
    let until: string | null = null;
    for (let n = 0; n < 4; n++) {
      const r: { status: number; body: any } = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}&limit=2${until ? `&until=${until}` : ""}`, { token: team.developer.token });
      expect(r.status).toBe(200);
      expect(r.body.pagination.count).toBe(r.body.budgets.length);
      seen.push(...r.body.budgets.map((b: { projectId: string }) => b.projectId));
      until = r.body.pagination.next;
      if (!until) break;
    }
    expect(seen).toEqual(projects.map((p) => p.id));
    expect((await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}&limit=0`, { token: team.owner.token })).status).toBe(400);
    const all = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    expect(all.body.pagination).toEqual({ count: 5, next: null, prev: null });
  });
});
