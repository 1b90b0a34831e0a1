import { calcPrice } from "@pydantic/genai-prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { anthropicClient, openaiClient, startGateway, SYSTEM_ANTHROPIC_KEY, SYSTEM_OPENAI_KEY, type GatewayFx } from "./setup.js";
import { recordedUsage } from "./helpers.js";

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

describe("gateway: OpenAI-compatible surface (official openai client)", () => {
  it("non-streamed chat completion: model called without its prefix, with the system key; spend = tokens × the price table", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const { data, response } = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hi there" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake.");
    expect(response.headers.get("x-tollgate-model")).toBe("openai/gpt-4o-mini");
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.body.model).toBe("gpt-4o-mini");
    expect(seen.headers.authorization).toBe(`Bearer ${SYSTEM_OPENAI_KEY}`);

    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    const rate = packageRates("openai", "gpt-4o-mini");
    expect(usage).toMatchObject({ keyId: key.apiKey.id, teamId: team.id, model: "openai/gpt-4o-mini", byok: false });
    expect(usage.inputTokens).toBe(data.usage!.prompt_tokens);
    expect(usage.outputTokens).toBe(data.usage!.completion_tokens);
    expect(usage.costMicros).toBe(Math.round(data.usage!.prompt_tokens * rate.input + data.usage!.completion_tokens * rate.output));
    expect(usage.costMicros).toBeGreaterThan(0);
  });

  it("streamed chat: chunks pass through, the usage chunk Tollgate asked for is dropped, and the usage is still recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const { data: stream, response } = await client.chat.completions
      .create({ model: "openai/house-model", messages: [{ role: "user", content: "Stream please" }], stream: true })
      .withResponse();
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.choices.length, "no usage-only chunk reaches a client that did not ask").toBeGreaterThan(0);
      text += chunk.choices[0]!.delta.content ?? "";
    }
    expect(text).toBe("Hello from the fake.");
    expect(chunks).toBe(6);
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.body.stream_options).toEqual({ include_usage: true });

    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    const input = Math.ceil(Buffer.byteLength(JSON.stringify(seen.body)) / 10);
    expect(usage.inputTokens).toBe(input);
    expect(usage.outputTokens).toBe(7);
    expect(usage.costMicros).toBe(input * 2 + 7 * 8); // TOLLGATE_PRICES: $2 / $8 per million tokens
  });

  it("streamed chat with stream_options.include_usage: the client gets the usage chunk", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const stream = await client.chat.completions.create({
      model: "openai/house-model",
      messages: [{ role: "user", content: "Usage too" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let last;
    for await (const chunk of stream) last = chunk;
    if (!last) throw new Error("no chunk");
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 7 });
  });

  it("OpenAI's `user` field is passed on and stored as the usage's end user (chat, embeddings); an over-long one is passed on, not stored", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    const chat = await client.chat.completions.create({ model: "openai/house-model", messages: [{ role: "user", content: "Hi" }], user: "end-user-7" }).withResponse();
    expect(fx.openai.requests.at(-1)!.body.user).toBe("end-user-7");
    expect(await recordedUsage(chat.response.headers.get("x-tollgate-request-id"))).toMatchObject({ endUser: "end-user-7", tags: null });
    const emb = await client.embeddings.create({ model: "openai/text-embedding-3-small", input: "a", user: "end-user-8" }).withResponse();
    expect((await recordedUsage(emb.response.headers.get("x-tollgate-request-id"))).endUser).toBe("end-user-8");
    const long = "u".repeat(1001);
    const other = await client.chat.completions.create({ model: "openai/house-model", messages: [{ role: "user", content: "Hi" }], user: long }).withResponse();
    expect(fx.openai.requests.at(-1)!.body.user).toBe(long);
    expect((await recordedUsage(other.response.headers.get("x-tollgate-request-id"))).endUser).toBeNull();
    const plain = await client.chat.completions.create({ model: "openai/house-model", messages: [{ role: "user", content: "Hi" }] }).withResponse();
    expect((await recordedUsage(plain.response.headers.get("x-tollgate-request-id"))).endUser).toBeNull();
  });

  it("embeddings", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .embeddings.create({ model: "openai/text-embedding-3-small", input: ["a", "b"] })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(fx.openai.requests.at(-1)!.body.model).toBe("text-embedding-3-small");
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage.inputTokens).toBe(data.usage.prompt_tokens);
    expect(usage.outputTokens).toBe(0);
    expect(usage.costMicros).toBe(Math.round(data.usage.prompt_tokens * packageRates("openai", "text-embedding-3-small").input));
  });

  it("models list: the key's allow-list when it has one, with provider/model ids", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { models: ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5"] });
    const list = await openaiClient(fx, key.apiKeyString).models.list();
    expect(list.data.map((m) => m.id).sort()).toEqual(["anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini"]);
  });

  it("models list: every priced model of the configured providers, without the ones a rule denies", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" } });
    const ids = (await openaiClient(fx, key.apiKeyString).models.list()).data.map((m) => m.id);
    expect(ids).toContain("openai/gpt-4o-mini");
    expect(ids).toContain("anthropic/claude-sonnet-4-5");
    expect(ids).toContain("openai/house-model");
    expect(ids).not.toContain("openai/gpt-4o");
    expect(ids.some((id) => id.startsWith("groq/")), "groq has no credential here").toBe(false);
  });

  it("a rewrite rule changes the model called upstream (and recorded)", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await createRuleFx(team, { type: "rewrite", match: { model: "openai/gpt-4o" }, action: { rewriteModel: "openai/gpt-4o-mini" } });
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(data.model).toBe("gpt-4o-mini");
    expect(fx.openai.requests.at(-1)!.body.model).toBe("gpt-4o-mini");
    expect(response.headers.get("x-tollgate-model")).toBe("openai/gpt-4o-mini");
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).model).toBe("openai/gpt-4o-mini");
  });

  it("a model without a price is recorded at cost 0 with its tokens", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/no-such-priced-model", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage.costMicros).toBe(0);
    expect(usage.inputTokens).toBe(data.usage!.prompt_tokens);
  });
});

describe("gateway: Anthropic surface (official @anthropic-ai/sdk client)", () => {
  it("non-streamed message with x-api-key: system key and the client's anthropic-version sent upstream; spend recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { data, response } = await anthropicClient(fx, key.apiKeyString)
      .messages.create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "Hello from the fake." });
    const seen = fx.anthropic.requests.at(-1)!;
    expect(seen.body.model).toBe("claude-sonnet-4-5");
    expect(seen.headers["x-api-key"]).toBe(SYSTEM_ANTHROPIC_KEY);
    expect(seen.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage.inputTokens).toBe(data.usage.input_tokens);
    expect(usage.outputTokens).toBe(data.usage.output_tokens);
    expect(usage.costMicros).toBe(data.usage.input_tokens * 3 + data.usage.output_tokens * 15);
  });

  it("streamed message: every event passes through and the usage is recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = anthropicClient(fx, key.apiKeyString);
    const { data: stream, response } = await client.messages
      .create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Stream" }], stream: true })
      .withResponse();
    const types: string[] = [];
    let text = "";
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") text += ev.delta.text;
    }
    expect(text).toBe("Hello from the fake.");
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    const input = Math.ceil(Buffer.byteLength(JSON.stringify(fx.anthropic.requests.at(-1)!.body)) / 10);
    expect(usage).toMatchObject({ inputTokens: input, outputTokens: 7, costMicros: input * 3 + 7 * 15 });
  });

  it("curl: anthropic-version and anthropic-beta are passed on; without a version, 2023-06-01 is sent", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const post = (headers: Record<string, string>) =>
      fetch(`${fx.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": key.apiKeyString, "content-type": "application/json", ...headers },
        body: JSON.stringify({ model: "anthropic/claude-haiku-4-5", max_tokens: 8, messages: [{ role: "user", content: "x" }] }),
      });
    expect((await post({ "anthropic-version": "2099-01-01", "anthropic-beta": "some-beta" })).status).toBe(200);
    expect(fx.anthropic.requests.at(-1)!.headers).toMatchObject({ "anthropic-version": "2099-01-01", "anthropic-beta": "some-beta" });
    const plain = await post({});
    expect(plain.status).toBe(200);
    expect(plain.headers.get("x-tollgate-model")).toBe("anthropic/claude-haiku-4-5");
    expect(fx.anthropic.requests.at(-1)!.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("accepts the key as Authorization: Bearer too (the SDK's authToken)", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const Anthropic = (await import("@anthropic-ai/sdk")).default;
    const client = new Anthropic({ authToken: key.apiKeyString, apiKey: null, baseURL: fx.url, maxRetries: 0 });
    const msg = await client.messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 8, messages: [{ role: "user", content: "x" }] });
    expect(msg.model).toBe("claude-haiku-4-5");
  });
});
