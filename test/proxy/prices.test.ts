import { calcPrice } from "@pydantic/genai-prices";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { PriceTable, type TokenUsage } from "../../src/proxy/prices.js";

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0, reasoningTokens = 0): TokenUsage => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
  reasoningTokens,
});

describe("price table", () => {
  it("prices models as the package does (flat, cached and tiered prices), in integer micro-dollars", () => {
    const table = new PriceTable();
    const cases: [string, string, TokenUsage][] = [
      ["openai", "gpt-4o-mini", usage(1234, 567)],
      ["openai", "gpt-4o-mini", usage(10_000, 100, 4_000)],
      ["anthropic", "claude-sonnet-4-5", usage(3_000, 800, 1_000, 500)],
      ["anthropic", "claude-sonnet-4-5", usage(250_000, 1_000)], // the long-context tier
      ["openai", "text-embedding-3-small", usage(50_000, 0)],
      ["openai", "o4-mini", usage(2_000, 900, 0, 0, 700)], // reasoning at the output price
      ["perplexity", "sonar-deep-research", usage(2_000, 900, 0, 0, 700)], // the table's own reasoning price
    ];
    for (const [provider, model, u] of cases) {
      const expected = calcPrice(
        {
          input_tokens: u.inputTokens,
          output_tokens: u.outputTokens,
          cache_read_tokens: u.cacheReadTokens,
          cache_write_tokens: u.cacheWriteTokens,
          output_reasoning_tokens: u.reasoningTokens,
        },
        model,
        { providerId: provider },
      )!.total_price;
      for (let i = 0; i < 2; i++) expect(table.costMicros(provider, model, u), `${model} ${JSON.stringify(u)}`).toBe(Math.round(expected * 1e6));
    }
  });

  it("no price: null", () => {
    expect(new PriceTable().costMicros("openai", "no-such-model-xyz", usage(1, 1))).toBeNull();
    expect(new PriceTable().costMicros("ollama", "llama3.2", usage(1, 1))).toBeNull();
  });

  it("TOLLGATE_PRICES overrides the package; an exact model wins over provider/*", () => {
    const path = `/tmp/tollgate-prices-${process.pid}.json`;
    writeFileSync(path, JSON.stringify({ "ollama/*": { input: 0, output: 0 }, "openai/gpt-4o-mini": { input: 1, output: 2, cacheRead: 0.5 }, "openai/*": { input: 9, output: 9 } }));
    const table = new PriceTable(loadConfig({ TOLLGATE_PRICES: path }).priceOverrides);
    expect(table.costMicros("ollama", "llama3.2", usage(1000, 1000))).toBe(0);
    expect(table.costMicros("openai", "gpt-4o-mini", usage(1000, 100, 400))).toBe(600 * 1 + 400 * 0.5 + 100 * 2);
    expect(table.costMicros("openai", "gpt-5", usage(10, 10))).toBe(180);
  });

  it("each token kind at its own rate: cache reads and writes out of the input, reasoning out of the output", () => {
    const table = new PriceTable({
      "openai/kinds": { input: 2, output: 8, cacheRead: 0.5, reasoning: 4 },
      "anthropic/kinds": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      "openai/plain": { input: 2, output: 8 },
    });
    expect(table.costMicros("openai", "kinds", usage(1000, 300, 600, 0, 200))).toBe(400 * 2 + 600 * 0.5 + 100 * 8 + 200 * 4);
    expect(table.costMicros("anthropic", "kinds", usage(1000, 100, 500, 300))).toBe(Math.round(200 * 3 + 500 * 0.3 + 300 * 3.75 + 100 * 15));
    // Without their own prices: cache tokens at the input price, reasoning at the output price.
    expect(table.costMicros("openai", "plain", usage(1000, 300, 600, 0, 200))).toBe(1000 * 2 + 300 * 8);
    // A report whose parts exceed the whole: no negative uncached input, reasoning capped at the output.
    expect(table.costMicros("openai", "kinds", usage(10, 5, 50, 0, 50))).toBe(50 * 0.5 + 5 * 4);
  });

  it("a bad TOLLGATE_PRICES file or base URL stops the start with a message naming the variable", () => {
    const path = `/tmp/tollgate-prices-bad-${process.pid}.json`;
    writeFileSync(path, JSON.stringify({ "openai/gpt-5": { input: "cheap" } }));
    expect(() => loadConfig({ TOLLGATE_PRICES: path })).toThrow(/TOLLGATE_PRICES/);
    expect(() => loadConfig({ TOLLGATE_PRICES: "/nonexistent/prices.json" })).toThrow(/cannot read/);
    expect(() => loadConfig({ OPENAI_BASE_URL: "not a url" })).toThrow(/OPENAI_BASE_URL/);
  });
});
