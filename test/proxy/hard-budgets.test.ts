import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents } from "../../src/db/schema.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";
import { eventually, recordedUsage } from "./helpers.js";
import { startGateway, TEST_PRICES, type GatewayFx } from "./setup.js";

/** $0.001 a token either way. */
const PRICES = {
  ...TEST_PRICES,
  "openai/capped-fail-503": { input: 1000, output: 1000 },
  "openai/dear-model": { input: 100_000, output: 100_000 },
  "openai/capped-model": { input: 1000, output: 1000 }, "openai/capped-drip": { input: 1000, output: 1000 }, "openai/capped-slow": { input: 1000, output: 1000 } };

describe("hard budgets through the gateway's routes", () => {
  let fx: GatewayFx;
  beforeAll(async () => {
    fx = await startGateway({ config: { priceOverrides: PRICES, upstreamTimeoutMs: 10_000 } });
  });
  afterAll(async () => {
    await fx?.close();
  });

  const chat = (key: string, body: Record<string, unknown>, signal?: AbortSignal) =>
    fetch(`${fx.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "Say hello" }], ...body }),
      signal,
    });

  it("200 concurrent chats on a hard $1 budget spend at most $1 and admit at least half of what fits; refusals in OpenAI's shape", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    // Worst case: the input counted with its margin (~24 tokens) + 20 output tokens, at $0.001 a token.
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const r = await chat(key.apiKeyString, { model: "openai/capped-model", max_tokens: 20 });
        const body = (await r.json()) as { error?: { code: string; message: string } };
        if (r.status === 402) {
          expect(body.error!.code).toBe("quota_for_entity_exceeded");
          expect(body.error!.message).toMatch(/worst case/);
          return 0;
        }
        expect(r.status).toBe(200);
        await recordedUsage(r.headers.get("x-tollgate-request-id"));
        return 1;
      }),
    );
    const admitted = results.reduce((a: number, b) => a + b, 0);
    const { database } = await getHarness();
    const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.keyId, key.apiKey.id));
    const spent = rows.reduce((a, r) => a + r.costMicros, 0);
    expect(rows).toHaveLength(admitted);
    expect(spent).toBeLessThanOrEqual(1_000_000);
    // What fits: $1 over the worst case of one request (the same body each time).
    const worstMicros = (Math.ceil(14 * 1.25) + 16 + 20) * 1000; // at most: the counted input is ≤ 14 tokens
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(1_000_000 / worstMicros / 2));
    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}?teamId=${team.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBeCloseTo(spent / 1e6, 9);
    // Every admitted request ended its reservation (settled or released): none is left behind.
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
  });

  it("a request whose max_tokens alone passes the budget is refused before reaching the provider", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    const before = fx.openai.requests.length;
    const r = await chat(key.apiKeyString, { model: "openai/capped-model", max_tokens: 2000 });
    expect(r.status).toBe(402);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/worst case/);
    expect(fx.openai.requests.length).toBe(before);
  });

  it("a fallback model reserves its own worst case: one that does not fit is refused with 402, and nothing stays reserved", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, enforcement: "hard" } });
    // The first model fits ($0.05 at worst) and fails with a 503; the fallback's worst case is $5.
    const r = await chat(key.apiKeyString, { model: "openai/capped-fail-503", models: ["openai/dear-model"], max_tokens: 20 });
    expect(r.status).toBe(402);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/worst case/);
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    const ok = await chat(key.apiKeyString, { model: "openai/capped-fail-503", models: ["openai/capped-model"], max_tokens: 20 });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-tollgate-model")).toBe("openai/capped-model");
    await recordedUsage(ok.headers.get("x-tollgate-request-id"));
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
  });

  it("a disconnect after the first chunk is charged more than 0 and no more than the full answer", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 100, enforcement: "hard" } });
    const abort = new AbortController();
    const res = await chat(key.apiKeyString, { model: "openai/capped-drip", stream: true, max_tokens: 1000 }, abort.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("w0")) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const upstream = fx.openai.requests.at(-1)!;
    await eventually(async () => expect(upstream.closedEarly).toBe(true), 3000);
    const usage = await recordedUsage(res.headers.get("x-tollgate-request-id"));
    // The fake would have reported ceil(bytes / 10) input and 7 output tokens for the whole answer.
    const full = (Math.ceil(Buffer.byteLength(JSON.stringify(upstream.body)) / 10) + 7) * 1000;
    expect(usage.costMicros).toBeGreaterThan(0);
    expect(usage.costMicros).toBeLessThanOrEqual(full);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0); // "w0 " was delivered
    // The reservation became that cost: the budget shows it as spend.
    await eventually(async () => {
      const got = await call("GET", `/v1/api-keys/${key.apiKey.id}?teamId=${team.id}`, { token: team.owner.token });
      expect(got.body.apiKey.quota.currentSpend).toBeCloseTo(usage.costMicros / 1e6, 9);
    });
  });

  it("a client that leaves before a non-streamed answer, and an upstream timeout, are charged their input (soft budget too)", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 100 } });
    const abort = new AbortController();
    const pending = chat(key.apiKeyString, { model: "openai/capped-slow" }, abort.signal).catch(() => null);
    await eventually(async () => expect(fx.openai.requests.at(-1)?.body?.model).toBe("capped-slow"));
    abort.abort();
    await pending;
    const { database } = await getHarness();
    const left = await eventually(async () => {
      const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.keyId, key.apiKey.id));
      expect(rows).toHaveLength(1);
      return rows[0]!;
    });
    expect(left.inputTokens).toBeGreaterThan(0);
    expect(left.costMicros).toBeGreaterThan(0);
    // The gateway's own timeout (300 ms here): 504, charged the same way.
    const quick = await startGateway({ config: { priceOverrides: PRICES, upstreamTimeoutMs: 300 } });
    try {
      const timedOut = await fetch(`${quick.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.apiKeyString}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/capped-slow", messages: [{ role: "user", content: "Say hello" }] }),
      });
      expect(timedOut.status).toBe(504);
      const usage = await eventually(async () => {
        const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.keyId, key.apiKey.id));
        expect(rows).toHaveLength(2);
        return rows.find((r) => r.id !== left.id)!;
      });
      expect(usage.costMicros).toBeGreaterThan(0);
      expect(usage.outputTokens).toBe(0);
    } finally {
      await quick.close();
    }
  });
});
