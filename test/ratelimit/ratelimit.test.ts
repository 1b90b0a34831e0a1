import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/http/context.js";
import { RateLimits } from "../../src/ratelimit/limits.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, GATEWAY_TOKEN, getHarness, uniq } from "../helpers/harness.js";
import { redisLimits, requireRedis, testPrefix } from "./helpers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function usage(keyId: string, inputTokens: number, outputTokens: number, app?: App, requestId = uniq("req")) {
  return call("POST", "/v1/gateway/usage", {
    token: GATEWAY_TOKEN,
    app,
    body: { keyId, requestId, model: "openai/gpt-5", costUsd: 0, inputTokens, outputTokens },
  });
}

/** Waits until the key's token window holds `tokens` (usage reports count them without waiting). */
async function tokensCounted(limits: RateLimits, keyId: string, tokens: number) {
  for (let i = 0; i < 100 && (await limits.peek(keyId)).tokens < tokens; i++) await sleep(5);
}

function expect429(r: { status: number; body: any; headers: Headers }, limit: number, limitType: string) {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe("rate_limit_exceeded");
  const retryAfter = Number(r.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(r.body.error.param).toMatchObject({ limit, remaining: 0, limitType });
  expect(r.body.error.param.resetAt).toBeGreaterThan(Date.now());
  expect(r.body.error.param.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
}

describe("per-key rate limits, in memory", () => {
  const limits = RateLimits.memory();
  let app: App;
  afterAll(() => limits.close());

  it("requestsPerMinute: the request past the limit is 429 with Retry-After and param {limit, remaining, resetAt}", async () => {
    app ??= (await getHarness()).makeApp({ rateLimits: limits });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { requestsPerMinute: 3 } });
    const free = await createKeyFx(team);
    for (let i = 0; i < 3; i++) expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    expect429(await authorize(k.apiKeyString, "openai/gpt-5", app), 3, "requestsPerMinute");
    // Other keys, without a limit, are not affected.
    for (let i = 0; i < 10; i++) expect((await authorize(free.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    // Raising the limit (PATCH) applies to the current window at once; removing it lifts it.
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { rateLimit: { requestsPerMinute: 10 } } });
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { rateLimit: null } });
    for (let i = 0; i < 20; i++) expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
  });

  it("tokensPerMinute counts usage reports' tokens (once per requestId); authorize refuses once they reach the limit", async () => {
    app ??= (await getHarness()).makeApp({ rateLimits: limits });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { tokensPerMinute: 100 } });
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    expect((await usage(k.apiKey.id, 30, 20, app, "same-request")).status).toBe(202);
    expect((await usage(k.apiKey.id, 30, 20, app, "same-request")).status).toBe(202); // a repeat counts nothing
    await tokensCounted(limits, k.apiKey.id, 50);
    expect((await limits.peek(k.apiKey.id)).tokens).toBe(50);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    expect((await usage(k.apiKey.id, 40, 10, app)).status).toBe(202);
    await tokensCounted(limits, k.apiKey.id, 100);
    expect429(await authorize(k.apiKeyString, "openai/gpt-5", app), 100, "tokensPerMinute");
  });
});

describe("per-key rate limits in Redis: counters shared by two instances", () => {
  beforeAll(requireRedis); // fails, never skips, without Redis
  const opened: RateLimits[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((l) => l.close()));
  });

  async function twoInstances() {
    const prefix = testPrefix();
    const [la, lb] = await Promise.all([redisLimits(prefix), redisLimits(prefix)]);
    opened.push(la, lb);
    expect(la.ready && lb.ready).toBe(true);
    const h = await getHarness();
    return { A: h.makeApp({ rateLimits: la }), B: h.makeApp({ rateLimits: lb }), la, lb };
  }

  it("requestsPerMinute holds exactly across instances, concurrent requests included", async () => {
    const { A, B } = await twoInstances();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { requestsPerMinute: 10 } });
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => authorize(k.apiKeyString, "openai/gpt-5", i % 2 ? A : B)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(6);
    expect429(refused[0]!, 10, "requestsPerMinute");
  });

  it("tokens reported through one instance are refused by the other", async () => {
    const { A, B, lb } = await twoInstances();
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { tokensPerMinute: 1000 } });
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B)).status).toBe(200);
    expect((await usage(k.apiKey.id, 900, 100, A)).status).toBe(202);
    await tokensCounted(lb, k.apiKey.id, 1000);
    expect429(await authorize(k.apiKeyString, "openai/gpt-5", B), 1000, "tokensPerMinute");
  });

  it("with Redis unreachable, authorize still answers (per-instance counters), never a 500", async () => {
    const limits = RateLimits.redis("redis://127.0.0.1:1/0", { prefix: testPrefix() });
    opened.push(limits);
    const app = (await getHarness()).makeApp({ rateLimits: limits });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { rateLimit: { requestsPerMinute: 2 } });
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(200);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).status).toBe(429);
  });
});
