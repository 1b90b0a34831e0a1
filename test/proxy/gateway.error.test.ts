import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { anthropicClient, openaiClient, startGateway, type GatewayFx } from "./setup.js";
import { eventually, recordedUsage, usageOfKey } from "./helpers.js";

let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway();
});
afterAll(() => fx.close());

const chat = (fx: GatewayFx, key: string, model: string) =>
  openaiClient(fx, key).chat.completions.create({ model, messages: [{ role: "user", content: "hello" }] });
const message = (fx: GatewayFx, key: string, model: string) =>
  anthropicClient(fx, key).messages.create({ model, max_tokens: 16, messages: [{ role: "user", content: "hello" }] });

async function refusal<T>(p: Promise<T>) {
  try {
    await p;
  } catch (err) {
    return err as { status: number; error: any; message: string };
  }
  throw new Error("expected a refusal");
}

async function post(path: string, key: string | null, raw: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(fx.url + path, { method: "POST", headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, body: raw });
  return { status: res.status, body: (await res.json()) as any };
}

describe("gateway refusals, in each API's error shape", () => {
  it("401 for a missing or unknown key (OpenAI: invalid_api_key; Anthropic: authentication_error)", async () => {
    const o = await refusal(chat(fx, "tgk_nope", "openai/gpt-4o-mini"));
    expect(o).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(o.status).toBe(401);
    expect(o.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
    const a = await refusal(message(fx, "tgk_nope", "anthropic/claude-haiku-4-5"));
    expect(a).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(a.error).toEqual({ type: "error", error: { type: "authentication_error", message: "Invalid API key." } });
    const none = await post("/v1/chat/completions", null, JSON.stringify({ model: "openai/gpt-4o-mini", messages: [] }));
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Authorization: Bearer/);
  });

  it("403 for a model a routing rule denies, with the rule's reason", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" }, action: { reason: "Too pricey" } });
    const o = await refusal(chat(fx, key.apiKeyString, "openai/gpt-4o"));
    expect(o).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(o.error).toMatchObject({ type: "permission_error", code: "forbidden", message: "Request denied by a routing rule." });
    await createRuleFx(team, { type: "deny", match: { model: "anthropic/*" } });
    const a = await refusal(message(fx, key.apiKeyString, "anthropic/claude-haiku-4-5"));
    expect(a).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(a.error.error.type).toBe("permission_error");
    expect(fx.openai.requests.some((r) => r.body?.model === "gpt-4o")).toBe(false);
  });

  it("403 for a model outside the key's allow-list", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["openai/gpt-4o-mini"] });
    const o = await refusal(chat(fx, key.apiKeyString, "openai/gpt-4o"));
    expect(o.status).toBe(403);
    expect(o.message).toContain("Model 'openai/gpt-4o' is not allowed for this API key");
  });

  it("402 once a daily budget is spent mid-day: the request that crossed it went through, the next is refused", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "daily" } });
    const { response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/pricey-model", messages: [{ role: "user", content: "spend it" }] })
      .withResponse();
    const first = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(first.costMicros).toBeGreaterThan(1_000_000);
    const o = await refusal(chat(fx, key.apiKeyString, "openai/pricey-model"));
    expect(o.status).toBe(402);
    expect(o.error).toMatchObject({ type: "insufficient_quota", code: "quota_for_entity_exceeded" });
    const a = await refusal(message(fx, key.apiKeyString, "anthropic/claude-haiku-4-5"));
    expect(a.status).toBe(402);
    expect(a.error.error.type).toBe("billing_error");
    expect((await usageOfKey(key.apiKey.id)).length).toBe(1);
  });

  it("400 for bodies the gateway cannot route: no model, no provider prefix, bad JSON, not JSON, wrong API for the provider", async () => {
    const team = await createTeamFx();
    const k = (await createKeyFx(team)).apiKeyString;
    const noModel = await post("/v1/chat/completions", k, JSON.stringify({ messages: [] }));
    expect(noModel).toMatchObject({ status: 400, body: { error: { type: "invalid_request_error", param: "model", code: "bad_request" } } });
    const bare = await post("/v1/chat/completions", k, JSON.stringify({ model: "gpt-4o", messages: [] }));
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toMatch(/provider\/model/);
    expect((await post("/v1/chat/completions", k, "{not json")).status).toBe(400);
    expect((await post("/v1/chat/completions", k, "[1]")).status).toBe(400);
    expect((await post("/v1/chat/completions", k, JSON.stringify({ model: "openai/x", stream: "yes" }))).body.error.param).toBe("stream");
    expect((await post("/v1/chat/completions", k, "model=openai/x", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(400);
    const cross = await post("/v1/chat/completions", k, JSON.stringify({ model: "anthropic/claude-haiku-4-5", messages: [] }));
    expect(cross.status).toBe(400);
    expect(cross.body.error.message).toContain("POST /v1/messages");
    const cross2 = await post("/v1/messages", k, JSON.stringify({ model: "openai/gpt-4o-mini", max_tokens: 1, messages: [] }));
    expect(cross2).toMatchObject({ status: 400, body: { type: "error", error: { type: "invalid_request_error" } } });
    expect(cross2.body.error.message).toContain("/v1/chat/completions");
  });

  it("a provider with no credential is a 400 naming what to configure; an unknown provider a 400 listing the known ones", async () => {
    const team = await createTeamFx();
    const k = (await createKeyFx(team)).apiKeyString;
    const groq = await refusal(chat(fx, k, "groq/llama-3.1-8b-instant"));
    expect(groq.status).toBe(400);
    expect(groq.error.code).toBe("provider_not_configured");
    expect(groq.message).toContain("GROQ_API_KEY");
    expect(groq.message).toContain("/v1/ai-gateway/byok");
    const unknown = await refusal(chat(fx, k, "acme/model-1"));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain("Unknown provider 'acme'");
  });

  it("JSON nested 64 levels deep goes through; deeper is a 400 in the API's shape, and the provider is not called", async () => {
    const team = await createTeamFx();
    const k = (await createKeyFx(team)).apiKeyString;
    // The body is level 1, `tools` level 2: `n` more levels of arrays inside it.
    const nested = (model: string, n: number) => JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content: "deep" }], tools: "T" }).replace('"T"', "[".repeat(n) + "]".repeat(n));
    const ok = await post("/v1/chat/completions", k, nested("openai/gpt-4o-mini", 63));
    expect(ok.status).toBe(200);
    const seen = fx.openai.requests.length;
    for (const n of [64, 1000, 5000]) {
      const o = await post("/v1/chat/completions", k, nested("openai/gpt-4o-mini", n));
      expect(o, `${n}`).toMatchObject({ status: 400, body: { error: { type: "invalid_request_error", param: "(body)", code: "bad_request" } } });
      expect(o.body.error.message).toBe("Invalid request body: JSON nested deeper than 64 levels.");
      const a = await post("/v1/messages", k, nested("anthropic/claude-haiku-4-5", n));
      expect(a, `${n}`).toEqual({ status: 400, body: { type: "error", error: { type: "invalid_request_error", message: "Invalid request body: JSON nested deeper than 64 levels." } } });
    }
    expect(fx.openai.requests.length).toBe(seen);
    expect(fx.anthropic.requests.some((r) => r.body?.messages?.[0]?.content === "deep")).toBe(false);
  });

  it("a body over 10 MiB is 413 in the API's shape", async () => {
    const team = await createTeamFx();
    const k = (await createKeyFx(team)).apiKeyString;
    const big = JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x".repeat(11 * 1024 * 1024) }] });
    const o = await post("/v1/chat/completions", k, big);
    expect(o.status).toBe(413);
    expect(o.body.error.type).toBe("invalid_request_error");
    const a = await post("/v1/messages", k, big);
    expect(a).toMatchObject({ status: 413, body: { type: "error", error: { type: "request_too_large" } } });
  });
});

describe("gateway: provider failures", () => {
  it("upstream errors pass through with their status and body", async () => {
    const team = await createTeamFx();
    const k = (await createKeyFx(team)).apiKeyString;
    const e500 = await refusal(chat(fx, k, "openai/gpt-fail-500"));
    expect(e500.status).toBe(500);
    expect(e500.error.message).toBe("fake failure 500");
    const e429 = await refusal(chat(fx, k, "openai/gpt-fail-429"));
    expect(e429).toBeInstanceOf(OpenAI.RateLimitError);
    const a = await refusal(message(fx, k, "anthropic/claude-fail-529"));
    expect(a.status).toBe(529);
  });

  it("an upstream that does not answer in time is a 504 in the API's shape", async () => {
    const slow = await startGateway({ config: { upstreamTimeoutMs: 300 } });
    try {
      const team = await createTeamFx();
      const k = (await createKeyFx(team)).apiKeyString;
      const o = await refusal(chat(slow, k, "openai/gpt-slow"));
      expect(o.status).toBe(504);
      expect(o.error).toMatchObject({ type: "timeout_error", code: "upstream_timeout" });
      const a = await refusal(message(slow, k, "anthropic/claude-slow"));
      expect(a.status).toBe(504);
      expect(a.error.error.type).toBe("timeout_error");
      // A stream that stalls after its first chunk: a last error event, then the end.
      const res = await fetch(`${slow.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/gpt-stall", stream: true, messages: [{ role: "user", content: "x" }] }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('"content":"Hel"');
      expect(text.trim().split("\n\n").at(-1)).toContain('"code":"upstream_timeout"');
    } finally {
      await slow.close();
    }
  });

  it("an unreachable provider is a 502 naming it", async () => {
    const down = await startGateway({ env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" } });
    try {
      const team = await createTeamFx();
      const o = await refusal(chat(down, (await createKeyFx(team)).apiKeyString, "openai/gpt-4o-mini"));
      expect(o.status).toBe(502);
      expect(o.error.code).toBe("upstream_unavailable");
      expect(o.message).toContain("http://127.0.0.1:9/v1");
    } finally {
      await down.close();
    }
  });

  for (const api of ["openai", "anthropic"] as const) {
    it(`${api}: a client that disconnects mid-stream aborts the upstream request; what was reported is recorded`, async () => {
      const team = await createTeamFx();
      const key = await createKeyFx(team);
      const abort = new AbortController();
      const res = await fetch(`${fx.url}${api === "openai" ? "/v1/chat/completions" : "/v1/messages"}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.apiKeyString}`, "content-type": "application/json" },
        body: JSON.stringify({ model: api === "openai" ? "openai/gpt-drip" : "anthropic/claude-drip", max_tokens: 10, stream: true, messages: [{ role: "user", content: "go" }] }),
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain("data:");
      abort.abort();
      const upstream = fx[api].requests.at(-1)!;
      await eventually(async () => expect(upstream.closedEarly).toBe(true), 3000);
      expect(upstream.finished).toBe(false);
      const usage = await recordedUsage(res.headers.get("x-tollgate-request-id"));
      if (api === "anthropic") expect(usage.inputTokens).toBe(Math.ceil(Buffer.byteLength(JSON.stringify(upstream.body)) / 10));
      // OpenAI reports usage only at the end: its input and the output delivered are counted instead.
      else expect(usage.inputTokens).toBeGreaterThan(0);
    });
  }
});
