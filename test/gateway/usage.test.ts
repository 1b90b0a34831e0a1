import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { spendCounters, usageEvents } from "../../src/db/schema.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { report } from "../helpers/gateway.js";
import { call, GATEWAY_TOKEN, getHarness } from "../helpers/harness.js";

async function teamCounter(teamId: string) {
  const { database } = await getHarness();
  const [row] = await database.db
    .select()
    .from(spendCounters)
    .where(and(eq(spendCounters.teamId, teamId), eq(spendCounters.scopeType, "team")));
  return row;
}

describe("POST /v1/gateway/usage", () => {
  it("500 concurrent reports of $0.01 give exactly $5.00 on every budget in scope", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const k = await createKeyFx(team, { projectId: project.id, aiGatewayQuota: { limitAmount: 1000 } });
    for (const body of [
      { scopeType: "team", limitAmount: 1000, refreshPeriod: "monthly" },
      { scopeType: "project", projectId: project.id, limitAmount: 1000, refreshPeriod: "weekly" },
      { scopeType: "user", limitAmount: 1000, refreshPeriod: "daily" },
    ]) {
      expect((await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body })).status).toBe(200);
    }
    const results = await Promise.all(Array.from({ length: 500 }, () => report(k.apiKey.id, 0.01)));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBe(5);
    const budgets = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    expect(budgets.body.budgets.map((b: { scopeType: string; currentSpend: number | null }) => [b.scopeType, b.currentSpend])).toEqual([
      ["team", 5],
      ["project", 5],
      ["user", null], // a default user budget counts per user
    ]);
    expect((await teamCounter(team.id))!.spendMicros).toBe(5_000_000);
    const { database } = await getHarness();
    const events = await database.db.select().from(usageEvents).where(eq(usageEvents.teamId, team.id));
    expect(events).toHaveLength(500);
  });

  it("is idempotent on requestId: a repeat adds nothing, also when sent concurrently", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const first = await report(k.apiKey.id, 0.3, { requestId: "req-same" + team.id });
    expect(first.status).toBe(202);
    expect(first.body.recorded).toBe(true);
    const again = await Promise.all(Array.from({ length: 10 }, () => report(k.apiKey.id, 0.3, { requestId: "req-same" + team.id })));
    expect(again.map((r) => r.body.recorded)).toEqual(Array(10).fill(false));
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBe(0.3);
  });

  it("keeps BYOK spend apart and counts it only when includeByokInQuota", async () => {
    const team = await createTeamFx();
    const plain = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1 } });
    const incl = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, includeByokInQuota: true } });
    for (const k of [plain, incl]) {
      await report(k.apiKey.id, 0.2);
      await report(k.apiKey.id, 0.9, { byok: true });
    }
    const a = (await call("GET", `/v1/api-keys/${plain.apiKey.id}`, { token: team.owner.token })).body.apiKey.quota;
    const b = (await call("GET", `/v1/api-keys/${incl.apiKey.id}`, { token: team.owner.token })).body.apiKey.quota;
    expect([a.currentSpend, a.currentByokSpend]).toEqual([0.2, 0.9]);
    expect([b.currentSpend, b.currentByokSpend]).toEqual([0.2, 0.9]);
    const { authorize } = await import("../helpers/gateway.js");
    expect((await authorize(plain.apiKeyString)).status).toBe(200);
    expect((await authorize(incl.apiKeyString)).status).toBe(402);
  });

  it("accepts credential instead of keyId, rounds sub-micro-dollar costs, and rejects bad input with 400/404", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const r = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      body: { credential: k.apiKeyString, requestId: `r-${team.id}`, model: "openai/gpt-5", costUsd: 0.0000014, inputTokens: 10, outputTokens: 2 },
    });
    expect(r.status).toBe(202);
    expect(r.body.quotas[0].currentSpend).toBe(0.000001);
    const bad: unknown[] = [
      { keyId: k.apiKey.id, requestId: "x", model: "openai/gpt-5", costUsd: -1 },
      { keyId: k.apiKey.id, requestId: "x", model: "openai/gpt-5", costUsd: "1" },
      { keyId: k.apiKey.id, credential: k.apiKeyString, requestId: "x", model: "openai/gpt-5", costUsd: 1 },
      { requestId: "x", model: "openai/gpt-5", costUsd: 1 },
      { keyId: k.apiKey.id, model: "openai/gpt-5", costUsd: 1 },
      { keyId: k.apiKey.id, requestId: "x", model: "openai/gpt-5", costUsd: 1, inputTokens: 1.5 },
    ];
    for (const body of bad) {
      const res = await call("POST", "/v1/gateway/usage", { token: GATEWAY_TOKEN, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const unknown = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      body: { keyId: "key_01jd7y2m3n4p5q6r7s8t9v0w1x", requestId: "x", model: "openai/gpt-5", costUsd: 1 },
    });
    expect(unknown.status).toBe(404);
  });

  it("records usage of a key deleted after its request was admitted", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 10, refreshPeriod: "none" } });
    await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    const r = await report(k.apiKey.id, 2);
    expect(r.status).toBe(202);
    expect((await teamCounter(team.id))!.spendMicros).toBe(2_000_000);
  });
});
