import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, webhookEndpoints, webhookEvents } from "../../src/db/schema.js";
import { ManualClock } from "../../src/lib/clock.js";
import { Keyring, parseEncryptionKeys } from "../../src/lib/keyring.js";
import { claimDue, DISABLE_AFTER_MS, LEASE_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../../src/webhooks/deliveries.js";
import { enqueueEvent } from "../../src/webhooks/outbox.js";
import { DELIVERY_TIMEOUT_MS } from "../../src/webhooks/send.js";
import { createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";
import { createWebhookFx, deliveryOf, endpointFor, outboxOf, PUBLIC_URL, Receiver, webhookApp, WEBHOOKS, workerFor } from "./helpers.js";

const HOUR = 3_600_000;

let receiver: Receiver;
beforeAll(async () => {
  await getHarness(); // the migrated database, before the first test's clock starts
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());

const sentTo = (r: Receiver, eventId: string) => r.received.filter((x) => x.headers["webhook-id"] === eventId);

async function testEvent(team: { owner: { token: string } }, endpointId: string): Promise<string> {
  const r = await call("POST", `${WEBHOOKS}/${endpointId}/test`, { token: team.owner.token });
  expect(r.status).toBe(202);
  return r.body.id;
}

describe("bad input is a 4xx in the error envelope, nothing stored", () => {
  it("create: missing or bad url, events, format, description; unknown fields; no body", async () => {
    const team = await createTeamFx();
    const app = await webhookApp();
    const cases: [unknown, string][] = [
      [{ events: ["api_key.leaked"] }, "url"],
      [{ url: PUBLIC_URL }, "events"],
      [{ url: PUBLIC_URL, events: [] }, "events"],
      [{ url: PUBLIC_URL, events: ["api_key.stolen"] }, "events.0"],
      [{ url: PUBLIC_URL, events: "api_key.leaked" }, "events"],
      [{ url: PUBLIC_URL, events: ["api_key.leaked"], format: "teams" }, "format"],
      [{ url: PUBLIC_URL, events: ["api_key.leaked"], description: "x".repeat(501) }, "description"],
      [{ url: PUBLIC_URL, events: ["api_key.leaked"], secret: "whsec_mine" }, "secret"],
      [{ url: "ftp://files.example.com/in", events: ["api_key.leaked"] }, "url"],
      [{ url: "hooks.example.com/in", events: ["api_key.leaked"] }, "url"],
      [{ url: "https://user:pw@hooks.example.com/in", events: ["api_key.leaked"] }, "url"],
      [{ url: `https://hooks.example.com/${"a".repeat(2048)}`, events: ["api_key.leaked"] }, "url"],
      [{ url: 42, events: ["api_key.leaked"] }, "url"],
    ];
    for (const [body, path] of cases) {
      const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { app, token: team.owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(r.body.error.params.map((p: { path: string }) => p.path), JSON.stringify(body)).toContain(path);
    }
    const raw = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { app, token: team.owner.token, raw: "{not json", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
    const none = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { app, token: team.owner.token });
    expect(none.status).toBe(400);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks).toEqual([]);
  });

  it("update: an empty patch, a bad url, an unknown event; deliveries: bad limit and cursor; an unknown id is 404", async () => {
    const team = await createTeamFx();
    const { webhook } = await createWebhookFx(team);
    const app = await webhookApp();
    for (const body of [{}, { url: "mailto:ops@example.com" }, { events: ["nope"] }, { enabled: "yes" }]) {
      const r = await call("PATCH", `${WEBHOOKS}/${webhook.id}`, { app, token: team.owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
    }
    for (const q of ["limit=0", "limit=101", "limit=x", "until=bm90LWEtY3Vyc29y"]) {
      const r = await call("GET", `${WEBHOOKS}/${webhook.id}/deliveries?${q}`, { token: team.owner.token });
      expect(r.status, q).toBe(400);
    }
    for (const [method, path] of [
      ["PATCH", `${WEBHOOKS}/wh_01jd7y2m3n4p5q6r7s8t9v0w1x`],
      ["DELETE", `${WEBHOOKS}/wh_01jd7y2m3n4p5q6r7s8t9v0w1x`],
      ["POST", `${WEBHOOKS}/wh_01jd7y2m3n4p5q6r7s8t9v0w1x/test`],
      ["GET", `${WEBHOOKS}/wh_01jd7y2m3n4p5q6r7s8t9v0w1x/deliveries`],
    ] as const) {
      const r = await call(method, path, { token: team.owner.token, body: method === "PATCH" ? { enabled: false } : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
  });

  it("a team holds at most 20 endpoints (409)", async () => {
    const team = await createTeamFx();
    const app = await webhookApp();
    for (let i = 0; i < 20; i++) await createWebhookFx(team, {}, { app });
    const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { app, token: team.owner.token, body: { url: PUBLIC_URL, events: ["api_key.leaked"] } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("conflict");
  });

  it("without an encryption key (Postgres without TOLLGATE_ENCRYPTION_KEY) create is 503 encryption_key_missing", async () => {
    const team = await createTeamFx();
    const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, {
      app: await webhookApp({ keyring: null }),
      token: team.owner.token,
      body: { url: PUBLIC_URL, events: ["api_key.leaked"] },
    });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("encryption_key_missing");
    expect(r.body.error.message).toContain("TOLLGATE_ENCRYPTION_KEY");
  });
});

describe("retries", () => {
  it("a receiver down for the first tries, then up, gets the event once; the first retry comes within 10 s, then later ones", async () => {
    const team = await createTeamFx();
    const rx = await Receiver.start();
    try {
      const endpoint = await endpointFor(team, rx);
      const id = await testEvent(team, endpoint.id);
      const clock = new ManualClock(Date.now());
      const worker = await workerFor([team], { clock });
      await rx.down();
      expect(await worker.tick()).toBe(1);
      let d = await deliveryOf(endpoint.id, id);
      expect(d).toMatchObject({ state: "pending", attempts: 1, lastStatus: null, nextAttemptAt: clock.now() + 5000 });
      expect(d!.lastError).toMatch(/^connection failed \(ECONNREFUSED\)$/);
      clock.advance(4999);
      expect(await worker.tick()).toBe(0); // not due yet
      clock.advance(1);
      expect(await worker.tick()).toBe(1); // the first retry, 5 s later
      d = await deliveryOf(endpoint.id, id);
      expect(d).toMatchObject({ state: "pending", attempts: 2, nextAttemptAt: clock.now() + 30_000 });
      await rx.up();
      clock.advance(30_000);
      expect(await worker.tick()).toBe(1);
      d = await deliveryOf(endpoint.id, id);
      expect(d).toMatchObject({ state: "delivered", attempts: 3, lastStatus: 204, lastError: null, nextAttemptAt: null });
      expect(d!.attemptLog.map((a) => a.status)).toEqual([null, null, 204]);
      clock.advance(24 * HOUR);
      expect(await worker.drain()).toBe(0);
      expect(sentTo(rx, id)).toHaveLength(1);
      expect(sentTo(rx, id)[0]!.error).toBeNull();
      // The endpoint is no longer failing.
      const list = await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token });
      expect(list.body.webhooks[0].failingSince).toBeNull();
    } finally {
      await rx.close();
    }
  });

  it("a non-2xx answer and a timeout are failed attempts; the same webhook-id is sent each time", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const id = await testEvent(team, endpoint.id);
    const clock = new ManualClock(Date.now());
    const worker = await workerFor([team], { clock, timeoutMs: 300 });
    const answers = [500, 0, 200];
    receiver.answer = async () => {
      const a = answers.shift()!;
      if (a === 0) await new Promise((r) => setTimeout(r, 1000)); // no answer within the timeout
      return a || 200;
    };
    try {
      await worker.tick();
      clock.advance(RETRY_DELAYS_MS[0]!);
      await worker.tick();
      clock.advance(RETRY_DELAYS_MS[1]!);
      await worker.tick();
    } finally {
      receiver.answer = () => 204;
    }
    const d = await deliveryOf(endpoint.id, id);
    expect(d!.attemptLog.map((a) => [a.status, a.error])).toEqual([
      [500, "HTTP 500"],
      [null, "no answer within 0.3 s"],
      [200, null],
    ]);
    expect(d!.state).toBe("delivered");
    expect(new Set(sentTo(receiver, id).map((r) => r.headers["webhook-id"]))).toEqual(new Set([id]));
    expect(DELIVERY_TIMEOUT_MS).toBe(5000);
  });

  it("retries for more than 24 h with growing waits; an endpoint failing for 3 days is disabled with the reason, and audited", async () => {
    const team = await createTeamFx();
    const rx = await Receiver.start();
    try {
      rx.answer = () => 503;
      const endpoint = await endpointFor(team, rx);
      const id = await testEvent(team, endpoint.id);
      const clock = new ManualClock(Date.now());
      const worker = await workerFor([team], { clock });
      const at: number[] = [];
      for (let i = 0; i < 40; i++) {
        const d = await deliveryOf(endpoint.id, id);
        if (d!.state !== "pending") break;
        clock.set(Math.max(clock.now(), d!.nextAttemptAt!));
        expect(await worker.tick()).toBe(1);
        at.push(clock.now());
      }
      const t0 = at[0]!;
      const times = at.map((t) => t - t0);
      expect(times).toHaveLength(MAX_ATTEMPTS);
      const waits = times.slice(1).map((t, i) => t - times[i]!);
      expect(waits[0]).toBeLessThanOrEqual(10_000);
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
      expect(times.at(-1)!).toBeGreaterThanOrEqual(DISABLE_AFTER_MS); // past 3 days, so well past 24 h
      expect(times.filter((t) => t >= 24 * HOUR).length).toBeGreaterThan(1);

      const d = await deliveryOf(endpoint.id, id);
      expect(d).toMatchObject({ state: "failed", attempts: MAX_ATTEMPTS, lastStatus: 503, nextAttemptAt: null });
      const got = await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.developer.token });
      const w = got.body.webhooks[0];
      expect(w).toMatchObject({ enabled: false, disabledAt: clock.now(), failingSince: t0 });
      expect(w.disabledReason).toContain("every delivery failed since");
      expect(w.disabledReason).toContain("HTTP 503");
      expect(w.disabledReason).not.toContain(rx.url);
      const { database } = await getHarness();
      const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "webhook.disable")));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorType: "system", actorId: "webhooks", targetId: endpoint.id });

      // Disabled: events are no longer queued for it; a test still is (and its success clears failingSince).
      await database.db.transaction((tx) =>
        enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: "key_x", name: "x", source: "compromised_secret", url: null }, at: clock.now() }),
      );
      expect((await outboxOf(team.id)).events.map((e) => e.type)).toEqual(["webhook.test"]);
      rx.answer = () => 200;
      const again = await testEvent(team, endpoint.id);
      clock.advance(1);
      await worker.drain();
      expect((await deliveryOf(endpoint.id, again))!.state).toBe("delivered");
      const after = (await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks[0];
      expect(after).toMatchObject({ enabled: false, failingSince: null });
      expect(after.disabledReason).toContain("every delivery failed since");
      const on = await call("PATCH", `${WEBHOOKS}/${endpoint.id}`, { token: team.owner.token, body: { enabled: true } });
      expect(on.body.webhook).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    } finally {
      await rx.close();
    }
  });

  it("a paused endpoint (enabled:false) keeps its events waiting and gets them once enabled again", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const { database } = await getHarness();
    const eventId = await database.db.transaction((tx) =>
      enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: "key_y", name: "y", source: "compromised_secret", url: null }, at: Date.now() }),
    );
    expect(eventId).toMatch(/^msg_/);
    await call("PATCH", `${WEBHOOKS}/${endpoint.id}`, { token: team.owner.token, body: { enabled: false } });
    const worker = await workerFor([team]);
    expect(await worker.drain()).toBe(0);
    await call("PATCH", `${WEBHOOKS}/${endpoint.id}`, { token: team.owner.token, body: { enabled: true } });
    expect(await worker.drain()).toBe(1);
    expect(sentTo(receiver, eventId!)).toHaveLength(1);
  });
});

describe("durability", () => {
  it("a restart between tries loses nothing: a new worker (new connection) sends the retry when it is due", async () => {
    const team = await createTeamFx();
    const rx = await Receiver.start();
    try {
      const endpoint = await endpointFor(team, rx);
      const id = await testEvent(team, endpoint.id);
      const clock = new ManualClock(Date.now());
      await rx.down();
      const first = (await workerFor([team], { clock })).start();
      // The started loop makes the first attempt on its own.
      for (let i = 0; i < 200 && (await deliveryOf(endpoint.id, id))!.attempts === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await first.stop();
      expect(await deliveryOf(endpoint.id, id)).toMatchObject({ state: "pending", attempts: 1 });

      await rx.up();
      clock.advance(RETRY_DELAYS_MS[0]!);
      const h = await getHarness();
      const { openDatabase } = await import("../../src/db/client.js");
      const url = process.env.DATABASE_URL;
      const database = url ? await openDatabase({ databaseUrl: url, poolSize: 2 }) : h.database;
      try {
        const { WebhookWorker } = await import("../../src/webhooks/worker.js");
        const { createLogger } = await import("../../src/lib/logger.js");
        const second = new WebhookWorker({ db: database.db, clock, keyring: h.keyring, log: createLogger("silent"), config: { webhooksAllowPrivate: true } }, { teamIds: [team.id] });
        expect(await second.drain()).toBe(1);
      } finally {
        if (url) await database.close();
      }
      expect(await deliveryOf(endpoint.id, id)).toMatchObject({ state: "delivered", attempts: 2 });
      expect(sentTo(rx, id)).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });

  it("an attempt whose instance died before recording it is claimed again once its lease is over, and sent once", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const id = await testEvent(team, endpoint.id);
    const clock = new ManualClock(Date.now());
    const { database } = await getHarness();
    // The dying instance: claims, then never sends nor records.
    const claimed = await claimDue(database.db, clock.now(), 10, [team.id]);
    expect(claimed.map((c) => c.eventId)).toEqual([id]);
    const worker = await workerFor([team], { clock });
    expect(await worker.tick()).toBe(0);
    clock.advance(LEASE_MS - 1);
    expect(await worker.tick()).toBe(0);
    clock.advance(1);
    expect(await worker.tick()).toBe(1);
    expect(await deliveryOf(endpoint.id, id)).toMatchObject({ state: "delivered", attempts: 2 });
    expect(sentTo(receiver, id)).toHaveLength(1);
  });

  it("a change that rolls back leaves no event and no delivery", async () => {
    const team = await createTeamFx();
    await endpointFor(team, receiver);
    const { database } = await getHarness();
    await expect(
      database.db.transaction(async (tx) => {
        const id = await enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: "key_z", name: "z", source: "compromised_secret", url: null }, at: Date.now() });
        expect(id).toMatch(/^msg_/);
        expect((await tx.select().from(webhookEvents).where(eq(webhookEvents.teamId, team.id))).length).toBe(1);
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(await outboxOf(team.id)).toEqual({ events: [], deliveries: [] });
  });

  it("a secret sealed with a key this instance lacks is left, uncounted, to an instance that has it (a key rollout); never a crash", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const id = await testEvent(team, endpoint.id);
    const clock = new ManualClock(Date.now());
    const other = new Keyring(parseEncryptionKeys("other:" + Buffer.alloc(32, 9).toString("base64")));
    const lacking = await workerFor([team], { keyring: other, clock });
    expect(await lacking.tick()).toBe(1);
    let d = await deliveryOf(endpoint.id, id);
    expect(d).toMatchObject({ state: "pending", attempts: 0, nextAttemptAt: clock.now() + 60_000 });
    expect(sentTo(receiver, id)).toHaveLength(0);
    const { database } = await getHarness();
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.failingSince).toBeNull(); // not the endpoint's failure
    // An instance with the key sends it once it is due again, as its first attempt.
    clock.advance(60_000);
    expect(await (await workerFor([team], { clock })).tick()).toBe(1);
    d = await deliveryOf(endpoint.id, id);
    expect(d).toMatchObject({ state: "delivered", attempts: 1 });
    expect(sentTo(receiver, id)).toHaveLength(1);
  });

});
