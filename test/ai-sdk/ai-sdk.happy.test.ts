import { calcPrice } from "@pydantic/genai-prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { eventually, recordedUsage, usageOfKey } from "../proxy/helpers.js";
import { SYSTEM_ANTHROPIC_KEY, SYSTEM_OPENAI_KEY } from "../proxy/setup.js";
import { gatewayOf, MAJORS, startAiGateway, SYSTEM_GROQ_KEY, type AiFx } from "./setup.js";

let fx: AiFx;
beforeAll(async () => {
  fx = await startAiGateway();
});
afterAll(() => fx.close());

const generationId = (r: { providerMetadata?: any }) => r.providerMetadata?.gateway?.generationId as string;
const today = () => new Date().toISOString().slice(0, 10);

describe.each(MAJORS)("$name through Tollgate", (m) => {
  it("generateText: the model called at its provider with the system key; the usage recorded at the price table's rates", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const r = await m.ai.generateText({ model: gatewayOf(m, fx, key.apiKeyString)("openai/house-model"), prompt: "Hi there", maxRetries: 0 });
    expect(r.text).toBe("Hello from the fake.");
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.path).toBe("/v1/responses");
    expect(seen.body.model).toBe("house-model");
    expect(seen.headers.authorization).toBe(`Bearer ${SYSTEM_OPENAI_KEY}`);
    const usage = await recordedUsage(generationId(r));
    expect(usage).toMatchObject({ keyId: key.apiKey.id, model: "openai/house-model", byok: false, inputTokens: r.usage.inputTokens, outputTokens: 7 });
    expect(usage.costMicros).toBe(r.usage.inputTokens! * 2 + 7 * 8); // TOLLGATE_PRICES: $2 / $8 per million tokens
  });

  it("streamText through @ai-sdk/anthropic: the text streams, the usage (from the finish part) is recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const s = m.ai.streamText({ model: gatewayOf(m, fx, key.apiKeyString)("anthropic/claude-haiku-4-5"), prompt: "Stream please", maxRetries: 0 });
    const parts: string[] = [];
    for await (const t of s.textStream) parts.push(t);
    expect(parts.join("")).toBe("Hello from the fake.");
    expect(parts.length).toBeGreaterThan(1);
    const seen = fx.anthropic.requests.at(-1)!;
    expect(seen.path).toBe("/v1/messages");
    expect(seen.headers["x-api-key"]).toBe(SYSTEM_ANTHROPIC_KEY);
    expect(seen.body.stream).toBe(true);
    const total = await s.usage;
    const usage = await recordedUsage(generationId({ providerMetadata: await s.providerMetadata }));
    expect(usage).toMatchObject({ model: "anthropic/claude-haiku-4-5", inputTokens: total.inputTokens, outputTokens: 7 });
    expect(usage.costMicros).toBe(total.inputTokens! * 3 + 7 * 15);
  });

  it("a tool call round trip with stopWhen (an OpenAI-compatible provider through @ai-sdk/openai-compatible): each step metered", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const calls: string[] = [];
    const r = await m.ai.generateText({
      model: gatewayOf(m, fx, key.apiKeyString)("groq/llama-3.3-70b-versatile"),
      prompt: "What is the weather in Paris?",
      tools: {
        weather: m.ai.tool({
          description: "The weather in a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }: { city: string }) => {
            calls.push(city);
            return `sunny in ${city}`;
          },
        }),
      },
      stopWhen: m.ai.stepCountIs(3),
      maxRetries: 0,
    });
    expect(calls).toEqual(["Paris"]);
    expect(r.steps.length).toBe(2);
    expect(r.text).toContain("sunny in Paris");
    const second = fx.groq.requests.at(-1)!;
    expect(second.headers.authorization).toBe(`Bearer ${SYSTEM_GROQ_KEY}`);
    expect(second.body.model).toBe("llama-3.3-70b-versatile");
    expect(second.body.messages.some((msg: any) => msg.role === "tool")).toBe(true);
    const rows = await eventually(async () => {
      const rows = await usageOfKey(key.apiKey.id);
      expect(rows.length).toBe(2);
      return rows;
    });
    expect(rows.map((u) => u.model)).toEqual(["groq/llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile"]);
    for (const u of rows) expect(u.costMicros).toBe(u.inputTokens! * 1 + 7 * 2);
  });

  it("structured output: the schema reaches the provider as a JSON response format and the object comes back parsed", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const r = await m.ai.generateText({
      model: gatewayOf(m, fx, key.apiKeyString)("groq/llama-3.3-70b-versatile"),
      prompt: "Who wrote the first program?",
      output: m.ai.Output.object({ schema: z.object({ name: z.string(), age: z.number() }) }),
      maxRetries: 0,
    });
    expect(r.output).toEqual({ name: "Ada", age: 36 });
    expect(fx.groq.requests.at(-1)!.body.response_format.type).toBe("json_schema");
  });

  it("embedMany: embeddings in order, the tokens recorded", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const gw = gatewayOf(m, fx, key.apiKeyString);
    const { embeddings, usage } = await m.ai.embedMany({ model: gw.embeddingModel("groq/embed-small"), values: ["a", "bbb"], maxRetries: 0 });
    expect(embeddings).toEqual([
      [1, 0.5],
      [3, 0.5],
    ]);
    const seen = fx.groq.requests.at(-1)!;
    expect(seen.path).toBe("/v1/embeddings");
    expect(seen.body).toMatchObject({ model: "embed-small", input: ["a", "bbb"] });
    const [row] = await eventually(async () => {
      const rows = await usageOfKey(key.apiKey.id);
      expect(rows.length).toBe(1);
      return rows;
    });
    expect(row).toMatchObject({ model: "groq/embed-small", inputTokens: usage.tokens, costMicros: usage.tokens * 1 });
  });

  it("getAvailableModels: the key's allow-list minus the team's deny rules, priced per token from the price table", async () => {
    const team = await createTeamFx();
    await createRuleFx(team, { type: "deny", match: { model: "openai/gpt-4o" } });
    const key = await createKeyFx(team, { models: ["openai/house-model", "openai/gpt-4o", "anthropic/claude-haiku-4-5"] });
    const { models } = await gatewayOf(m, fx, key.apiKeyString).getAvailableModels();
    expect(models.map((x: any) => x.id)).toEqual(["openai/house-model", "anthropic/claude-haiku-4-5"]);
    expect(models[0]).toMatchObject({ pricing: { input: "0.000002", output: "0.000008" }, modelType: "language" });
    expect(models[1].pricing).toMatchObject({ input: "0.000003", output: "0.000015" });
  });

  it("getAvailableModels without an allow-list: the price table's models of the providers with a credential", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { models } = await gatewayOf(m, fx, key.apiKeyString).getAvailableModels();
    const ids = models.map((x: any) => x.id);
    expect(ids).toContain("openai/gpt-4o-mini");
    expect(ids).toContain("openai/house-model");
    expect(ids.some((id: string) => id.startsWith("mistral/"))).toBe(false); // no MISTRAL_API_KEY
    const mini = models.find((x: any) => x.id === "openai/gpt-4o-mini");
    const p = calcPrice({ input_tokens: 1, output_tokens: 1 }, "gpt-4o-mini", { providerId: "openai" })!.model_price;
    expect(Number(mini.pricing.input)).toBeCloseTo((p.input_mtok as number) / 1e6, 15);
    expect(Number(mini.pricing.output)).toBeCloseTo((p.output_mtok as number) / 1e6, 15);
    expect(models.find((x: any) => x.id === "openai/text-embedding-3-small")?.modelType).toBe("embedding");
  });

  it("credits, the spend report and the generation info reflect the requests made", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 5, refreshPeriod: "monthly" } });
    const gw = gatewayOf(m, fx, key.apiKeyString);
    const a = await m.ai.generateText({ model: gw("openai/house-model"), prompt: "one", maxRetries: 0 });
    const b = await m.ai.generateText({ model: gw("anthropic/claude-haiku-4-5"), prompt: "two", maxRetries: 0 });
    const [ua, ub] = [await recordedUsage(generationId(a)), await recordedUsage(generationId(b))];
    const spent = ua.costMicros + ub.costMicros;

    const credits = await eventually(async () => {
      const c = await gw.getCredits();
      expect(c.totalUsed).toBe((spent / 1e6).toFixed(6));
      return c;
    });
    expect(credits.balance).toBe(((5_000_000 - spent) / 1e6).toFixed(6));

    const report = await gw.getSpendReport({ startDate: today(), endDate: today(), groupBy: "model" });
    expect(report.results).toEqual([
      expect.objectContaining({ model: "anthropic/claude-haiku-4-5", totalCost: ub.costMicros / 1e6, inputTokens: ub.inputTokens, outputTokens: 7, requestCount: 1 }),
      expect.objectContaining({ model: "openai/house-model", totalCost: ua.costMicros / 1e6, requestCount: 1 }),
    ]);
    const byDay = await gw.getSpendReport({ startDate: today(), endDate: today() });
    expect(byDay.results).toEqual([expect.objectContaining({ day: today(), requestCount: 2 })]);
    expect(byDay.results[0].totalCost).toBeCloseTo(spent / 1e6, 9);

    const info = await gw.getGenerationInfo({ id: generationId(b) });
    expect(info).toMatchObject({ id: generationId(b), model: "anthropic/claude-haiku-4-5", totalCost: ub.costMicros / 1e6, promptTokens: ub.inputTokens, completionTokens: 7, isByok: false, providerName: "anthropic" });
  });

  it("providerOptions.gateway.user and tags are stored with the usage; the spend report groups and filters by them", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const gw = gatewayOf(m, fx, key.apiKeyString);
    const a = await m.ai.generateText({ model: gw("openai/house-model"), prompt: "one", providerOptions: { gateway: { user: "alice", tags: ["chat", "v2", "chat"] } }, maxRetries: 0 });
    const s = m.ai.streamText({ model: gw("anthropic/claude-haiku-4-5"), prompt: "two", providerOptions: { gateway: { user: "bob", tags: ["chat"] } }, maxRetries: 0 });
    for await (const _ of s.textStream);
    const c = await m.ai.generateText({ model: gw("openai/house-model"), prompt: "three", maxRetries: 0 });
    const e = await m.ai.embed({ model: gw.embeddingModel("groq/embed-small"), value: "four", providerOptions: { gateway: { user: "alice", tags: ["search"] } }, maxRetries: 0 });
    const ua = await recordedUsage(generationId(a));
    const ub = await recordedUsage(generationId({ providerMetadata: await s.providerMetadata }));
    const uc = await recordedUsage(generationId(c));
    const ue = await recordedUsage(generationId(e));
    // The options are the gateway's: the providers never see them.
    expect(JSON.stringify(fx.openai.requests.at(-1)!.body)).not.toContain("alice");
    expect(ua).toMatchObject({ endUser: "alice", tags: ["chat", "v2"] });
    expect(ub).toMatchObject({ endUser: "bob", tags: ["chat"] });
    expect(uc).toMatchObject({ endUser: null, tags: null });
    expect(ue).toMatchObject({ model: "groq/embed-small", endUser: "alice", tags: ["search"] });

    const range = { startDate: today(), endDate: today() };
    const byUser = await gw.getSpendReport({ ...range, groupBy: "user" });
    expect(byUser.results).toEqual([
      expect.objectContaining({ user: "alice", totalCost: (ua.costMicros + ue.costMicros) / 1e6, inputTokens: ua.inputTokens! + ue.inputTokens!, requestCount: 2 }),
      expect.objectContaining({ user: "bob", totalCost: ub.costMicros / 1e6, inputTokens: ub.inputTokens, outputTokens: 7, requestCount: 1 }),
    ]);
    // A request counts under each of its tags; the untagged one is left out.
    const byTag = await gw.getSpendReport({ ...range, groupBy: "tag" });
    expect(byTag.results).toEqual([
      expect.objectContaining({ tag: "chat", totalCost: (ua.costMicros + ub.costMicros) / 1e6, requestCount: 2 }),
      expect.objectContaining({ tag: "search", totalCost: ue.costMicros / 1e6, requestCount: 1 }),
      expect.objectContaining({ tag: "v2", totalCost: ua.costMicros / 1e6, requestCount: 1 }),
    ]);
    const alice = await gw.getSpendReport({ ...range, groupBy: "model", userId: "alice" });
    expect(alice.results).toEqual([
      expect.objectContaining({ model: "groq/embed-small", totalCost: ue.costMicros / 1e6, requestCount: 1 }),
      expect.objectContaining({ model: "openai/house-model", totalCost: ua.costMicros / 1e6, requestCount: 1 }),
    ]);
    const tagged = await gw.getSpendReport({ ...range, tags: ["v2", "search"] });
    expect(tagged.results).toEqual([expect.objectContaining({ day: today(), totalCost: (ua.costMicros + ue.costMicros) / 1e6, requestCount: 2 })]);
    const bobHourly = await gw.getSpendReport({ ...range, datePart: "hour", userId: "bob", tags: ["chat"] });
    expect(bobHourly.results).toEqual([expect.objectContaining({ hour: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00.000Z$/), requestCount: 1 })]);
    expect((await gw.getSpendReport({ ...range, groupBy: "user", provider: "anthropic" })).results).toEqual([expect.objectContaining({ user: "bob", requestCount: 1 })]);
    expect((await gw.getSpendReport({ ...range, groupBy: "tag", userId: "nobody" })).results).toEqual([]);
  });

  it("providerOptions.gateway.byok: the request's own credential is used first and the usage is marked BYOK", async () => {
    fx.openai.validKeys.add("sk-request-scoped");
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const r = await m.ai.generateText({
      model: gatewayOf(m, fx, key.apiKeyString)("openai/house-model"),
      prompt: "mine",
      providerOptions: { gateway: { byok: { openai: [{ apiKey: "sk-request-scoped" }] }, user: "end-user-1", tags: ["a"], order: ["openai"], only: ["openai"] } },
      maxRetries: 0,
    });
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.headers.authorization).toBe("Bearer sk-request-scoped");
    expect(JSON.stringify(seen.body)).not.toContain("sk-request-scoped");
    expect((await recordedUsage(generationId(r))).byok).toBe(true);
  });
});
