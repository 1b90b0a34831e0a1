import { createHook, type AsyncHook } from "node:async_hooks";
import { describe, expect, it, vi } from "vitest";

/** A fresh copy of the module (nothing pinned yet), whatever this worker's other tests did. */
async function freshPin() {
  vi.resetModules();
  return (await import("../../src/lib/tick-shape.js")).pinTickObjectShape;
}

describe("pinTickObjectShape", () => {
  it("keeps one nextTick entry (its two async-id symbols, its callback), the same one on every call", async () => {
    const pin = await freshPin();
    const tick = pin() as Record<string | symbol, unknown>;
    expect(tick).toBeDefined();
    // Its first two keys (another module's enabled hook, AsyncLocalStorage's, adds its own after them).
    expect(Object.getOwnPropertySymbols(tick).map((s) => s.description).slice(0, 2)).toEqual(["async_id_symbol", "trigger_async_id_symbol"]);
    expect(typeof tick.callback).toBe("function");
    expect(pin()).toBe(tick);
  });

  it("leaves the async hook it used disabled (an enabled one would cost every asynchronous operation)", async () => {
    const pin = await freshPin();
    const states: string[] = [];
    const recorded = {
      createHook: (callbacks: Parameters<typeof createHook>[0]): AsyncHook => {
        const hook = createHook(callbacks);
        const enable = hook.enable.bind(hook);
        const disable = hook.disable.bind(hook);
        return Object.assign(hook, {
          enable: () => (states.push("enabled"), enable()),
          disable: () => (states.push("disabled"), disable()),
        });
      },
    };
    expect(pin(recorded)).toBeDefined();
    expect(states).toEqual(["enabled", "disabled"]);
  });
});
