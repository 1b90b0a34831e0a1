import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { startGatewayState } from "../../src/gateway/state.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { uniq } from "../helpers/harness.js";

// Postgres only (the `postgres` project: vitest.config.ts): a read held up on one connection of the pool.
describe("a key read held up in Postgres", () => {
  it("does not hold the next first touches behind it", async () => {
    const url = process.env.DATABASE_URL!;
    const team = await createTeamFx();
    const [a, b] = await Promise.all([createKeyFx(team), createKeyFx(team)]);
    // An instance of its own (its connections named, to find them in pg_stat_activity), with the
    // default pool (postgres-js queues a query behind a busy connection when none is idle or
    // unopened).
    const applicationName = uniq("first-touch");
    const database = await openDatabase({ databaseUrl: url, applicationName });
    const gw = await startGatewayState(database);
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const state = gw.state;
      for (let i = 0; i < 100 && !state.isTrusted; i++) await new Promise((r) => setTimeout(r, 10));
      // Connections opened beforehand, idle in the pool: the second read then finds one at once even
      // while the heartbeat's pg_notify holds another (under CI's load, a NOTIFY can wait on the
      // notification queue's lock), and does not depend on opening a new connection while the
      // machine's Postgres is busy (once, in CI, no new connection showed within 5 s).
      await Promise.all(Array.from({ length: 4 }, () => database.db.execute(sql`select pg_sleep(0.05)`)));
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
          // A read on a connection just opened waits first in postgres-js's type lookup (pg_type),
          // which the table lock holds too: it also reached Postgres on its own connection.
          const [row] = await held`select count(*)::int as n from pg_stat_activity
                                      where application_name = ${applicationName} and wait_event_type = 'Lock'
                                        and (query like '%digest%' or query like '%pg_catalog.pg_type%')`;
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
