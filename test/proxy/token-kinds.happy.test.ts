import { calcPrice } from "@pydantic/genai-prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { anthropicClient, openaiClient, startGateway, type GatewayFx } from "./setup.js";
import { recordedUsage } from "./helpers.js";

/**
 * Pricing by token kind, against the package's own price table (only one override: a model with
 * its own reasoning price). The fakes report cache reads after a `prompt_cache_key` (OpenAI) or a
 * `cache_control` body (Anthropic) was seen, all but 3 input tokens; reasoning when asked for.
 */
let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway({ config: { priceOverrides: { "openai/reasoner-x": { input: 1, output: 10, reasoning: 2 } } } });
});
afterAll(() => fx.close());

/** Micro-dollars per token of each kind, read from the package's entry (not from Tollgate's code). */
function rates(provider: string, model: string) {
  const p = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: provider })!.model_price;
  const n = (v: unknown) => v as number | undefined;
  return { input: n(p.input_mtok)!, output: n(p.output_mtok)!, cacheRead: n(p.cache_read_mtok), cacheWrite: n(p.cache_write_mtok) };
}

type Row = Awaited<ReturnType<typeof recordedUsage>>;

/** The record's cost, priced kind by kind. */
function priced(r: Row, rate: { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined; reasoning?: number }) {
  const read = r.cacheReadTokens ?? 0;
  const write = r.cacheWriteTokens ?? 0;
  const reasoning = r.reasoningTokens ?? 0;
  return Math.round(
    (r.inputTokens! - read - write) * rate.input +
      read * (rate.cacheRead ?? rate.input) +
      write * (rate.cacheWrite ?? rate.input) +
      (r.outputTokens! - reasoning) * rate.output +
      reasoning * (rate.reasoning ?? rate.output),
  );
}

const longPrompt = (tag: string) => `${tag} ` + "The quick brown fox jumps over the lazy dog. ".repeat(1500);
const withQuota = (team: TeamFx) => createKeyFx(team, { aiGatewayQuota: { limitAmount: 1000, refreshPeriod: "monthly" } });
const spendOf = async (team: TeamFx, keyId: string) =>
  Math.round(((await call("GET", `/v1/api-keys/${keyId}`, { token: team.owner.token })).body.apiKey.quota.currentSpend as number) * 1e6);

describe("pricing by token kind", () => {
  it("OpenAI cached prompt (chat and Responses, streamed and not): priced below the uncached one by the table's ratio; each kind kept", async () => {
    const team = await createTeamFx();
    const key = await withQuota(team);
    const client = openaiClient(fx, key.apiKeyString);
    const rate = rates("openai", "gpt-4o-mini");
    expect(rate.cacheRead).toBeLessThan(rate.input);
    const cacheKey = `k-${team.id}`;
    const messages = [{ role: "user" as const, content: longPrompt(team.id) }];

    const first = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages, prompt_cache_key: cacheKey }).withResponse();
    const second = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages, prompt_cache_key: cacheKey }).withResponse();
    expect(first.data.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const cached = second.data.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBe(second.data.usage!.prompt_tokens - 3);
    const uncachedRow = await recordedUsage(first.response.headers.get("x-tollgate-request-id"));
    const cachedRow = await recordedUsage(second.response.headers.get("x-tollgate-request-id"));
    expect(uncachedRow).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(cachedRow).toMatchObject({ inputTokens: second.data.usage!.prompt_tokens, cacheReadTokens: cached, cacheWriteTokens: 0 });
    expect(uncachedRow.costMicros).toBe(priced(uncachedRow, rate));
    expect(cachedRow.costMicros).toBe(priced(cachedRow, rate));
    // Same prompt, same output: the difference is the cached tokens × (input − cache-read price).
    expect(uncachedRow.costMicros - cachedRow.costMicros).toBeCloseTo(cached * (rate.input - rate.cacheRead!), -0.5);
    expect(cachedRow.costMicros).toBeLessThan(uncachedRow.costMicros * 0.6);

    // Streamed: the usage chunk's cached tokens are priced the same way.
    const { data: stream, response } = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages, prompt_cache_key: cacheKey, stream: true })
      .withResponse();
    for await (const _ of stream);
    const streamedRow = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(streamedRow.cacheReadTokens).toBe(streamedRow.inputTokens! - 3);
    expect(streamedRow.costMicros).toBe(priced(streamedRow, rate));
    expect(Math.abs(streamedRow.costMicros - cachedRow.costMicros)).toBeLessThan(cachedRow.costMicros * 0.01);

    // Responses, streamed: input_tokens_details.cached_tokens from response.completed.
    const input = longPrompt(`r-${team.id}`);
    await client.responses.create({ model: "openai/gpt-4o-mini", input, prompt_cache_key: `${cacheKey}-r` });
    const rs = client.responses.stream({ model: "openai/gpt-4o-mini", input, prompt_cache_key: `${cacheKey}-r` });
    const final = await rs.finalResponse();
    expect(final.usage!.input_tokens_details.cached_tokens).toBe(final.usage!.input_tokens - 3);

    await teamRows(team, 5);
    const report = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&from=0&groupBy=model`, { token: team.owner.token });
    const row = report.body.rows[0];
    expect(row.requests).toBe(5);
    expect(row.cacheReadTokens).toBe(cachedRow.cacheReadTokens! + streamedRow.cacheReadTokens! + final.usage!.input_tokens - 3);
    expect(row.cacheWriteTokens).toBe(0);
  });

  it("Anthropic cache writes and reads, streamed and not: each at the table's rate, beside the uncached input", async () => {
    const team = await createTeamFx();
    const key = await withQuota(team);
    const client = anthropicClient(fx, key.apiKeyString);
    const rate = rates("anthropic", "claude-haiku-4-5");
    expect(rate.cacheWrite).toBeGreaterThan(rate.input);
    expect(rate.cacheRead).toBeLessThan(rate.input);
    const body = {
      model: "anthropic/claude-haiku-4-5",
      max_tokens: 64,
      system: [{ type: "text" as const, text: longPrompt(team.id), cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "Summarize." }],
    };
    const write = await client.messages.create(body).withResponse();
    const read = await client.messages.create(body).withResponse();
    expect(write.data.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(read.data.usage.cache_read_input_tokens).toBe(write.data.usage.cache_creation_input_tokens);
    const writeRow = await recordedUsage(write.response.headers.get("x-tollgate-request-id"));
    const readRow = await recordedUsage(read.response.headers.get("x-tollgate-request-id"));
    // input_tokens does not include the cache tokens at Anthropic; the record's inputTokens does.
    expect(writeRow).toMatchObject({ inputTokens: 3 + write.data.usage.cache_creation_input_tokens!, cacheWriteTokens: write.data.usage.cache_creation_input_tokens, cacheReadTokens: 0 });
    expect(readRow).toMatchObject({ inputTokens: 3 + read.data.usage.cache_read_input_tokens!, cacheReadTokens: read.data.usage.cache_read_input_tokens, cacheWriteTokens: 0 });
    expect(writeRow.costMicros).toBe(priced(writeRow, rate));
    expect(readRow.costMicros).toBe(priced(readRow, rate));
    expect(readRow.costMicros).toBeLessThan(writeRow.costMicros / 5);

    const stream = client.messages.stream(body);
    for await (const _ of stream);
    const streamedRow = (await teamRows(team, 3)).find((r) => r.requestId !== writeRow.requestId && r.requestId !== readRow.requestId)!;
    // The cache tokens of message_start are kept (the body is a few bytes longer: `"stream":true`).
    expect(streamedRow).toMatchObject({ cacheWriteTokens: 0, outputTokens: 7 });
    expect(streamedRow.cacheReadTokens).toBe(streamedRow.inputTokens! - 3);
    expect(Math.abs(streamedRow.cacheReadTokens! - readRow.cacheReadTokens!)).toBeLessThanOrEqual(2);
    expect(streamedRow.costMicros).toBe(priced(streamedRow, rate));
    expect(Math.abs(streamedRow.costMicros - readRow.costMicros)).toBeLessThanOrEqual(1);

    // Spend = the sum of the priced kinds of every record.
    expect(await spendOf(team, key.apiKey.id)).toBe(writeRow.costMicros + readRow.costMicros + streamedRow.costMicros);
  });

  it("reasoning tokens are charged: at the output price, or at the table's reasoning price when it has one", async () => {
    const team = await createTeamFx();
    const key = await withQuota(team);
    const client = openaiClient(fx, key.apiKeyString);
    const chat = await client.chat.completions
      .create({ model: "openai/o4-mini", reasoning_effort: "low", messages: [{ role: "user", content: "Think first" }] })
      .withResponse();
    expect(chat.data.usage!.completion_tokens_details!.reasoning_tokens).toBe(20);
    const chatRow = await recordedUsage(chat.response.headers.get("x-tollgate-request-id"));
    expect(chatRow).toMatchObject({ outputTokens: 27, reasoningTokens: 20 });
    const o4 = rates("openai", "o4-mini");
    expect(chatRow.costMicros).toBe(Math.round(chatRow.inputTokens! * o4.input + 27 * o4.output));

    const resp = await client.responses.create({ model: "openai/reasoner-x", input: "Think harder", reasoning: { effort: "high" } }).withResponse();
    expect(resp.data.usage!.output_tokens_details.reasoning_tokens).toBe(20);
    const respRow = await recordedUsage(resp.response.headers.get("x-tollgate-request-id"));
    expect(respRow).toMatchObject({ outputTokens: 27, reasoningTokens: 20 });
    // TOLLGATE_PRICES for reasoner-x: input $1, output $10, reasoning $2 per million tokens.
    expect(respRow.costMicros).toBe(respRow.inputTokens! * 1 + 7 * 10 + 20 * 2);

    expect(await spendOf(team, key.apiKey.id)).toBe(chatRow.costMicros + respRow.costMicros);
    await teamRows(team, 2);
    const report = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&from=0`, { token: team.owner.token });
    expect(report.body.rows[0]).toMatchObject({ requests: 2, outputTokens: 54, reasoningTokens: 40 });
  });
});

/** The team's usage records once there are `n` (the batcher commits asynchronously). */
async function teamRows(team: TeamFx, n: number) {
  const { getHarness } = await import("../helpers/harness.js");
  const { usageEvents } = await import("../../src/db/schema.js");
  const { eq } = await import("drizzle-orm");
  const { database } = await getHarness();
  const until = Date.now() + 5000;
  for (;;) {
    const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.teamId, team.id));
    if (rows.length >= n) return rows;
    if (Date.now() > until) throw new Error(`expected ${n} usage records, found ${rows.length}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
