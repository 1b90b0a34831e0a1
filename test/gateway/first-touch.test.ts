import { describe, expect, it } from "vitest";
import { startGatewayState } from "../../src/gateway/state.js";
import { createLogger } from "../../src/lib/logger.js";
import { createCredentialFx } from "../byok/helpers.js";
import { createKeyFx, createRuleFx, createTeamFx, freshModel } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

/**
 * A cold instance reads the teams it meets in batches (one statement per kind for every team missed
 * at once, started as soon as a key is read, shared by whoever needs the same team): each key must
 * still get its own team's rules, budgets and BYOK credentials, and a team with none gets none.
 */
describe("first touch of many keys across teams at once", () => {
  it("gives every key its own team's rules, budgets and credentials", async () => {
    const { database, keyring } = await getHarness();
    const model = freshModel("chat");
    const teams = await Promise.all([0, 1, 2, 3].map(() => createTeamFx()));
    const made = await Promise.all(
      teams.map(async (team, t) => {
        if (t < 3) {
          await createRuleFx(team, { type: "rewrite", match: { model }, action: { rewriteModel: `openai/target-${t}` } });
          const budget = await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, {
            token: team.owner.token,
            body: { scopeType: "team", limitAmount: 10 + t, refreshPeriod: "monthly" },
          });
          expect(budget.status).toBe(200);
          await createCredentialFx(team, { name: `cred-${t}`, credentials: { apiKey: `sk-team-${t}` } });
        }
        const keys = await Promise.all([0, 1, 2].map(() => createKeyFx(team)));
        return keys.map((k) => ({ t, key: k }));
      }),
    );

    // A fresh instance: nothing cached, every key and team read from the database, all at once.
    const gw = await startGatewayState(database);
    try {
      const state = gw.state;
      for (let i = 0; i < 100 && !state.isTrusted; i++) await new Promise((r) => setTimeout(r, 10));
      expect(state.isTrusted).toBe(true);
      const deps = { keyring, log: createLogger("error") };
      const all = made.flat();
      const seen = await Promise.all(
        all.map(async ({ key }) => {
          const row = (await state.keyByCredential(key.apiKeyString))!;
          const [rules, view, byok] = await Promise.all([state.teamRules(row.teamId), state.quotaView(row, Date.now()), state.byokJson(deps, row.teamId, "openai/x", row.id)]);
          return { id: row.id, rules, view, byok: JSON.parse(byok) as { name: string; credentials: { apiKey: string } }[] };
        }),
      );
      for (const [i, { t, key }] of all.entries()) {
        const s = seen[i]!;
        expect(s.id).toBe(key.apiKey.id);
        const limits = (JSON.parse(s.view.json) as { scope: string; limitAmount: number }[]).map((q) => [q.scope, q.limitAmount]);
        if (t < 3) {
          expect(s.rules.exact.get(model)?.rewriteModel).toBe(`openai/target-${t}`);
          expect(limits).toEqual([["team", 10 + t]]);
          expect(s.byok.map((c) => [c.name, c.credentials.apiKey])).toEqual([[`cred-${t}`, `sk-team-${t}`]]);
        } else {
          expect(s.rules.exact.size + s.rules.byProvider.size).toBe(0);
          expect(limits).toEqual([]);
          expect(s.byok).toEqual([]);
        }
      }
      // The same answers from the cache afterwards (synchronously).
      const again = state.keyByCredential(all[0]!.key.apiKeyString);
      expect(again).toMatchObject({ id: all[0]!.key.apiKey.id });
    } finally {
      await gw.close();
    }
  });
});
