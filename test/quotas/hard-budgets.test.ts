import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { budgetLeases } from "../../src/db/schema.js";
import { GatewayState, startGatewayState } from "../../src/gateway/state.js";
import type { App } from "../../src/http/context.js";
import { ManualClock, systemClock, type Clock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { LEASE_TTL_MS, RESERVATION_TTL_MS } from "../../src/quotas/leases.js";
import type { RateLimits } from "../../src/ratelimit/limits.js";
import { redisLimits, requireRedis, testPrefix } from "../ratelimit/helpers.js";
import { createKeyFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call, GATEWAY_TOKEN, getHarness, uniq } from "../helpers/harness.js";

/** 10 µ$ a token either way: a request of 1,000 input and 4,000 output tokens is at worst $0.05. */
const PRICES = { "hardtest/*": { input: 10, output: 10 } };
const MODEL = "hardtest/m1";
const ESTIMATE = { inputTokens: 1000, maxOutputTokens: 4000 };
const WORST_USD = 0.05;

type Instance = { app: App; state: GatewayState; close(): Promise<void> };

/** An instance of its own (its own leases and cache) on the worker's database, or on Postgres with its own connections. */
async function instance(clock: Clock = systemClock, rateLimits?: RateLimits): Promise<Instance> {
  const h = await getHarness();
  const url = process.env.DATABASE_URL;
  let database: Database = h.database;
  let own = false;
  if (url) {
    database = await openDatabase({ databaseUrl: url, poolSize: 5, applicationName: uniq("hard") });
    own = true;
  }
  const gw = await startGatewayState(database);
  const app = createApp({ db: database.db, config: { ...h.config, priceOverrides: PRICES }, clock, log: createLogger("silent"), gateway: gw.state, keyring: h.keyring, rateLimits });
  return {
    app,
    state: gw.state,
    close: async () => {
      await gw.close();
      if (own) await database.close();
    },
  };
}

const authorize = (app: App, credential: string, requestId: string | undefined, estimate: object | undefined = ESTIMATE) =>
  call("POST", "/v1/gateway/authorize", { token: GATEWAY_TOKEN, app, body: { credential, model: MODEL, ...(requestId ? { requestId } : {}), ...(estimate ? { estimate } : {}) } });

const report = (app: App, keyId: string, requestId: string, costUsd: number, tokens?: { inputTokens: number; outputTokens: number }) =>
  call("POST", "/v1/gateway/usage", { token: GATEWAY_TOKEN, app, body: { keyId, requestId, model: MODEL, costUsd, ...tokens } });

async function spendOf(team: TeamFx, keyId: string) {
  const got = await call("GET", `/v1/api-keys/${keyId}?teamId=${team.id}`, { token: team.owner.token });
  return got.body.apiKey.quota as { currentSpend: number; reserved: number; enforcement: string };
}


describe("hard budgets (reservations)", () => {
  let A: Instance;
  let B: Instance;
  beforeAll(async () => {
    [A, B] = await Promise.all([instance(), instance()]);
  });
  afterAll(async () => {
    await Promise.all([A?.close(), B?.close()]);
  });

  it("enforcement is stored and shown with `reserved` in every quota view", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    expect(k.apiKey.quota).toMatchObject({ enforcement: "hard", reserved: 0, currentSpend: 0 });
    const patched = await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota?teamId=${team.id}`, { token: team.owner.token, body: { limitAmount: 2 } });
    expect(patched.body.quota).toMatchObject({ enforcement: "hard", limitAmount: 2 });
    const soft = await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota?teamId=${team.id}`, { token: team.owner.token, body: { enforcement: "soft" } });
    expect(soft.body.quota.enforcement).toBe("soft");
    const put = await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 5, refreshPeriod: "none", enforcement: "hard" } });
    expect(put.status).toBe(200);
    expect(put.body.budget).toMatchObject({ enforcement: "hard", reserved: 0, currentSpend: 0 });
    const list = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.budgets[0]).toMatchObject({ enforcement: "hard" });
    const bad = await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 5, refreshPeriod: "none", enforcement: "firm" } });
    expect(bad.status).toBe(400);
    // Held while a request is in flight, shown as `reserved`; back to 0 once it is reported.
    const a = await authorize(A.app, k.apiKeyString, "r-view");
    expect(a.status).toBe(200);
    expect(a.body.quotas.find((q: { scope: string }) => q.scope === "team")).toMatchObject({ enforcement: "hard" });
    const during = await call("GET", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token });
    expect(during.body.budgets[0].reserved).toBeGreaterThanOrEqual(WORST_USD);
    // Authorize's and usage's views show the leases too (as the last lease write published them).
    const shown = async () => (await authorize(A.app, k.apiKeyString, "r-view-2")).body.quotas.find((q: { scope: string }) => q.scope === "team").reserved;
    let seen = await shown();
    for (let i = 0; i < 50 && seen !== during.body.budgets[0].reserved; i++) seen = await new Promise((r) => setTimeout(r, 10)).then(shown); // the notification's way on Postgres
    expect(seen).toBe(during.body.budgets[0].reserved);
    const reported = await report(A.app, k.apiKey.id, "r-view-2", 0.01);
    expect(reported.body.quotas.find((q: { scope: string }) => q.scope === "team")).toMatchObject({ enforcement: "hard", reserved: during.body.budgets[0].reserved });
  });

  it("a hard budget in scope needs a requestId on authorize (400 without)", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    const r = await authorize(A.app, k.apiKeyString, undefined);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/requestId/);
  });

  it("a requestId authorized again replaces its reservation; its usage report frees it; one never reported is released after its TTL", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    const big = { inputTokens: 1000, maxOutputTokens: 59_000 }; // $0.60 at worst: room for one, not two
    const statuses = async (...ids: string[]) => {
      const out: number[] = [];
      for (const id of ids) out.push((await authorize(A.app, k.apiKeyString, id, big)).status);
      return out;
    };
    const [a, b, c] = [uniq("req"), uniq("req"), uniq("req")];
    expect(await statuses(a, a, b)).toEqual([200, 200, 402]); // a again holds one worst case, not two
    expect((await report(A.app, k.apiKey.id, a, 0.2)).status).toBe(202);
    expect(await statuses(b, c)).toEqual([200, 402]); // $0.20 spent + b's $0.60 held: no room for c
    await A.state.leases.sweep(Date.now() + RESERVATION_TTL_MS + 1); // b never reported
    expect(await statuses(c)).toEqual([200]);
  });

  it("200 concurrent requests through two instances on a hard $1 budget spend at most $1 and admit at least half of what fits", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    // Each request costs its whole worst case: 20 fit.
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const app = i % 2 ? A.app : B.app;
        const requestId = `r-${i}`;
        const a = await authorize(app, k.apiKeyString, requestId);
        if (a.status !== 200) {
          expect(a.status).toBe(402);
          expect(a.body.error.code).toBe("quota_for_entity_exceeded");
          expect(a.body.error.message).toMatch(/worst case/);
          return 0;
        }
        expect((await report(app, k.apiKey.id, requestId, WORST_USD)).status).toBe(202);
        return 1;
      }),
    );
    const admitted = results.reduce((x: number, y) => x + y, 0);
    const q = await spendOf(team, k.apiKey.id);
    expect(q.currentSpend).toBeLessThanOrEqual(1);
    expect(q.currentSpend).toBeCloseTo(admitted * WORST_USD, 9);
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(q.enforcement).toBe("hard");
  });

  it("200 concurrent workers looping until refused, each reporting less than its worst case, stay within $1 and use most of it", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    let n = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, w) => {
        const app = w % 2 ? A.app : B.app;
        for (;;) {
          const requestId = `w-${w}-${n++}`;
          const a = await authorize(app, k.apiKeyString, requestId);
          if (a.status === 402) return;
          expect(a.status).toBe(200);
          expect((await report(app, k.apiKey.id, requestId, 0.02)).status).toBe(202);
        }
      }),
    );
    const q = await spendOf(team, k.apiKey.id);
    expect(q.currentSpend).toBeLessThanOrEqual(1);
    // Refused only once what is left (budget minus spend and what instances hold) is below a worst case.
    expect(q.currentSpend).toBeGreaterThanOrEqual(0.5);
  });

  it("a soft budget keeps today's figures: every concurrent request is admitted and all their spend is recorded", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1 } });
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const app = i % 2 ? A.app : B.app;
        const a = await authorize(app, k.apiKeyString, undefined);
        expect(a.status).toBe(200);
        return a.body.quotas[0].enforcement as string;
      }),
    );
    expect(new Set(results)).toEqual(new Set(["soft"]));
    await Promise.all(Array.from({ length: 200 }, (_, i) => report(i % 2 ? A.app : B.app, k.apiKey.id, `s-${i}`, WORST_USD)));
    const q = await spendOf(team, k.apiKey.id);
    expect(q.currentSpend).toBeCloseTo(10, 9);
    expect(q.reserved).toBe(0);
    const { database } = await getHarness();
    expect(await database.db.select().from(budgetLeases).where(eq(budgetLeases.teamId, team.id))).toEqual([]);
  });

  it("tokensPerMinute reserves worst cases: 30 parallel requests on a 1,000-token limit admit what fits, not 30", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { tokensPerMinute: 1000 } });
    // 200 tokens at worst each: 5 fit (the key's window is per instance in memory: one instance here).
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => authorize(A.app, k.apiKeyString, `t-${i}`, { inputTokens: 100, maxOutputTokens: 100 }).then((r) => r.status)),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    expect(admitted).toBeLessThanOrEqual(5);
    expect(admitted).toBeGreaterThanOrEqual(3);
    // Reporting what they really used (50 tokens each) frees the rest of their reservations.
    const ok = statuses.map((s, i) => (s === 200 ? i : -1)).filter((i) => i >= 0);
    for (const i of ok) expect((await report(A.app, k.apiKey.id, `t-${i}`, 0, { inputTokens: 25, outputTokens: 25 })).status).toBe(202);
    const again = await authorize(A.app, k.apiKeyString, "t-after", { inputTokens: 100, maxOutputTokens: 100 });
    expect(again.status).toBe(200);
    // A worst case over the whole limit runs alone in its window: admitted on an empty one only.
    const big = await createKeyFx(team, { rateLimit: { tokensPerMinute: 1000 } });
    expect((await authorize(A.app, big.apiKeyString, "b1", { inputTokens: 10, maxOutputTokens: 5000 })).status).toBe(200);
    const second = await authorize(A.app, big.apiKeyString, "b2", { inputTokens: 10, maxOutputTokens: 10 });
    expect(second.status).toBe(429);
    expect(second.body.error.param).toMatchObject({ limitType: "tokensPerMinute", remaining: 0 });
  });

  it("tokensPerMinute in Redis: 30 parallel requests through two instances admit what fits", async () => {
    await requireRedis(); // fails, never skips, without Redis
    const prefix = testPrefix();
    const [la, lb] = await Promise.all([redisLimits(prefix), redisLimits(prefix)]);
    const [X, Y] = await Promise.all([instance(systemClock, la), instance(systemClock, lb)]);
    try {
      const team = await createTeamFx();
      const k = await createKeyFx(team, { rateLimit: { tokensPerMinute: 1000 } });
      const statuses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => authorize(i % 2 ? X.app : Y.app, k.apiKeyString, `rt-${i}`, { inputTokens: 100, maxOutputTokens: 100 }).then((r) => r.status)),
      );
      const admitted = statuses.filter((s) => s === 200).length;
      expect(admitted).toBeLessThanOrEqual(5);
      expect(admitted).toBeGreaterThanOrEqual(3);
      expect((await la.peek(k.apiKey.id)).tokens).toBe(admitted * 200);
    } finally {
      await Promise.all([X.close(), Y.close()]);
      await Promise.all([la.close(), lb.close()]);
    }
  });

  it("an instance killed with reservations held frees them within the lease expiry", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    const clock = new ManualClock(Date.now());
    const [X, Y] = await Promise.all([instance(clock), instance(clock)]);
    try {
      // X holds $0.90 (a request of 90,000 tokens at worst), then dies without reporting.
      expect((await authorize(X.app, k.apiKeyString, "big", { inputTokens: 10_000, maxOutputTokens: 80_000 })).status).toBe(200);
      X.state.leases.halt();
      const half = { inputTokens: 10_000, maxOutputTokens: 40_000 }; // $0.50
      const refused = await authorize(Y.app, k.apiKeyString, "y1", half);
      expect(refused.status).toBe(402);
      clock.advance(LEASE_TTL_MS - 1);
      expect((await authorize(Y.app, k.apiKeyString, "y2", half)).status).toBe(402);
      clock.advance(2);
      expect((await authorize(Y.app, k.apiKeyString, "y3", half)).status).toBe(200);
      const { database } = await getHarness();
      const rows = await database.db.select().from(budgetLeases).where(and(eq(budgetLeases.teamId, team.id), eq(budgetLeases.instanceId, X.state.instanceId)));
      expect(rows[0]!.expiresAt).toBeLessThanOrEqual(clock.now());
    } finally {
      await Promise.all([X.close(), Y.close()]);
    }
  });

  it("a daily hard budget: at the day's end each instance writes its lease again before admitting on it", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "daily", enforcement: "hard" } });
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    const clock = new ManualClock(midnight - 5_000);
    const [X, Y] = await Promise.all([instance(clock), instance(clock)]);
    try {
      // X takes a lease of half the budget for a $0.10 request, which is reported: $0.40 left in X's lease.
      expect((await authorize(X.app, k.apiKeyString, "d1", { inputTokens: 5_000, maxOutputTokens: 5_000 })).status).toBe(200);
      expect((await report(X.app, k.apiKey.id, "d1", 0.1)).status).toBe(202);
      clock.advance(6_000); // a new day: spend starts from zero, and X's lease was of the day before
      expect((await authorize(Y.app, k.apiKeyString, "d2", { inputTokens: 10_000, maxOutputTokens: 80_000 })).status).toBe(200); // $0.90
      // Without writing its lease again, X would admit $0.40 more on the old one: $1.30 in one day.
      expect((await authorize(X.app, k.apiKeyString, "d3", { inputTokens: 20_000, maxOutputTokens: 20_000 })).status).toBe(402);
    } finally {
      X.state.leases.halt();
      Y.state.leases.halt();
      await Promise.all([X.close(), Y.close()]);
    }
  });

  it("a usage report on another instance than the authorize settles the reservation there", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    const big = { inputTokens: 10_000, maxOutputTokens: 60_000 }; // $0.70
    expect((await authorize(A.app, k.apiKeyString, "x1", big)).status).toBe(200);
    expect((await report(B.app, k.apiKey.id, "x1", 0.01)).status).toBe(202);
    // A learns of it through the change notification; then a second $0.70 fits again.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await authorize(A.app, k.apiKeyString, `x2-${i}`, big)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(200);
  });
});

