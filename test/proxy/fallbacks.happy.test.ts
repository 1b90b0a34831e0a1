import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { anthropicClient, openaiClient, startGateway, type GatewayFx } from "./setup.js";
import { recordedUsage, usageOfKey } from "./helpers.js";

/**
 * The fakes: `*-fail-<status>` answers that status, `*-slow` never answers (a timeout here: 3 s,
 * so that an answer that does come is never taken for one on a loaded 2-core CI, where 1 s was).
 */
let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway({ config: { upstreamTimeoutMs: 3000 } });
});
afterAll(() => fx.close());

type ChatBody = OpenAI.ChatCompletionCreateParamsNonStreaming & { models?: string[] };
const chatBody = (model: string, models: string[], content = "hello"): ChatBody => ({ model, models, messages: [{ role: "user", content }] });

/** What the fake OpenAI was asked for since `from`: the models called, in order. */
const calledSince = (from: number, provider: "openai" | "anthropic" = "openai") => fx[provider].requests.slice(from).map((r) => r.body.model);

async function refusal<T>(p: Promise<T>) {
  try {
    await p;
  } catch (err) {
    return err as { status: number; error: any; message: string };
  }
  throw new Error("expected a refusal");
}

describe("fallbacks: `models: [...]` tried in order on 429, 5xx or a timeout", () => {
  it("after a 429: the next model serves, the answer names it, only it is metered, and `models` is not sent upstream", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const from = fx.openai.requests.length;
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create(chatBody("openai/busy-fail-429", ["openai/house-model"]))
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake.");
    expect(response.headers.get("x-tollgate-model")).toBe("openai/house-model");
    expect(calledSince(from)).toEqual(["busy-fail-429", "house-model"]);
    expect(fx.openai.requests.at(-1)!.body.models).toBeUndefined();
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage).toMatchObject({ model: "openai/house-model", outputTokens: 7 });
    expect(usage.costMicros).toBe(usage.inputTokens! * 2 + 7 * 8);
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(1);
  });

  it("after a timeout and after a 5xx, streamed: the stream comes from the model that answered", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const from = fx.openai.requests.length;
    const { data: stream, response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ ...chatBody("openai/house-model-slow", ["openai/down-fail-503", "openai/house-model"]), stream: true } as OpenAI.ChatCompletionCreateParamsStreaming)
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from the fake.");
    expect(response.headers.get("x-tollgate-model")).toBe("openai/house-model");
    expect(calledSince(from)).toEqual(["house-model-slow", "down-fail-503", "house-model"]);
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage).toMatchObject({ model: "openai/house-model", outputTokens: 7 });
  });

  it("Anthropic Messages and the Responses API fall back the same way", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const from = fx.anthropic.requests.length;
    const body = { model: "anthropic/claude-haiku-4-5-fail-529", models: ["anthropic/claude-haiku-4-5"], max_tokens: 16, messages: [{ role: "user", content: "hi" }] };
    const { data, response } = await anthropicClient(fx, key.apiKeyString)
      .messages.create(body as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "Hello from the fake." });
    expect(response.headers.get("x-tollgate-model")).toBe("anthropic/claude-haiku-4-5");
    expect(calledSince(from, "anthropic")).toEqual(["claude-haiku-4-5-fail-529", "claude-haiku-4-5"]);
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).model).toBe("anthropic/claude-haiku-4-5");

    const r = await openaiClient(fx, key.apiKeyString)
      .responses.create({ model: "openai/house-model-slow", models: ["openai/house-model"], input: "hi" } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .withResponse();
    expect(r.data.output_text).toBe("Hello from the fake.");
    expect(r.response.headers.get("x-tollgate-model")).toBe("openai/house-model");
  });

  it("a model the rules deny or the key does not allow is skipped (never called), first or fallback", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["openai/busy-fail-429", "openai/gpt-4o", "openai/house-model", "openai/gpt-4o-mini"] });
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" }, action: { reason: "too pricey" } });
    const client = openaiClient(fx, key.apiKeyString);
    let from = fx.openai.requests.length;
    const denied = await client.chat.completions.create(chatBody("openai/busy-fail-429", ["openai/gpt-4o", "openai/o3", "openai/house-model"])).withResponse();
    expect(denied.response.headers.get("x-tollgate-model")).toBe("openai/house-model");
    expect(calledSince(from), "gpt-4o (denied) and o3 (not in the allow-list) skipped").toEqual(["busy-fail-429", "house-model"]);

    from = fx.openai.requests.length;
    const first = await client.chat.completions.create(chatBody("openai/gpt-4o", ["openai/gpt-4o-mini"])).withResponse();
    expect(first.response.headers.get("x-tollgate-model")).toBe("openai/gpt-4o-mini");
    expect(calledSince(from)).toEqual(["gpt-4o-mini"]);

    // Only refused models: the first refusal, as without fallbacks.
    const none = await refusal(client.chat.completions.create(chatBody("openai/gpt-4o", ["openai/o3"])));
    expect(none.status).toBe(403);
    expect(none.error).toMatchObject({ type: "permission_error", code: "forbidden", message: "Request denied by a routing rule." });
    // A 429 whose fallbacks are all refused: the provider's 429 passes through.
    const busy = await refusal(client.chat.completions.create(chatBody("openai/busy-fail-429", ["openai/gpt-4o"])));
    expect(busy.status).toBe(429);
    expect(busy.message).toContain("fake failure 429");
    for (const r of [denied, first]) await recordedUsage(r.response.headers.get("x-tollgate-request-id"));
    expect((await usageOfKey(key.apiKey.id)).map((u) => u.model).sort()).toEqual(["openai/gpt-4o-mini", "openai/house-model"]);
  });

  it("a request with fallbacks counts once toward the key's requestsPerMinute, however many models it tried", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { rateLimit: { requestsPerMinute: 2 } });
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" } });
    const client = openaiClient(fx, key.apiKeyString);
    for (let i = 0; i < 2; i++) {
      const { response } = await client.chat.completions
        .create(chatBody("openai/gpt-4o", ["openai/busy-fail-429", "openai/down-fail-503", "openai/house-model"], `try ${i}`))
        .withResponse();
      expect(response.headers.get("x-tollgate-model")).toBe("openai/house-model");
    }
    const from = fx.openai.requests.length;
    const limited = await refusal(client.chat.completions.create(chatBody("openai/busy-fail-429", ["openai/house-model"])));
    expect(limited.status).toBe(429);
    expect(limited.error).toMatchObject({ type: "rate_limit_exceeded", message: expect.stringContaining("limit of 2 requests per minute") });
    expect(fx.openai.requests.length, "refused by Tollgate: no provider called").toBe(from);
  });

  it("every model failing: the last failure is the answer; no fallback on other 4xx; a bad `models` is a 400", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const from = fx.openai.requests.length;
    const all = await refusal(client.chat.completions.create(chatBody("openai/a-fail-429", ["openai/b-fail-500", "openai/c-slow"])));
    expect(all.status).toBe(504);
    expect(all.error.code).toBe("upstream_timeout");
    const bad = await refusal(client.chat.completions.create(chatBody("openai/a-fail-400", ["openai/house-model"])));
    expect(bad.status, "a provider's 400 is the client's error: passed through, no fallback").toBe(400);
    expect(calledSince(from)).toEqual(["a-fail-429", "b-fail-500", "c-slow", "a-fail-400"]);
    for (const models of [[], "openai/x", ["gpt-4o"], Array.from({ length: 11 }, (_, i) => `openai/m${i}`)]) {
      const r = await refusal(client.chat.completions.create({ ...chatBody("openai/house-model", []), models } as ChatBody));
      expect(r.status, JSON.stringify(models)).toBe(400);
      expect(r.error.param).toBe("models");
    }
    // `model` may be left out: the first of `models`.
    const { response } = await client.chat.completions.create({ models: ["openai/busy-fail-503", "openai/gpt-4o-mini"], messages: [{ role: "user", content: "x" }] } as unknown as ChatBody).withResponse();
    expect(response.headers.get("x-tollgate-model")).toBe("openai/gpt-4o-mini");
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).model).toBe("openai/gpt-4o-mini");
    // Refused models are not recorded; the one that timed out (it had the request) is charged its input, counted.
    const events = await usageOfKey(key.apiKey.id);
    expect(events.map((e) => e.model).sort()).toEqual(["openai/c-slow", "openai/gpt-4o-mini"]);
    const slow = events.find((e) => e.model === "openai/c-slow")!;
    expect(slow.inputTokens).toBeGreaterThan(0);
    expect(slow.outputTokens).toBe(0);
  });
});
