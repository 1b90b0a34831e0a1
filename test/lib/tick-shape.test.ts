import { createHook } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { pinTickObjectShape } from "../../src/lib/tick-shape.js";

describe("pinTickObjectShape", () => {
  it("keeps one nextTick entry (its two async-id symbols, its callback), the same one on every call", () => {
    const tick = pinTickObjectShape() as Record<string | symbol, unknown>;
    expect(tick).toBeDefined();
    expect(Object.getOwnPropertySymbols(tick).map((s) => s.description)).toEqual(["async_id_symbol", "trigger_async_id_symbol"]);
    expect(typeof tick.callback).toBe("function");
    expect(pinTickObjectShape()).toBe(tick);
  });

  it("leaves no async hook enabled (an enabled one would tag every promise with async ids)", () => {
    pinTickObjectShape();
    expect(Object.getOwnPropertySymbols(Promise.resolve())).toEqual([]);
    // What an enabled hook does, so that the check above can fail.
    const probe = createHook({ init: () => {} }).enable();
    const tagged = Object.getOwnPropertySymbols(Promise.resolve()).map((s) => s.description);
    probe.disable();
    expect(tagged).toContain("async_id_symbol");
  });
});
