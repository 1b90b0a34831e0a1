import { calcPrice } from "@pydantic/genai-prices";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { PriceTable, type TokenUsage } from "../../src/proxy/prices.js";

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0): TokenUsage => ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens });

describe("price table", () => {
  it("prices models as the package does (flat, cached and tiered prices), in integer micro-dollars", () => {
    const table = new PriceTable();
    const cases: [string, string, TokenUsage][] = [
      ["openai", "gpt-4o-mini", usage(1234, 567)],
      ["openai", "gpt-4o-mini", usage(10_000, 100, 4_000)],
      ["anthropic", "claude-sonnet-4-5", usage(3_000, 800, 1_000, 500)],
      ["anthropic", "claude-sonnet-4-5", usage(250_000, 1_000)], // the long-context tier
      ["openai", "text-embedding-3-small", usage(50_000, 0)],
    ];
    for (const [provider, model, u] of cases) {
      const expected = calcPrice(
        { input_tokens: u.inputTokens, output_tokens: u.outputTokens, cache_read_tokens: u.cacheReadTokens, cache_write_tokens: u.cacheWriteTokens },
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

  it("a bad TOLLGATE_PRICES file or base URL stops the start with a message naming the variable", () => {
    const path = `/tmp/tollgate-prices-bad-${process.pid}.json`;
    writeFileSync(path, JSON.stringify({ "openai/gpt-5": { input: "cheap" } }));
    expect(() => loadConfig({ TOLLGATE_PRICES: path })).toThrow(/TOLLGATE_PRICES/);
    expect(() => loadConfig({ TOLLGATE_PRICES: "/nonexistent/prices.json" })).toThrow(/cannot read/);
    expect(() => loadConfig({ OPENAI_BASE_URL: "not a url" })).toThrow(/OPENAI_BASE_URL/);
  });
});
