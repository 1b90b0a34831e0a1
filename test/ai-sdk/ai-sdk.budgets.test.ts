import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEASE_IDLE_MS } from "../../src/quotas/leases.js";
import { createKeyFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";
import { eventually, recordedUsage, usageOfKey } from "../proxy/helpers.js";
import { TEST_PRICES } from "../proxy/setup.js";
import { gatewayOf, MAJORS, startAiGateway, type AiFx } from "./setup.js";

/** $0.001 a token either way (groq's: $1 and $2 per million). */
const PRICES = {
  ...TEST_PRICES,
  "groq/*": { input: 1, output: 2 },
  "openai/capped-model": { input: 1000, output: 1000 },
  "openai/capped-fail-503": { input: 1000, output: 1000 },
  "openai/capped-slow": { input: 1000, output: 1000 },
  "mistral/capped-model": { input: 1000, output: 1000 },
};

let fx: AiFx;
beforeAll(async () => {
  fx = await startAiGateway({ priceOverrides: PRICES, upstreamTimeoutMs: 10_000 });
});
afterAll(() => fx?.close());

/** The error `fn` rejects with. */
async function failure(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

type KeyFx = Awaited<ReturnType<typeof createKeyFx>>;

const hardKey = async (limitAmount: number) => {
  const team = await createTeamFx();
  return { team, key: await createKeyFx(team, { aiGatewayQuota: { limitAmount, enforcement: "hard" } }) };
};

/** The key's quota view (GET /v1/api-keys/{id}). */
async function quotaOf(team: TeamFx, key: KeyFx) {
  const got = await call("GET", `/v1/api-keys/${key.apiKey.id}?teamId=${team.id}`, { token: team.owner.token });
  expect(got.status).toBe(200);
  return got.body.apiKey.quota as { currentSpend: number; reserved: number; enforcement: string };
}

/**
 * `reserved` in the key's quota view once the instance's lease on the budget has been idle for
 * LEASE_IDLE_MS (its sweep, run as at that time): a lease is given back then unless a request
 * still holds a reservation on it, so only a reservation left behind keeps `reserved` above 0.
 */
async function reservedWhenIdle(team: TeamFx, key: KeyFx): Promise<number> {
  const { gateway } = await getHarness();
  return eventually(async () => {
    await gateway.leases.sweep(Date.now() + LEASE_IDLE_MS + 1_000);
    const q = await quotaOf(team, key);
    expect(q.reserved).toBe(0);
    return q.reserved;
  });
}

/** The dollars of a 402's "worst case ($x: …)". */
const worstCaseIn = (message: string) => Number(/worst case \(\$([\d.]+)/.exec(message)?.[1]);

describe.each(MAJORS)("$name: hard budgets on the AI SDK's routes", (m) => {
  it("a generateText whose worst case (prompt + maxOutputTokens) fits is admitted; afterwards nothing stays reserved", async () => {
    const { team, key } = await hardKey(1);
    const r = await m.ai.generateText({ model: gatewayOf(m, fx, key.apiKeyString)("openai/capped-model"), prompt: "Say hello", maxOutputTokens: 20, maxRetries: 0 });
    expect(r.text).toBe("Hello from the fake.");
    expect(fx.openai.requests.at(-1)!.body.max_output_tokens).toBe(20);
    const usage = await recordedUsage(r.providerMetadata.gateway.generationId);
    expect(usage.costMicros).toBeGreaterThan(0);
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    await eventually(async () => expect((await quotaOf(team, key)).currentSpend).toBeCloseTo(usage.costMicros / 1e6, 9));
    expect(await reservedWhenIdle(team, key)).toBe(0);
  });

  it("a generateText whose maxOutputTokens cannot fit is refused with the budget's 402 before the provider is called", async () => {
    const { key } = await hardKey(1);
    const before = fx.openai.requests.length;
    const err = await failure(() => m.ai.generateText({ model: gatewayOf(m, fx, key.apiKeyString)("openai/capped-model"), prompt: "Say hello", maxOutputTokens: 2000, maxRetries: 0 }));
    expect(err.statusCode).toBe(402);
    expect(m.gateway.GatewayForbiddenError.isInstance(err)).toBe(true);
    // The worst case is the prompt (a few dozen tokens) and the 2,000 output tokens asked for, at $0.001 a token.
    expect(worstCaseIn(err.message)).toBeGreaterThan(2);
    expect(worstCaseIn(err.message)).toBeLessThan(2.1);
    expect(fx.openai.requests.length).toBe(before);
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
  });

  it("calls that fail after authorize (provider 503 with no fallback, no provider credential) leave nothing reserved", async () => {
    const { team, key } = await hardKey(1);
    const gw = gatewayOf(m, fx, key.apiKeyString);
    // Each worst case is ~$0.64 of the $1: a second one fits only if the first was given back.
    const ask = (model: string) => m.ai.generateText({ model: gw(model), prompt: "Say hello", maxOutputTokens: 600, maxRetries: 0 });
    const failed = await failure(() => ask("openai/capped-fail-503"));
    expect(failed.statusCode).toBe(502);
    expect(failed.message).toContain("openai failed (503)");
    const unconfigured = await failure(() => ask("mistral/capped-model"));
    expect(unconfigured.statusCode).toBe(400);
    expect(unconfigured.message).toContain("No credential for provider 'mistral'");
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    const ok = await ask("openai/capped-model");
    expect(ok.text).toBe("Hello from the fake.");
    await recordedUsage(ok.providerMetadata.gateway.generationId);
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(1);
    expect(await reservedWhenIdle(team, key)).toBe(0);
  });

  it("embedMany reserves its values' text (no output): admitted, metered; a provider failure leaves nothing reserved", async () => {
    const { team, key } = await hardKey(1);
    const gw = gatewayOf(m, fx, key.apiKeyString);
    // $0.001 a token: a context window of output at that price would not fit in $1.
    const failed = await failure(() => m.ai.embedMany({ model: gw.embeddingModel("openai/capped-fail-503"), values: ["a", "bbb"], maxRetries: 0 }));
    expect(failed.statusCode).toBe(502);
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    const { usage } = await m.ai.embedMany({ model: gw.embeddingModel("openai/capped-model"), values: ["a", "bbb"], maxRetries: 0 });
    const [row] = await eventually(async () => {
      const rows = await usageOfKey(key.apiKey.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row!.inputTokens).toBe(usage.tokens);
    expect(row!.costMicros).toBe(usage.tokens * 1000);
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    expect(await reservedWhenIdle(team, key)).toBe(0);
  });

  it("a client that disconnects mid-stream (no usage from the provider yet) is charged its input and the output delivered", async () => {
    const { team, key } = await hardKey(10);
    const abort = new AbortController();
    const s = m.ai.streamText({
      model: gatewayOf(m, fx, key.apiKeyString)("groq/capped-drip"),
      prompt: "long answer",
      maxOutputTokens: 1000,
      maxRetries: 0,
      abortSignal: abort.signal,
      onError: () => {},
    });
    let n = 0;
    try {
      for await (const _ of s.textStream) if (++n === 3) abort.abort();
    } catch {}
    const seen = fx.groq.requests.at(-1)!;
    expect(seen.body.model).toBe("capped-drip");
    await eventually(async () => expect(seen.closedEarly).toBe(true));
    const [row] = await eventually(async () => {
      const rows = await usageOfKey(key.apiKey.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row!.inputTokens).toBeGreaterThan(0);
    expect(row!.outputTokens).toBeGreaterThan(0); // "w0 w1 w2 " were delivered
    expect(row!.outputTokens).toBeLessThan(500);
    expect(row!.costMicros).toBe(row!.inputTokens! * 1 + row!.outputTokens! * 2);
    // The reservation became that cost.
    expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    await eventually(async () => expect((await quotaOf(team, key)).currentSpend).toBeCloseTo(row!.costMicros / 1e6, 9));
  });
});

describe("an upstream timeout on the AI SDK's routes", () => {
  it("is charged its input, counted (the provider reported nothing), and leaves nothing reserved", async () => {
    const quick = await startAiGateway({ priceOverrides: PRICES, upstreamTimeoutMs: 300 });
    try {
      const { key } = await hardKey(1);
      const m = MAJORS[0];
      const err = await failure(() => m.ai.generateText({ model: gatewayOf(m, quick, key.apiKeyString)("openai/capped-slow"), prompt: "Say hello", maxOutputTokens: 20, maxRetries: 0 }));
      expect(err.statusCode).toBe(504);
      const [row] = await eventually(async () => {
        const rows = await usageOfKey(key.apiKey.id);
        expect(rows).toHaveLength(1);
        return rows;
      });
      expect(row!.model).toBe("openai/capped-slow");
      expect(row!.inputTokens).toBeGreaterThan(0);
      expect(row!.outputTokens).toBe(0);
      expect(row!.costMicros).toBe(row!.inputTokens! * 1000);
      expect((await getHarness()).gateway.leases.openReservations).toBe(0);
    } finally {
      await quick.close();
    }
  });
});
