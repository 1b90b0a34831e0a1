import { describe, expect, it } from "vitest";
import { newId } from "../../src/lib/ids.js";

describe("newId", () => {
  it("prefixed lowercase ULIDs, unique and sorted in creation order", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) {
      ids.push(newId("usage"));
      if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 2)); // new milliseconds: fresh random parts
    }
    for (const id of ids) expect(id).toMatch(/^use_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
