import { describe, expect, it } from "vitest";
import { startGatewayState } from "../../src/gateway/state.js";
import { sha256Hex } from "../../src/lib/secrets.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

describe("gateway cache bounded by TOLLGATE_CACHE_MAX_KEYS (least recently used)", () => {
  it("keeps at most the bound, evicts the least recently used, and never serves a stale key after eviction and change", async () => {
    const { database } = await getHarness();
    const gw = await startGatewayState(database, { maxKeys: 2 });
    try {
      const state = gw.state;
      for (let i = 0; i < 100 && !state.isTrusted; i++) await new Promise((r) => setTimeout(r, 10));
      expect(state.isTrusted).toBe(true);
      const team = await createTeamFx();
      const [a, b, c] = await Promise.all([createKeyFx(team), createKeyFx(team), createKeyFx(team)]);
      const cached = (s: string) => (state as any).keys.has(sha256Hex(s));

      expect((await state.keyByCredential(a.apiKeyString))?.id).toBe(a.apiKey.id);
      expect((await state.keyByCredential(b.apiKeyString))?.id).toBe(b.apiKey.id);
      expect(state.keyByCredential(a.apiKeyString)).toMatchObject({ id: a.apiKey.id }); // a hit: a is now the most recent
      expect((await state.keyByCredential(c.apiKeyString))?.id).toBe(c.apiKey.id); // evicts b
      expect([cached(a.apiKeyString), cached(b.apiKeyString), cached(c.apiKeyString)]).toEqual([true, false, true]);

      // b was evicted, then deleted: the next lookup reads the database again, and finds nothing.
      expect((await call("DELETE", `/v1/api-keys/${b.apiKey.id}`, { token: team.owner.token })).status).toBe(204);
      // a is cached and deleted: the change notification drops it.
      expect((await call("DELETE", `/v1/api-keys/${a.apiKey.id}`, { token: team.owner.token })).status).toBe(204);
      for (let i = 0; i < 100 && cached(a.apiKeyString); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await state.keyByCredential(b.apiKeyString)).toBeUndefined();
      expect(await state.keyByCredential(a.apiKeyString)).toBeUndefined();
      expect((await state.keyByCredential(c.apiKeyString))?.id).toBe(c.apiKey.id);
      expect((state as any).keys.size).toBeLessThanOrEqual(2);
    } finally {
      await gw.close();
    }
  });
});
