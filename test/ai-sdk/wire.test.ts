import { describe, expect, it } from "vitest";
import { toJson } from "../../src/ai-sdk/wire.js";

describe("toJson: a result or stream part as the protocol's JSON", () => {
  it("writes bytes as base64 and errors as {name, message, statusCode}, however deep", () => {
    const err = Object.assign(new Error("boom"), { name: "AI_APICallError", statusCode: 503 });
    const out = JSON.parse(toJson({ type: "file", parts: [{ data: new Uint8Array([104, 105]) }], error: err, plain: new Error("x") }));
    expect(out).toEqual({
      type: "file",
      parts: [{ data: "aGk=" }],
      error: { name: "AI_APICallError", message: "boom", statusCode: 503 },
      plain: { name: "Error", message: "x" },
    });
    // A Buffer is a Uint8Array too; a slice of a larger buffer gives only its own bytes.
    const big = Buffer.from("xxhixx");
    expect(JSON.parse(toJson({ d: big.subarray(2, 4) }))).toEqual({ d: "aGk=" });
  });

  it("writes a value without bytes or errors exactly as JSON.stringify does (dates, URLs, nulls, deep values)", () => {
    let deep: Record<string, unknown> = { leaf: "text" };
    for (let i = 0; i < 40; i++) deep = { n: i, child: deep };
    const value = { type: "text-delta", delta: "Hello", at: new Date(0), url: new URL("https://example.test/a"), n: null, list: [1, "2", { u: undefined }], deep };
    expect(toJson(value)).toBe(JSON.stringify(value));
  });

  it("writes bytes below the depth the quick check looks at", () => {
    let deep: Record<string, unknown> = { data: new Uint8Array([1, 2, 3]) };
    for (let i = 0; i < 40; i++) deep = { child: deep };
    let v = JSON.parse(toJson(deep));
    for (let i = 0; i < 40; i++) v = v.child;
    expect(v).toEqual({ data: "AQID" });
  });
});
