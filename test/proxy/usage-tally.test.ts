import { describe, expect, it } from "vitest";
import { UsageTally } from "../../src/proxy/usage.js";

const kinds = (t: UsageTally) => ({ input: t.inputTokens, output: t.outputTokens, cacheRead: t.cacheReadTokens, cacheWrite: t.cacheWriteTokens, reasoning: t.reasoningTokens });

describe("UsageTally: the tokens of each kind, from answers and stream events", () => {
  it("OpenAI chat and Responses: cached tokens inside the input, reasoning inside the output", () => {
    const chat = new UsageTally("openai");
    chat.fromAnswer({ usage: { prompt_tokens: 100, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 20 } } });
    expect(kinds(chat)).toEqual({ input: 100, output: 30, cacheRead: 64, cacheWrite: 0, reasoning: 20 });

    const responses = new UsageTally("openai");
    responses.fromAnswer({ usage: { input_tokens: 100, output_tokens: 30, input_tokens_details: { cached_tokens: 64 }, output_tokens_details: { reasoning_tokens: 20 } } });
    expect(kinds(responses)).toEqual(kinds(chat));

    // Streamed: only the final event's response.usage counts (response.created carries `usage: null`).
    const streamed = new UsageTally("openai");
    streamed.fromEvent({ type: "response.created", response: { usage: null } });
    expect(streamed.seen).toBe(false);
    streamed.fromEvent({ type: "response.completed", response: { usage: { input_tokens: 100, output_tokens: 30, input_tokens_details: { cached_tokens: 64 }, output_tokens_details: { reasoning_tokens: 20 } } } });
    expect(kinds(streamed)).toEqual(kinds(chat));
    const incomplete = new UsageTally("openai");
    incomplete.fromEvent({ type: "response.incomplete", response: { usage: { input_tokens: 5, output_tokens: 2 } } });
    expect(kinds(incomplete)).toMatchObject({ input: 5, output: 2 });
  });

  it("parts reported larger than their whole are capped at it", () => {
    const t = new UsageTally("openai");
    t.fromAnswer({ usage: { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 9 } } });
    expect(kinds(t)).toEqual({ input: 10, output: 5, cacheRead: 10, cacheWrite: 0, reasoning: 5 });
  });

  it("Anthropic: cache reads and writes beside input_tokens, added to the input; a later event's counts replace earlier ones", () => {
    const t = new UsageTally("anthropic");
    t.fromEvent({ type: "message_start", message: { usage: { input_tokens: 3, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 1 } } });
    expect(kinds(t)).toEqual({ input: 1203, output: 1, cacheRead: 1000, cacheWrite: 200, reasoning: 0 });
    // message_delta: cumulative; here with the cache counts again but no input_tokens.
    t.fromEvent({ type: "message_delta", usage: { output_tokens: 40, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 } });
    expect(kinds(t)).toEqual({ input: 1203, output: 40, cacheRead: 1000, cacheWrite: 200, reasoning: 0 });
    t.fromEvent({ type: "message_delta", usage: { output_tokens: 41, input_tokens: 3, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 } });
    expect(kinds(t)).toEqual({ input: 1203, output: 41, cacheRead: 1000, cacheWrite: 200, reasoning: 0 });
  });
});
