import { calcPrice } from "@pydantic/genai-prices";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { anthropicClient, openaiClient, startGateway, SYSTEM_OPENAI_KEY, type GatewayFx } from "./setup.js";
import { recordedUsage, usageOfKey } from "./helpers.js";

let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway();
});
afterAll(() => fx.close());

/** Micro-dollars per token, from the package's own price entry (not from Tollgate's code). */
function packageRates(provider: string, model: string) {
  const p = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: provider })!.model_price;
  return { input: p.input_mtok as number, output: p.output_mtok as number };
}

async function refusal<T>(p: Promise<T>) {
  try {
    await p;
  } catch (err) {
    return err as { status: number; error: any; message: string };
  }
  throw new Error("expected a refusal");
}

describe("gateway: OpenAI Responses API (official openai client)", () => {
  it("responses.create: the model called without its prefix at /v1/responses; usage and cost recorded from `usage`", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .responses.create({ model: "openai/gpt-4o-mini", input: "Say hello" })
      .withResponse();
    expect(data.output_text).toBe("Hello from the fake.");
    expect(response.headers.get("x-tollgate-model")).toBe("openai/gpt-4o-mini");
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.path).toBe("/v1/responses");
    expect(seen.body).toEqual({ model: "gpt-4o-mini", input: "Say hello" });
    expect(seen.headers.authorization).toBe(`Bearer ${SYSTEM_OPENAI_KEY}`);

    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    const rate = packageRates("openai", "gpt-4o-mini");
    expect(usage).toMatchObject({ keyId: key.apiKey.id, teamId: team.id, model: "openai/gpt-4o-mini", byok: false });
    expect(usage.inputTokens).toBe(data.usage!.input_tokens);
    expect(usage.outputTokens).toBe(data.usage!.output_tokens);
    expect(usage.costMicros).toBe(Math.round(data.usage!.input_tokens * rate.input + data.usage!.output_tokens * rate.output));
    expect(usage.costMicros).toBeGreaterThan(0);
  });

  it("responses.stream: every response.* event passes through; the usage of response.completed is recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const stream = openaiClient(fx, key.apiKeyString).responses.stream({ model: "openai/house-model", input: "Stream a hello" });
    const types: string[] = [];
    let text = "";
    stream.on("response.output_text.delta", (e) => (text += e.delta));
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(text).toBe("Hello from the fake.");
    expect(final.output_text).toBe("Hello from the fake.");
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(types.filter((t) => t === "response.output_text.delta")).toHaveLength(4);
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.body).toMatchObject({ model: "house-model", stream: true });
    expect(seen.body.stream_options, "no stream_options added: Responses streams always report usage").toBeUndefined();

    const [usage] = await waitForUsage(key.apiKey.id, 1);
    expect(usage!.inputTokens).toBe(final.usage!.input_tokens);
    expect(usage!.outputTokens).toBe(7);
    expect(usage!.costMicros).toBe(final.usage!.input_tokens * 2 + 7 * 8); // TOLLGATE_PRICES: $2 / $8 per million tokens
  });

  it("a tool call through Responses, non-streamed and streamed (arguments streamed in pieces), each metered", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const tools: OpenAI.Responses.Tool[] = [
      { type: "function", name: "get_weather", description: "Weather in a city", strict: true, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false } },
    ];
    const answer = await client.responses.create({ model: "openai/house-model", input: "Weather in Paris?", tools });
    const call = answer.output[0]!;
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", call_id: "call_fake" });
    expect(JSON.parse((call as OpenAI.Responses.ResponseFunctionToolCall).arguments)).toEqual({ city: "Paris" });
    expect(fx.openai.requests.at(-1)!.body.tools[0].name).toBe("get_weather");

    const stream = client.responses.stream({ model: "openai/house-model", input: "Weather in Paris, streamed?", tools });
    const pieces: string[] = [];
    stream.on("response.function_call_arguments.delta", (e) => pieces.push(e.delta));
    const final = await stream.finalResponse();
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(JSON.stringify({ city: "Paris" }));
    expect(final.output[0]).toMatchObject({ type: "function_call", name: "get_weather" });

    const rows = await waitForUsage(key.apiKey.id, 2);
    expect(rows.map((r) => r.outputTokens)).toEqual([7, 7]);
    for (const r of rows) expect(r.costMicros).toBe(r.inputTokens! * 2 + 7 * 8);
  });

  it("a spent budget is refused with 402 in OpenAI's shape, before the provider is called", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "daily" } });
    const client = openaiClient(fx, key.apiKeyString);
    const { response } = await client.responses.create({ model: "openai/pricey-model", input: "spend it all" }).withResponse();
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).costMicros).toBeGreaterThan(1_000_000);
    const calls = fx.openai.requests.length;
    const o = await refusal(client.responses.create({ model: "openai/pricey-model", input: "once more" }));
    expect(o).toBeInstanceOf(OpenAI.APIError);
    expect(o.status).toBe(402);
    expect(o.error).toMatchObject({ type: "insufficient_quota", code: "quota_for_entity_exceeded" });
    const s = await refusal((async () => {
      for await (const _ of client.responses.stream({ model: "openai/pricey-model", input: "streamed" }));
    })());
    expect(s.status).toBe(402);
    expect(fx.openai.requests.length).toBe(calls);
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(1);
  });

  it("rules and the allow-list apply; an Anthropic model is a 400 naming the route to call", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"] });
    const client = openaiClient(fx, key.apiKeyString);
    const outside = await refusal(client.responses.create({ model: "openai/gpt-4o", input: "x" }));
    expect(outside.status).toBe(403);
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o-mini" }, action: { reason: "no" } });
    const denied = await refusal(client.responses.create({ model: "openai/gpt-4o-mini", input: "x" }));
    expect(denied.status).toBe(403);
    expect(denied.error).toMatchObject({ type: "permission_error", code: "forbidden" });
    const cross = await refusal(client.responses.create({ model: "anthropic/claude-haiku-4-5", input: "x" }));
    expect(cross.status).toBe(400);
    expect(cross.message).toContain("POST /v1/messages");
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(0);
  });
});

describe("gateway: Anthropic token counting (official @anthropic-ai/sdk client)", () => {
  it("messages.countTokens: passed to the provider's count_tokens, authorized, and not charged", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = anthropicClient(fx, key.apiKeyString);
    const { data, response } = await client.messages
      .countTokens({ model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "How many tokens?" }] })
      .withResponse();
    const seen = fx.anthropic.requests.at(-1)!;
    expect(seen.path).toBe("/v1/messages/count_tokens");
    expect(seen.body.model).toBe("claude-haiku-4-5");
    expect(data.input_tokens).toBe(Math.ceil(Buffer.byteLength(JSON.stringify(seen.body)) / 10));
    expect(response.headers.get("x-tollgate-model")).toBe("anthropic/claude-haiku-4-5");
    // Free: nothing is recorded (a message afterwards is, so the batcher did run).
    await client.messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 8, messages: [{ role: "user", content: "now a real one" }] });
    const rows = await waitForUsage(key.apiKey.id, 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outputTokens).toBe(7);
  });

  it("countTokens is free: a spent budget does not refuse it, and it does not count toward requestsPerMinute", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "daily" }, rateLimit: { requestsPerMinute: 2 } });
    const client = anthropicClient(fx, key.apiKeyString);
    const count = () => client.messages.countTokens({ model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "count me" }] });
    for (let i = 0; i < 5; i++) expect((await count()).input_tokens).toBeGreaterThan(0);
    // The key's two requests a minute are still there: one spends the budget, the next is refused for it.
    const { response } = await openaiClient(fx, key.apiKeyString).chat.completions.create({ model: "openai/pricey-model", messages: [{ role: "user", content: "spend it" }] }).withResponse();
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).costMicros).toBeGreaterThan(1_000_000);
    const spent = await refusal(client.messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 8, messages: [{ role: "user", content: "x" }] }));
    expect(spent.status).toBe(402);
    expect((await count()).input_tokens).toBeGreaterThan(0);
    expect(await usageOfKey(key.apiKey.id)).toHaveLength(1);
  });

  it("countTokens is refused like a message: unknown key 401, a denied model 403 (Anthropic's shape), the provider not called", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["anthropic/claude-haiku-4-5"] });
    const calls = fx.anthropic.requests.length;
    const bad = await refusal(anthropicClient(fx, "tgk_nope").messages.countTokens({ model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "x" }] }));
    expect(bad.status).toBe(401);
    expect(bad.error.error.type).toBe("authentication_error");
    const outside = await refusal(anthropicClient(fx, key.apiKeyString).messages.countTokens({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "x" }] }));
    expect(outside.status).toBe(403);
    expect(outside.error.error.type).toBe("permission_error");
    await createRuleFx(team, { type: "deny", match: { model: "anthropic/claude-haiku-4-5" } });
    const denied = await refusal(anthropicClient(fx, key.apiKeyString).messages.countTokens({ model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "x" }] }));
    expect(denied.status).toBe(403);
    expect(fx.anthropic.requests.length).toBe(calls);
  });
});

/** The key's usage rows once there are `n` (the batcher commits asynchronously). */
async function waitForUsage(keyId: string, n: number) {
  const until = Date.now() + 5000;
  for (;;) {
    const rows = await usageOfKey(keyId);
    if (rows.length >= n) return rows;
    if (Date.now() > until) throw new Error(`expected ${n} usage rows, found ${rows.length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
