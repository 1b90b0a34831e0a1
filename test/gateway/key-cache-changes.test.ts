import { describe, expect, it } from "vitest";
import { KeysCache } from "../../src/gateway/cache/keys.js";
import { sha256Hex } from "../../src/lib/secrets.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { getHarness } from "../helpers/harness.js";

/** Until the read of the loads asked for so far has started (it runs at the end of the turn). */
const readStarted = () => new Promise((r) => setImmediate(r));

describe("key cache: a change during a read", () => {
  it("another key's change (another team's too) does not keep a read's key out of the cache; its own does", async () => {
    const { database } = await getHarness();
    const keys = new KeysCache({ trusted: true }, 100, database.db, () => {});
    const team = await createTeamFx();
    const other = await createTeamFx();
    const [a, b] = await Promise.all([createKeyFx(team), createKeyFx(team)]);
    const elsewhere = await createKeyFx(other);
    const [da, db, dOther] = [a, b, elsewhere].map((k) => sha256Hex(k.apiKeyString));

    // A change of another team's key while a's read is under way: a is still kept.
    const readA = keys.load(da!, Date.now());
    await readStarted();
    keys.apply({ t: "key", digest: dOther! });
    expect((await readA)?.id).toBe(a.apiKey.id);
    expect(keys.get(da!)?.id).toBe(a.apiKey.id);

    // A change of b itself while b's read is under way: the answer is given, not kept.
    const readB = keys.load(db!, Date.now());
    await readStarted();
    keys.apply({ t: "key", digest: db! });
    expect((await readB)?.id).toBe(b.apiKey.id);
    expect(keys.get(db!)).toBeUndefined();

    // After the cache was cleared (trust lost and back), a read from before keeps nothing.
    const readAgain = keys.load(db!, Date.now());
    await readStarted();
    keys.clear();
    expect((await readAgain)?.id).toBe(b.apiKey.id);
    expect(keys.get(db!)).toBeUndefined();
  });
});
