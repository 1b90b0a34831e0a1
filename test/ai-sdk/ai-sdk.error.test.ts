import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { eventually, recordedUsage, usageOfKey } from "../proxy/helpers.js";
import { startGateway } from "../proxy/setup.js";
import { gatewayOf, MAJORS, startAiGateway, SYSTEM_GROQ_KEY, type AiFx } from "./setup.js";

let fx: AiFx;
beforeAll(async () => {
  fx = await startAiGateway();
});
afterAll(() => fx.close());

/** The error `fn` rejects with. */
async function failure(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

describe.each(MAJORS)("$name: refusals reach the app as the gateway's error classes", (m) => {
  const text = (gw: any, model: string, extra: Record<string, unknown> = {}) => () => m.ai.generateText({ model: gw(model), prompt: "hi", maxRetries: 0, ...extra });

  it("a deny rule: GatewayForbiddenError with the rule's id; nothing reaches the provider or the usage", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" }, action: { reason: "too expensive" } });
    const key = await createKeyFx(team);
    const before = fx.openai.requests.length;
    const err = await failure(text(gatewayOf(m, fx, key.apiKeyString), "openai/gpt-4o"));
    expect(m.gateway.GatewayForbiddenError.isInstance(err)).toBe(true);
    expect(err.statusCode).toBe(403);
    expect(err.ruleId).toBe(rule.ruleId);
    expect(err.message).toContain("denied by a routing rule");
    expect(fx.openai.requests.length).toBe(before);
    expect(await usageOfKey(key.apiKey.id)).toEqual([]);
  });

  it("a spent budget: 402, a GatewayError that is not retryable and names the budget", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "daily" } });
    const gw = gatewayOf(m, fx, key.apiKeyString);
    const first = await m.ai.generateText({ model: gw("openai/pricey-model"), prompt: "spend it", maxRetries: 0 });
    expect((await recordedUsage(first.providerMetadata.gateway.generationId)).costMicros).toBeGreaterThan(1_000_000);
    const err = await eventually(async () => {
      const e = await failure(text(gw, "openai/pricey-model"));
      expect(e.statusCode).toBe(402);
      return e;
    });
    expect(m.gateway.GatewayError.isInstance(err)).toBe(true);
    expect(m.gateway.GatewayForbiddenError.isInstance(err)).toBe(true);
    expect(err.isRetryable).toBe(false);
    expect(err.message).toContain("api key budget is spent");
  });

  it("an unknown key: GatewayAuthenticationError (which `ai` re-throws under that name with its own set-up hint)", async () => {
    const gw = gatewayOf(m, fx, "tgk_" + "Z".repeat(49));
    const err = await failure(text(gw, "openai/gpt-4o-mini"));
    expect(err.name).toBe("GatewayAuthenticationError");
    const direct = await failure(() => gw.getAvailableModels());
    expect(m.gateway.GatewayAuthenticationError.isInstance(direct)).toBe(true);
    expect(direct.statusCode).toBe(401);
  });

  it("a model outside the key's allow-list: GatewayForbiddenError", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["openai/gpt-4o-mini"] });
    const err = await failure(text(gatewayOf(m, fx, key.apiKeyString), "openai/gpt-4o"));
    expect(m.gateway.GatewayForbiddenError.isInstance(err)).toBe(true);
    expect(err.message).toContain("not allowed for this API key");
  });

  it("an unknown provider: GatewayModelNotFoundError with the model id", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const err = await failure(text(gatewayOf(m, fx, key.apiKeyString), "nosuch/model-x"));
    expect(m.gateway.GatewayModelNotFoundError.isInstance(err)).toBe(true);
    expect(err.modelId).toBe("nosuch/model-x");
  });

  it("the key's rate limit: GatewayRateLimitError", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { rateLimit: { requestsPerMinute: 1 } });
    const gw = gatewayOf(m, fx, key.apiKeyString);
    await m.ai.generateText({ model: gw("openai/house-model"), prompt: "one", maxRetries: 0 });
    const err = await failure(text(gw, "openai/house-model"));
    expect(m.gateway.GatewayRateLimitError.isInstance(err)).toBe(true);
    expect(err.statusCode).toBe(429);
  });

  it("a provider failing with 503: the fallback of providerOptions.gateway.models answers, and only it is metered", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const before = fx.openai.requests.length;
    const r = await m.ai.generateText({
      model: gatewayOf(m, fx, key.apiKeyString)("openai/broken-fail-503"),
      prompt: "fall back",
      providerOptions: { gateway: { models: ["anthropic/claude-haiku-4-5"] } },
      maxRetries: 0,
    });
    expect(r.text).toBe("Hello from the fake.");
    expect(fx.openai.requests.slice(before).map((x) => x.body.model)).toEqual(["broken-fail-503"]);
    const usage = await recordedUsage(r.providerMetadata.gateway.generationId);
    expect(usage.model).toBe("anthropic/claude-haiku-4-5");
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(1);
  });

  it("a provider failing with 503 and no fallback: a retryable GatewayError with the status", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const err = await failure(text(gatewayOf(m, fx, key.apiKeyString), "openai/broken-fail-503"));
    expect(m.gateway.GatewayInternalServerError.isInstance(err)).toBe(true);
    expect(err.statusCode).toBe(502);
    expect(err.message).toContain("openai failed (503)");
  });

  it("a bad providerOptions.gateway.user or tags: GatewayInvalidRequestError naming the option; nothing reaches the provider or the usage", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const gw = gatewayOf(m, fx, key.apiKeyString);
    const before = fx.openai.requests.length;
    for (const [gateway, path] of [
      [{ tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, "providerOptions.gateway.tags"],
      [{ tags: ["x".repeat(1001)] }, "providerOptions.gateway.tags.0"],
      [{ tags: "chat" }, "providerOptions.gateway.tags"],
      [{ user: "u".repeat(1001) }, "providerOptions.gateway.user"],
      [{ user: 42 }, "providerOptions.gateway.user"],
    ] as const) {
      const err = await failure(text(gw, "openai/house-model", { providerOptions: { gateway } }));
      expect(m.gateway.GatewayInvalidRequestError.isInstance(err), path).toBe(true);
      expect(err.statusCode).toBe(400);
      expect(err.message).toContain(path);
    }
    expect(fx.openai.requests.length).toBe(before);
    expect(await usageOfKey(key.apiKey.id)).toEqual([]);
    // At the limits: accepted and stored.
    const tags = Array.from({ length: 100 }, (_, i) => `${i}`.padStart(1000, "t"));
    const r = await m.ai.generateText({ model: gw("openai/house-model"), prompt: "hi", providerOptions: { gateway: { user: "u".repeat(1000), tags } }, maxRetries: 0 });
    expect(await recordedUsage(r.providerMetadata.gateway.generationId)).toMatchObject({ endUser: "u".repeat(1000), tags });
  });

  it("the spend report: a bad user_id or tags filter, or credential_type, is a GatewayInvalidRequestError", async () => {
    const gw = gatewayOf(m, fx, (await createKeyFx(await createTeamFx())).apiKeyString);
    const range = { startDate: "2025-01-01", endDate: "2025-01-31" };
    for (const params of [
      { tags: Array.from({ length: 101 }, (_, i) => `t${i}`) },
      { tags: ["x".repeat(1001)] },
      { userId: "u".repeat(1001) },
      { groupBy: "credential_type" },
      { credentialType: "byok" },
    ]) {
      const err = await failure(() => gw.getSpendReport({ ...range, ...params }));
      expect(m.gateway.GatewayInvalidRequestError.isInstance(err), JSON.stringify(params).slice(0, 80)).toBe(true);
      expect(err.statusCode).toBe(400);
    }
  });

  it("a client that disconnects mid-stream aborts the provider call; what the provider reported is recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const abort = new AbortController();
    const s = m.ai.streamText({ model: gatewayOf(m, fx, key.apiKeyString)("anthropic/claude-haiku-4-5-drip"), prompt: "long answer", maxRetries: 0, abortSignal: abort.signal, onError: () => {} });
    let n = 0;
    try {
      for await (const _ of s.textStream) if (++n === 3) abort.abort();
    } catch {}
    const seen = fx.anthropic.requests.at(-1)!;
    expect(seen.body.model).toBe("claude-haiku-4-5-drip");
    await eventually(async () => expect(seen.closedEarly).toBe(true));
    const [row] = await eventually(async () => {
      const rows = await usageOfKey(key.apiKey.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row!.inputTokens).toBeGreaterThan(0);
    expect(row!.costMicros).toBeGreaterThan(0);
  });
});

describe("the provider call itself (src/ai-sdk/fetch.ts)", () => {
  const m = MAJORS[0];

  it("a provider that cannot be reached: a GatewayError 502 naming the provider; nothing is recorded", async () => {
    // A gateway whose groq points at a port nothing listens on.
    const unreachable = await startGateway({ env: { GROQ_BASE_URL: "http://127.0.0.1:9/v1", GROQ_API_KEY: SYSTEM_GROQ_KEY } });
    try {
      const team = await createTeamFx();
      const key = await createKeyFx(team);
      const err = await failure(() => m.ai.generateText({ model: gatewayOf(m, unreachable, key.apiKeyString)("groq/llama-3.1-8b-instant"), prompt: "hi", maxRetries: 0 }));
      expect(m.gateway.GatewayInternalServerError.isInstance(err)).toBe(true);
      expect(err.statusCode).toBe(502);
      expect(err.message).toContain("Could not reach groq at http://127.0.0.1:9/v1");
      expect(await usageOfKey(key.apiKey.id)).toHaveLength(0);
    } finally {
      await unreachable.close();
    }
  });

  it("a provider that does not answer within the upstream timeout: a GatewayError 504; the call is charged its input, counted", async () => {
    const slow = await startGateway({ config: { upstreamTimeoutMs: 300 } });
    try {
      const team = await createTeamFx();
      const key = await createKeyFx(team);
      const err = await failure(() => m.ai.generateText({ model: gatewayOf(m, slow, key.apiKeyString)("anthropic/claude-haiku-4-5-slow"), prompt: "hi", maxRetries: 0 }));
      expect(err.statusCode).toBe(504);
      expect(err.message).toContain("did not answer within the upstream timeout");
      expect(slow.anthropic.requests.at(-1)!.body.model).toBe("claude-haiku-4-5-slow");
      const [row] = await eventually(async () => {
        const rows = await usageOfKey(key.apiKey.id);
        expect(rows).toHaveLength(1);
        return rows;
      });
      expect(row!.inputTokens).toBeGreaterThan(0);
    } finally {
      await slow.close();
    }
  });

  it("a provider's 429 reaches the AI SDK's provider package with its status: a GatewayRateLimitError", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const err = await failure(() => m.ai.generateText({ model: gatewayOf(m, fx, key.apiKeyString)("openai/broken-fail-429"), prompt: "hi", maxRetries: 0 }));
    expect(m.gateway.GatewayRateLimitError.isInstance(err)).toBe(true);
    expect(err.statusCode).toBe(429);
  });
});
