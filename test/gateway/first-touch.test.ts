import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { startGatewayState } from "../../src/gateway/state.js";
import { createLogger } from "../../src/lib/logger.js";
import { createCredentialFx } from "../byok/helpers.js";
import { createKeyFx, createRuleFx, createTeamFx, freshModel } from "../helpers/fixtures.js";
import { call, getHarness, uniq } from "../helpers/harness.js";

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

describe.skipIf(!process.env.DATABASE_URL)("a key read held up in Postgres", () => {
  it("does not hold the next first touches behind it", async () => {
    const url = process.env.DATABASE_URL!;
    const team = await createTeamFx();
    const [a, b] = await Promise.all([createKeyFx(team), createKeyFx(team)]);
    // An instance of its own (its connections named, to find them in pg_stat_activity), with the
    // default pool (postgres-js queues a query behind a busy connection when none is idle or
    // unopened). This test has failed once in CI and once on a loaded machine, seeing one read
    // held instead of two; why is not known yet: the assertion says what pg_stat_activity showed.
    const applicationName = uniq("first-touch");
    const database = await openDatabase({ databaseUrl: url, applicationName });
    const gw = await startGatewayState(database);
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const state = gw.state;
      for (let i = 0; i < 100 && !state.isTrusted; i++) await new Promise((r) => setTimeout(r, 10));
      const held = await locker.reserve();
      await held`begin`;
      await held`lock table api_keys in access exclusive mode`;
      let first: Promise<unknown> | undefined;
      let second: Promise<unknown> | undefined;
      try {
        first = state.keyByCredential(a.apiKeyString) as Promise<unknown>;
        await new Promise((r) => setTimeout(r, 100));
        second = state.keyByCredential(b.apiKeyString) as Promise<unknown>;
        // Both reads reach Postgres and wait there for the lock: the second did not wait for the first.
        let waiting = 0;
        const deadline = Date.now() + 5000; // a loaded CI machine can take seconds to open a connection
        while (waiting < 2 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
          const [row] = await held`select count(*)::int as n from pg_stat_activity
                                      where application_name = ${applicationName} and wait_event_type = 'Lock' and query like '%digest%'`;
          waiting = row!.n as number;
        }
        const seen = waiting === 2 ? [] : await held`select state, wait_event_type, left(query, 80) as query from pg_stat_activity where application_name = ${applicationName}`;
        expect(waiting, JSON.stringify(seen)).toBe(2);
      } finally {
        await held`rollback`;
        held.release();
      }
      expect(((await first) as { id: string } | undefined)?.id).toBe(a.apiKey.id);
      expect(((await second) as { id: string } | undefined)?.id).toBe(b.apiKey.id);
    } finally {
      await locker.end();
      await gw.close();
      await database.close();
    }
  });
});
