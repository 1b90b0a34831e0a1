import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/rows.js";
import { createKeyFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

describe("GET /v1/ai-gateway/usage: bad input is a 400 in the envelope", () => {
  it.each([
    ["groupBy=key,colour", "groupBy"],
    ["groupBy=key,key", "groupBy"],
    ["granularity=week", "granularity"],
    ["from=10&to=5", "from"],
    ["from=abc", "from"],
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["until=bm90LWEtY3Vyc29y", "until"],
    ["groupBy=key&until=" + Buffer.from(JSON.stringify([0, "a", "b"])).toString("base64url"), "until"],
  ])("%s", async (query, path) => {
    const team = await createTeamFx();
    const r = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&${query}`, { token: team.owner.token });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
    expect(r.body.error.params.map((p: { path: string }) => p.path)).toContain(path);
  });
});

// Spend past 2^53 micro-dollars (about $9.007 billion): the budget counters saturate there
// (record-usage.ts); the rollups and the report's sums must saturate alike, so that report and
// counters agree and neither answers 500 (both did: the report's sums overflowed the dollars
// conversion, and a budget counting BYOK added two saturated counters past it).
describe("GET /v1/ai-gateway/usage: spend past 2^53 micro-dollars saturates as the counters do", () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const FAR = `from=0&to=${Date.parse("2100-01-01T00:00:00Z")}`;
  const get = (team: TeamFx, query: string, accept?: string) =>
    call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&${query}`, { token: team.developer.token, headers: accept ? { accept } : {} });

  /** A team whose key and team budget (BYOK included) have counted $1 and $1 BYOK, through the usage path. */
  async function spendingTeam() {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 5, refreshPeriod: "monthly" } });
    const put = await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, {
      token: team.owner.token,
      body: { scopeType: "team", limitAmount: 5, refreshPeriod: "monthly", includeByokInQuota: true },
    });
    expect(put.status).toBe(200);
    expect((await report(key.apiKey.id, 1)).status).toBe(202);
    expect((await report(key.apiKey.id, 1, { byok: true })).status).toBe(202);
    return { team, key };
  }

  /** The quota views of the same counters: the key's quota, the team budget (spend + BYOK), authorize's 402. */
  async function quotaViews(team: TeamFx, key: Awaited<ReturnType<typeof createKeyFx>>) {
    (await getHarness()).gateway.clear();
    const k = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
    expect(k.status).toBe(200);
    const list = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    expect(list.status).toBe(200);
    const refused = await authorize(key.apiKeyString);
    expect(refused.status).toBe(402);
    return {
      keySpend: k.body.apiKey.quota.currentSpend,
      keyByokSpend: k.body.apiKey.quota.currentByokSpend,
      teamSpend: list.body.budgets.find((b: { scopeType: string }) => b.scopeType === "team").currentSpend,
      refusedSpend: refused.body.error.param.currentSpend,
    };
  }

  it("usage that carries spend past 2^53: counters, rollups, the report (JSON and CSV) and the quota views all stop at 2^53 − 1", async () => {
    const { database } = await getHarness();
    const { team, key } = await spendingTeam();
    // As if $9 billion had been counted already: counters and rollups just under the limit.
    await database.db.execute(sql`update spend_counters set spend_micros = ${MAX - 10}::bigint, byok_spend_micros = ${MAX - 10}::bigint where team_id = ${team.id}`);
    await database.db.execute(sql`update usage_rollups set cost_micros = ${MAX - 10}::bigint, byok_cost_micros = ${MAX - 10}::bigint where team_id = ${team.id}`);
    await database.db.execute(sql`update usage_rollups_team set cost_micros = ${MAX - 10}::bigint, byok_cost_micros = ${MAX - 10}::bigint where team_id = ${team.id}`);
    for (let i = 0; i < 3; i++) {
      expect((await report(key.apiKey.id, 1_000_000)).status).toBe(202);
      expect((await report(key.apiKey.id, 1_000_000, { byok: true })).status).toBe(202);
    }

    // In the database: every counter and rollup saturated, none past 2^53 − 1.
    for (const table of ["spend_counters", "usage_rollups", "usage_rollups_team"]) {
      const cols = table === "spend_counters" ? "spend_micros::text as cost, byok_spend_micros::text as byok" : "cost_micros::text as cost, byok_cost_micros::text as byok";
      const rows = rowsOf<{ cost: string; byok: string }>(await database.db.execute(sql.raw(`select ${cols} from ${table} where team_id = '${team.id}'`)));
      expect(rows.length, table).toBeGreaterThan(0);
      for (const r of rows) expect(r, table).toEqual({ cost: String(MAX), byok: String(MAX) });
    }

    const all = await get(team, `${FAR}&granularity=month`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.rows).toEqual([{ periodStart: expect.any(Number), requests: 8, costUsd: MAX / 1e6, byokCostUsd: MAX / 1e6, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }]);
    const grouped = await get(team, `${FAR}&granularity=hour&groupBy=key,user,model`);
    expect(grouped.status, grouped.text).toBe(200);
    expect(grouped.body.rows).toEqual([
      expect.objectContaining({ keyId: key.apiKey.id, userId: team.owner.id, model: "openai/gpt-5", requests: 8, costUsd: MAX / 1e6, byokCostUsd: MAX / 1e6 }),
    ]);
    const csv = await get(team, `${FAR}&granularity=month`, "text/csv");
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text.trim().split("\n")[1]).toBe(`${all.body.rows[0].periodStart},8,${MAX / 1e6},${MAX / 1e6},0,0,0,0,0`);

    // The counters say the same, to the micro-dollar.
    expect(await quotaViews(team, key)).toEqual({ keySpend: MAX / 1e6, keyByokSpend: MAX / 1e6, teamSpend: MAX / 1e6, refusedSpend: MAX / 1e6 });
  });

  it("rollups and counters stored far past 2^53 (2^62) are reported saturated, in JSON and CSV, and the quota views agree", async () => {
    const { database } = await getHarness();
    const { team, key } = await spendingTeam();
    const BIG = "4611686018427387904"; // 2^62: two of them overflow a bigint
    await database.db.execute(sql`update spend_counters set spend_micros = ${BIG}::bigint, byok_spend_micros = ${BIG}::bigint where team_id = ${team.id}`);
    await database.db.execute(sql`update usage_rollups set cost_micros = ${BIG}::bigint, byok_cost_micros = ${BIG}::bigint where team_id = ${team.id}`);
    await database.db.execute(sql`update usage_rollups_team set cost_micros = ${BIG}::bigint, byok_cost_micros = ${BIG}::bigint where team_id = ${team.id}`);
    // Two hours of 2030, each 2^62, on top.
    const h1 = Date.parse("2030-01-01T00:00:00Z");
    const h2 = h1 + 3_600_000;
    for (const hour of [h1, h2]) {
      await database.db.execute(sql`insert into usage_rollups (team_id, hour_start, key_id, model, project_id, user_id, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens)
        values (${team.id}, ${hour}::bigint, ${key.apiKey.id}, 'openai/gpt-5', '', ${team.owner.id}, 1, ${BIG}::bigint, ${BIG}::bigint, 10, 5)`);
      await database.db.execute(sql`insert into usage_rollups_team (team_id, hour_start, model, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens)
        values (${team.id}, ${hour}::bigint, 'openai/gpt-5', 1, ${BIG}::bigint, ${BIG}::bigint, 10, 5)`);
    }
    const span = `from=${h1}&to=${h2 + 3_600_000}`;
    const row = (periodStart: number, extra: object = {}) => ({ periodStart, ...extra, requests: 1, costUsd: MAX / 1e6, byokCostUsd: MAX / 1e6, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    for (const groupBy of ["", "&groupBy=model", "&groupBy=key"]) {
      const extra = groupBy === "&groupBy=model" ? { model: "openai/gpt-5" } : groupBy === "&groupBy=key" ? { keyId: key.apiKey.id } : {};
      const hourly = await get(team, `${span}&granularity=hour${groupBy}`);
      expect(hourly.status, hourly.text).toBe(200);
      expect(hourly.body.rows).toEqual([row(h1, extra), row(h2, extra)]);
      // A day: 2^62 + 2^62 is past a bigint too.
      const daily = await get(team, `${span}&granularity=day${groupBy}`);
      expect(daily.status, daily.text).toBe(200);
      expect(daily.body.rows).toEqual([{ ...row(h1, extra), requests: 2, inputTokens: 20, outputTokens: 10 }]);
      const csv = await get(team, `${span}&granularity=day${groupBy}`, "text/csv");
      expect(csv.status, csv.text).toBe(200);
      const dim = groupBy === "&groupBy=model" ? ",openai/gpt-5" : groupBy === "&groupBy=key" ? `,${key.apiKey.id}` : "";
      expect(csv.text.trim().split("\n")[1]).toBe(`${h1}${dim},2,${MAX / 1e6},${MAX / 1e6},20,10,0,0,0`);
    }
    // This month (the usage path's rollups, set to 2^62) against the counters (2^62 too).
    const now = await get(team, `from=${Date.now() - 86_400_000}&granularity=month`);
    expect(now.status, now.text).toBe(200);
    expect(now.body.rows).toEqual([expect.objectContaining({ requests: 2, costUsd: MAX / 1e6, byokCostUsd: MAX / 1e6 })]);
    expect(await quotaViews(team, key)).toEqual({ keySpend: MAX / 1e6, keyByokSpend: MAX / 1e6, teamSpend: MAX / 1e6, refusedSpend: MAX / 1e6 });
  });
});
