import { describe, expect, it } from "vitest";
import { BatchLoader } from "../../src/lib/batch-loader.js";

/** A fetch the test answers by hand: which ids each call asked for, and its answer to give. */
function manualFetch() {
  const calls: { ids: string[]; answer(v: Record<string, number>): void; fail(e: unknown): void }[] = [];
  const fetch = (ids: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      calls.push({ ids, answer: (v) => resolve(new Map(Object.entries(v))), fail: reject });
    });
  return { calls, fetch };
}
const turn = () => new Promise((r) => setImmediate(r));

describe("BatchLoader", () => {
  it("reads the ids of one turn in one call, and shares a read under way within a generation", async () => {
    const { calls, fetch } = manualFetch();
    let generation = 0;
    const loader = new BatchLoader<string, number>(fetch, () => generation);
    const a = loader.load("a");
    const b = loader.load("b");
    const a2 = loader.load("a");
    await turn();
    expect(calls.map((c) => c.ids)).toEqual([["a", "b"]]);
    const a3 = loader.load("a"); // under way: shared
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.answer({ a: 1, b: 2 });
    expect(await Promise.all([a, b, a2, a3])).toEqual([1, 2, 1, 1]);

    // After a change (a new generation), a read that started before it is not shared.
    const c = loader.load("c");
    await turn();
    generation++;
    const c2 = loader.load("c");
    await turn();
    expect(calls.map((x) => x.ids)).toEqual([["a", "b"], ["c"], ["c"]]);
    calls[2]!.answer({ c: 30 });
    calls[1]!.answer({ c: 3 });
    expect([await c, await c2]).toEqual([3, 30]);
  });

  it("fails every caller of a failed read, then reads again", async () => {
    const { calls, fetch } = manualFetch();
    const loader = new BatchLoader<string, number>(fetch, () => 0);
    const a = loader.load("a");
    const b = loader.load("b");
    await turn();
    calls[0]!.fail(new Error("down"));
    await expect(a).rejects.toThrow("down");
    await expect(b).rejects.toThrow("down");
    const again = loader.load("a");
    await turn();
    calls[1]!.answer({ a: 1 });
    expect(await again).toBe(1);
  });

  it("rejects an id the read did not answer", async () => {
    const { calls, fetch } = manualFetch();
    const loader = new BatchLoader<string, number>(fetch, () => 0);
    const a = loader.load("a");
    await turn();
    calls[0]!.answer({});
    await expect(a).rejects.toThrow(/missing/);
  });

  it("with inFlight: the ids asked for while the reads are under way wait, then go together in the next", async () => {
    const { calls, fetch } = manualFetch();
    const loader = new BatchLoader<string, number>(fetch, () => 0, { inFlight: 1 });
    const a = loader.load("a");
    await turn();
    const b = loader.load("b");
    await turn();
    const c = loader.load("c");
    await turn();
    expect(calls.map((x) => x.ids)).toEqual([["a"]]); // b and c wait for a's read
    calls[0]!.answer({ a: 1 });
    expect(await a).toBe(1);
    await turn();
    expect(calls.map((x) => x.ids)).toEqual([["a"], ["b", "c"]]);
    calls[1]!.answer({ b: 2, c: 3 });
    expect([await b, await c]).toEqual([2, 3]);
  });

  it("with slotMs: a read that takes longer gives up its place, and its callers still get its answer", async () => {
    const { calls, fetch } = manualFetch();
    const loader = new BatchLoader<string, number>(fetch, () => 0, { inFlight: 1, slotMs: 20 });
    const a = loader.load("a");
    await turn();
    const b = loader.load("b");
    await turn();
    expect(calls.map((x) => x.ids)).toEqual([["a"]]);
    await new Promise((r) => setTimeout(r, 40));
    expect(calls.map((x) => x.ids)).toEqual([["a"], ["b"]]); // a's slot given up: b did not wait for it
    calls[1]!.answer({ b: 2 });
    expect(await b).toBe(2);
    calls[0]!.answer({ a: 1 });
    expect(await a).toBe(1);
  });
});
