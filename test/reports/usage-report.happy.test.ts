import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { recordUsage, type UsageReport } from "../../src/quotas/record-usage.js";
import { createKeyFx, createProjectFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { report } from "../helpers/gateway.js";
import { call, GATEWAY_TOKEN, getHarness, uniq } from "../helpers/harness.js";

const utc = (s: string) => Date.parse(s);
const FAR = { from: 0, to: utc("2100-01-01T00:00:00Z") };

async function usage(team: TeamFx, query: string, opts: { token?: string; headers?: Record<string, string> } = {}) {
  return call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&from=${FAR.from}&to=${FAR.to}&${query}`, { token: opts.token ?? team.developer.token, headers: opts.headers });
}

const spendOf = async (team: TeamFx, keyId: string) =>
  (await call("GET", `/v1/api-keys/${keyId}`, { token: team.owner.token })).body.apiKey.quota as { currentSpend: number; currentByokSpend: number };

describe("GET /v1/ai-gateway/usage", () => {
  it("splits spend by key, model, project and user, with BYOK apart and tokens of each kind; DEVELOPER may read", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const a = await createKeyFx(team, { projectId: project.id });
    const b = await createKeyFx(team, {}, team.member.token);
    const send = (keyId: string, costUsd: number, model: string, byok = false, kinds: Record<string, number> = {}) =>
      call("POST", "/v1/gateway/usage", {
        token: GATEWAY_TOKEN,
        body: { keyId, requestId: uniq("req"), model, costUsd, byok, inputTokens: 10, outputTokens: 5, ...kinds },
      });
    const none = { cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    for (const r of [
      await send(a.apiKey.id, 0.25, "openai/gpt-5", false, { cacheReadTokens: 6, reasoningTokens: 3 }),
      await send(a.apiKey.id, 0.5, "openai/gpt-5", true, { cacheReadTokens: 2 }),
      await send(a.apiKey.id, 1, "anthropic/claude-sonnet-4", false, { cacheReadTokens: 1, cacheWriteTokens: 7 }),
      await send(b.apiKey.id, 0.125, "openai/gpt-5"),
    ])
      expect(r.status).toBe(202);

    const all = await usage(team, "granularity=month");
    expect(all.status).toBe(200);
    expect(all.body.rows).toEqual([
      { periodStart: expect.any(Number), requests: 4, costUsd: 1.375, byokCostUsd: 0.5, inputTokens: 40, outputTokens: 20, cacheReadTokens: 9, cacheWriteTokens: 7, reasoningTokens: 3 },
    ]);
    expect(new Date(all.body.rows[0].periodStart).getUTCDate()).toBe(1);
    expect(all.body.pagination).toEqual({ count: 1, next: null, prev: null });

    const byKeyModel = await usage(team, "granularity=day&groupBy=key,model&limit=100");
    const rows = byKeyModel.body.rows.map(({ periodStart, ...r }: any) => r);
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({ keyId: a.apiKey.id, model: "openai/gpt-5", requests: 2, costUsd: 0.25, byokCostUsd: 0.5, inputTokens: 20, outputTokens: 10, ...none, cacheReadTokens: 8, reasoningTokens: 3 });
    expect(rows).toContainEqual({ keyId: a.apiKey.id, model: "anthropic/claude-sonnet-4", requests: 1, costUsd: 1, byokCostUsd: 0, inputTokens: 10, outputTokens: 5, ...none, cacheReadTokens: 1, cacheWriteTokens: 7 });
    expect(rows).toContainEqual({ keyId: b.apiKey.id, model: "openai/gpt-5", requests: 1, costUsd: 0.125, byokCostUsd: 0, inputTokens: 10, outputTokens: 5, ...none });

    const byProjectUser = await usage(team, "groupBy=project,user&limit=100");
    const pu = byProjectUser.body.rows.map(({ projectId, userId, costUsd }: any) => ({ projectId, userId, costUsd }));
    expect(pu).toContainEqual({ projectId: project.id, userId: team.owner.id, costUsd: 1.25 });
    expect(pu).toContainEqual({ projectId: null, userId: team.member.id, costUsd: 0.125 });
  });

  it("report totals equal the budget counters to the micro-dollar under concurrent usage", async () => {
    const team = await createTeamFx();
    await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 1_000_000, refreshPeriod: "monthly", includeByokInQuota: true } });
    const keys = await Promise.all([0, 1, 2].map(() => createKeyFx(team, { aiGatewayQuota: { limitAmount: 1_000_000, refreshPeriod: "monthly" } })));
    const costs = [0.000001, 0.01, 0.123457, 1.5, 0.333333];
    const sends = [];
    for (let i = 0; i < 150; i++) {
      const key = keys[i % 3]!;
      const id = uniq("req");
      sends.push(report(key.apiKey.id, costs[i % costs.length]!, { requestId: id, byok: i % 7 === 0, model: i % 2 ? "openai/gpt-5" : "openai/gpt-5-mini" }));
      if (i % 10 === 0) sends.push(report(key.apiKey.id, costs[i % costs.length]!, { requestId: id, byok: i % 7 === 0 })); // a repeat adds nothing
    }
    const answers = await Promise.all(sends);
    expect(answers.every((r) => r.status === 202)).toBe(true);

    const byKey = await usage(team, "granularity=month&groupBy=key&limit=100");
    for (const k of keys) {
      const row = byKey.body.rows.find((r: any) => r.keyId === k.apiKey.id);
      const counter = await spendOf(team, k.apiKey.id);
      expect(Math.round(row.costUsd * 1e6)).toBe(Math.round(counter.currentSpend * 1e6));
      expect(Math.round(row.byokCostUsd * 1e6)).toBe(Math.round(counter.currentByokSpend * 1e6));
      expect(row.requests).toBe(50);
    }
    const budgets = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    const teamBudget = budgets.body.budgets.find((b: any) => b.scopeType === "team");
    const total = await usage(team, "granularity=month");
    expect(total.body.rows).toHaveLength(1);
    expect(Math.round((total.body.rows[0].costUsd + total.body.rows[0].byokCostUsd) * 1e6)).toBe(Math.round(teamBudget.currentSpend * 1e6));
    expect(total.body.rows[0].requests).toBe(150);

    // By model, from the team-level rollups: the sums of the per-key rollups, to the micro-dollar and token.
    const byModel = await usage(team, "granularity=hour&groupBy=model&limit=100");
    const byKeyModel = await usage(team, "granularity=hour&groupBy=key,model&limit=100");
    const summed = new Map<string, number[]>();
    for (const r of byKeyModel.body.rows) {
      const k = `${r.periodStart}|${r.model}`;
      const acc = summed.get(k) ?? [0, 0, 0, 0, 0];
      summed.set(k, [acc[0]! + r.requests, acc[1]! + Math.round(r.costUsd * 1e6), acc[2]! + Math.round(r.byokCostUsd * 1e6), acc[3]! + r.inputTokens, acc[4]! + r.outputTokens]);
    }
    expect(byModel.body.rows.length).toBe(summed.size);
    for (const r of byModel.body.rows) {
      expect([r.requests, Math.round(r.costUsd * 1e6), Math.round(r.byokCostUsd * 1e6), r.inputTokens, r.outputTokens]).toEqual(summed.get(`${r.periodStart}|${r.model}`));
    }
    expect(byModel.body.rows.reduce((n: number, r: any) => n + r.requests, 0)).toBe(150);
  });

  it("buckets by UTC hour, day and month at the instant budgets count; a daily counter equals its day's row", async () => {
    const { makeApp } = await getHarness();
    const clock = new ManualClock(utc("2027-05-31T23:30:00Z"));
    const app = makeApp({ clock });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 100, refreshPeriod: "daily" } });
    expect((await report(k.apiKey.id, 1, { app })).status).toBe(202);
    clock.set(utc("2027-05-31T23:59:59.999Z"));
    expect((await report(k.apiKey.id, 0.5, { app })).status).toBe(202);
    clock.set(utc("2027-06-01T00:00:00Z"));
    expect((await report(k.apiKey.id, 2, { app })).status).toBe(202);
    clock.set(utc("2027-06-01T01:10:00Z"));
    expect((await report(k.apiKey.id, 4, { app })).status).toBe(202);

    const get = (q: string) => call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&${q}`, { token: team.owner.token, app });
    const range = `from=${utc("2027-05-01T00:00:00Z")}&to=${utc("2027-07-01T00:00:00Z")}`;
    const pick = (rows: any[]) => rows.map((r) => [new Date(r.periodStart).toISOString(), r.costUsd]);
    expect(pick((await get(`${range}&granularity=hour`)).body.rows)).toEqual([
      ["2027-05-31T23:00:00.000Z", 1.5],
      ["2027-06-01T00:00:00.000Z", 2],
      ["2027-06-01T01:00:00.000Z", 4],
    ]);
    expect(pick((await get(`${range}&granularity=day`)).body.rows)).toEqual([
      ["2027-05-31T00:00:00.000Z", 1.5],
      ["2027-06-01T00:00:00.000Z", 6],
    ]);
    expect(pick((await get(`${range}&granularity=month`)).body.rows)).toEqual([
      ["2027-05-01T00:00:00.000Z", 1.5],
      ["2027-06-01T00:00:00.000Z", 6],
    ]);
    // The daily budget's counter (for 1 June) equals the report's row for that day.
    const key = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, app });
    expect(key.body.apiKey.quota.currentSpend).toBe(6);
    // `to` is exclusive, `from` is at hour precision: the hour holding it is included.
    const june = await get(`from=${utc("2027-06-01T00:59:00Z")}&to=${utc("2027-06-01T01:00:00Z")}&granularity=hour`);
    expect(pick(june.body.rows)).toEqual([["2027-06-01T00:00:00.000Z", 2]]);
  });

  it("groupBy=endUser and tag: the usage carrying the AI SDK's end user and tags, a request counted under each of its tags; paged and as CSV", async () => {
    const team = await createTeamFx();
    const [a, b] = [await createKeyFx(team), await createKeyFx(team)];
    const { database, gateway } = await getHarness();
    const now = Date.now();
    const subject = (keyId: string) => ({ teamId: team.id, keyId, projectId: null, userId: team.owner.id });
    const rep = (keyId: string, micros: number, model: string, extra: Partial<UsageReport> = {}): UsageReport => ({
      subject: subject(keyId),
      requestId: uniq("req"),
      model,
      micros,
      byok: false,
      inputTokens: 10,
      outputTokens: 5,
      createdAt: now,
      ...extra,
    });
    const outcomes = await recordUsage({ db: database.db, gateway }, [
      rep(a.apiKey.id, 100_000, "openai/gpt-5", { endUser: "alice", tags: ["chat", "v2"] }),
      rep(b.apiKey.id, 200_000, "openai/gpt-5", { endUser: "bob", tags: ["chat"] }),
      rep(a.apiKey.id, 400_000, "openai/gpt-5"),
      rep(a.apiKey.id, 800_000, "anthropic/claude-sonnet-4", { endUser: "alice", byok: true }),
    ], now);
    expect(outcomes.map((o) => o.recorded)).toEqual([true, true, true, true]);
    const sums = (requests: number, costUsd: number, byokCostUsd = 0) => ({ requests, costUsd, byokCostUsd, inputTokens: 10 * requests, outputTokens: 5 * requests, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });

    const byEndUser = await usage(team, "granularity=month&groupBy=endUser");
    expect(byEndUser.status).toBe(200);
    expect(byEndUser.body.rows.map(({ periodStart, ...r }: any) => r)).toEqual([
      { endUser: "alice", ...sums(2, 0.1, 0.8) },
      { endUser: "bob", ...sums(1, 0.2) },
    ]);
    const byTagKey = await usage(team, "granularity=month&groupBy=tag,key&limit=100");
    expect(byTagKey.body.rows.map(({ periodStart, ...r }: any) => r)).toEqual(
      [
        { tag: "chat", keyId: a.apiKey.id, ...sums(1, 0.1) },
        { tag: "chat", keyId: b.apiKey.id, ...sums(1, 0.2) },
        { tag: "v2", keyId: a.apiKey.id, ...sums(1, 0.1) },
      ].sort((x, y) => (x.tag + x.keyId < y.tag + y.keyId ? -1 : 1)),
    );
    // The rollups' dimensions keep their meaning: `user` is the member, over every request.
    const byUser = await usage(team, "granularity=month&groupBy=user");
    expect(byUser.body.rows.map(({ periodStart, ...r }: any) => r)).toEqual([{ userId: team.owner.id, ...sums(4, 0.7, 0.8) }]);

    const first = await usage(team, "granularity=hour&groupBy=endUser,model&limit=2");
    expect(first.body.rows.map((r: any) => [r.endUser, r.model])).toEqual([
      ["alice", "anthropic/claude-sonnet-4"],
      ["alice", "openai/gpt-5"],
    ]);
    expect(first.body.rows[0].periodStart).toBe(Math.floor(now / 3_600_000) * 3_600_000);
    const rest = await usage(team, `granularity=hour&groupBy=endUser,model&limit=2&until=${first.body.pagination.next}`);
    expect(rest.body.rows.map((r: any) => [r.endUser, r.model])).toEqual([["bob", "openai/gpt-5"]]);
    expect(rest.body.pagination.next).toBeNull();

    const csv = await usage(team, "granularity=month&groupBy=tag", { headers: { accept: "text/csv" } });
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("periodStart,tag,requests,costUsd,byokCostUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens");
    expect(lines.slice(1).map((l) => l.split(",").slice(1, 4))).toEqual([
      ["chat", "2", "0.3"],
      ["v2", "1", "0.1"],
    ]);
  });

  it("pages through rows in order without loss or repeats; CSV gives the same rows", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const models = ["openai/a-1", "openai/b-2", "openai/c-3", "xai/d-4", "xai/e-5"];
    for (const [i, model] of models.entries()) expect((await report(k.apiKey.id, i + 1, { model })).status).toBe(202);

    const seen: string[] = [];
    let until: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await usage(team, `groupBy=model&limit=2${until ? `&until=${until}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.rows.map((x: any) => x.model));
      until = r.body.pagination.next;
      if (!until) break;
    }
    expect(seen).toEqual(models);

    const csv = await usage(team, "groupBy=key,model&limit=3", { headers: { accept: "text/csv" } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("periodStart,keyId,model,requests,costUsd,byokCostUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens");
    expect(lines.slice(1).map((l) => l.split(",").slice(1, 5))).toEqual([
      [k.apiKey.id, "openai/a-1", "1", "1"],
      [k.apiKey.id, "openai/b-2", "1", "2"],
      [k.apiKey.id, "openai/c-3", "1", "3"],
    ]);
    const next = csv.headers.get("x-next-cursor")!;
    const rest = await usage(team, `groupBy=key,model&limit=3&until=${next}`, { headers: { accept: "text/csv" } });
    expect(rest.text.trim().split("\n").slice(1).map((l) => l.split(",")[2])).toEqual(["xai/d-4", "xai/e-5"]);
    expect(rest.headers.get("x-next-cursor")).toBeNull();
  });
});
