import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { claimDue } from "../../src/webhooks/deliveries.js";
import { enqueueEvent } from "../../src/webhooks/outbox.js";
import { WebhookWorker } from "../../src/webhooks/worker.js";
import { createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { getHarness } from "../helpers/harness.js";
import { endpointFor, outboxOf, Receiver } from "./helpers.js";

/**
 * Several instances on one database: each event is sent by exactly one of them. On Postgres
 * (DATABASE_URL) each instance has its own connection pool, as separate servers do; on PGlite
 * the workers share the one embedded database.
 */
const url = process.env.DATABASE_URL;

let receiver: Receiver;
const opened: Database[] = [];
beforeAll(async () => {
  await getHarness(); // the migrated database, before the first test's clock starts
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.close();
  for (const d of opened) await d.close();
});

async function instance(name: string, team: TeamFx, batch: number): Promise<WebhookWorker> {
  const h = await getHarness();
  let database = h.database;
  if (url) {
    database = await openDatabase({ databaseUrl: url, poolSize: 4, applicationName: name });
    opened.push(database);
  }
  return new WebhookWorker(
    { db: database.db, clock: systemClock, keyring: h.keyring, log: createLogger("silent"), config: { webhooksAllowPrivate: true } },
    { teamIds: [team.id], batch },
  );
}

async function queue(team: TeamFx, n: number): Promise<string[]> {
  const { database } = await getHarness();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await database.db.transaction((tx) =>
      enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: `key_${i}`, name: `k${i}`, source: "compromised_secret", url: null }, at: Date.now() }),
    );
    ids.push(id!);
  }
  return ids;
}

describe(`two instances on ${url ? "Postgres" : "PGlite"}`, () => {
  it("claiming at the same moment, they get disjoint deliveries (FOR UPDATE SKIP LOCKED) that together are all of them", async () => {
    const team = await createTeamFx();
    await endpointFor(team, receiver);
    const ids = await queue(team, 30);
    const h = await getHarness();
    const dbs = [h.database.db];
    if (url) {
      for (const name of ["tollgate-a", "tollgate-b"]) {
        const d = await openDatabase({ databaseUrl: url, poolSize: 2, applicationName: name });
        opened.push(d);
        dbs.push(d.db);
      }
      dbs.shift();
    } else dbs.push(h.database.db);
    const now = Date.now();
    const [a, b] = await Promise.all(dbs.map((db) => claimDue(db, now, 100, [team.id])));
    const all = [...a!, ...b!].map((c) => c.eventId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...ids].sort());
  });

  it("two running workers send each event exactly once, signed", async () => {
    const team = await createTeamFx();
    await endpointFor(team, receiver);
    const ids = await queue(team, 40);
    const [a, b] = [await instance("tollgate-a", team, 5), await instance("tollgate-b", team, 5)];
    const attempts = await Promise.all([a.drain(), b.drain()]);
    expect(attempts[0]! + attempts[1]!).toBe(40);
    for (const id of ids) {
      const got = receiver.received.filter((r) => r.headers["webhook-id"] === id);
      expect(got, id).toHaveLength(1);
      expect(got[0]!.error).toBeNull();
    }
    const { deliveries } = await outboxOf(team.id);
    expect(deliveries.map((d) => [d.state, d.attempts])).toEqual(Array(40).fill(["delivered", 1]));
  });
});
