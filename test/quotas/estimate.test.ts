import { Tiktoken } from "js-tiktoken/lite";
import ranks from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { countTokens, loadTokenizer } from "../../src/quotas/estimate.js";

describe("countTokens", () => {
  it("counts o200k_base tokens once loaded, exactly as the library's own encoder (the decoding table it empties is never needed)", async () => {
    await loadTokenizer();
    const reference = new Tiktoken(ranks);
    const texts = ["Hello, world!", "Ünïcödé, 中文, emoji 🎉🚀", "function f(x) {\n  return x * 2; // twice\n}", "  spaces\t\tand\nnewlines  ", "a".repeat(1000)];
    for (const text of texts) expect(countTokens(text)).toBe(reference.encode(text, [], []).length);
    expect(countTokens("Hello, world!")).toBe(4);
    expect(countTokens("")).toBe(0);
  });
});
