import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, webhookDeliveries, webhookEndpoints } from "../../src/db/schema.js";
import { EVENT_RETENTION_MS, pruneEvents } from "../../src/webhooks/deliveries.js";
import { enqueueEvent } from "../../src/webhooks/outbox.js";
import { ManualClock } from "../../src/lib/clock.js";
import { Keyring, parseEncryptionKeys } from "../../src/lib/keyring.js";
import { reencryptColumn } from "../../src/lib/sealed-columns.js";
import { SEALED_COLUMNS } from "../../src/sealed-columns.js";
import { bindWebhookQueue } from "../../src/webhooks/metrics.js";
import { aadOf, webhookSealedColumn } from "../../src/webhooks/secret.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { report } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, ENCRYPTION_KEY, getHarness } from "../helpers/harness.js";
import { leakApp, report as reportLeak } from "../leaks/helpers.js";
import { openaiClient, startGateway, type GatewayFx } from "../proxy/setup.js";
import { createWebhookFx, endpointFor, eventually, outboxOf, Receiver, webhookApp, WEBHOOKS, workerFor } from "./helpers.js";

const DAY = 86_400_000;

let receiver: Receiver;
beforeAll(async () => {
  await getHarness(); // the migrated database, before the first test's clock starts
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());

/** The verified payloads the receiver got for a team's endpoint, by `webhook-id`. */
const payloadsOf = (ids: string[]) => receiver.verified.filter((r) => ids.includes(String(r.headers["webhook-id"]))).map((r) => r.verified as any);

describe("webhook endpoints: create, read, update, delete", () => {
  it("create answers 201 with the secret once (whsec_, 32 bytes); list and get never show it; it is stored sealed", async () => {
    const team = await createTeamFx();
    const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, {
      app: await webhookApp(),
      token: team.owner.token,
      body: { url: "https://hooks.example.com/tollgate?channel=ops", events: ["budget.threshold", "api_key.leaked", "budget.threshold"], description: "ops" },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.webhook).toEqual({
      id: expect.stringMatching(/^wh_[0-9a-z]{26}$/),
      teamId: team.id,
      url: "https://hooks.example.com/tollgate?channel=ops",
      events: ["budget.threshold", "api_key.leaked"],
      format: "standard",
      description: "ops",
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdAt: expect.any(Number),
      createdBy: team.owner.id,
      updatedAt: expect.any(Number),
      updatedBy: team.owner.id,
    });
    const secret: string = r.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);

    const list = await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.member.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ webhooks: [r.body.webhook], pagination: { count: 1, next: null, prev: null } });
    expect(list.text).not.toContain(secret.slice(6));

    const { database, keyring } = await getHarness();
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, r.body.webhook.id));
    expect(row!.sealedSecret).not.toContain(secret.slice(6));
    expect(Keyring.keyIdOf(row!.sealedSecret)).toBe("test1");
    expect(keyring.open(row!.sealedSecret, aadOf(team.id, row!.id))).toBe(secret);

    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "webhook.create")));
    expect(audit!.data).toEqual({ host: "hooks.example.com", events: ["budget.threshold", "api_key.leaked"], format: "standard" });
  });

  it("keys:reencrypt re-seals the secret with the newest key (the column is in SEALED_COLUMNS); deliveries still verify", async () => {
    const { database, keyring } = await getHarness();
    const old = new Keyring(parseEncryptionKeys("old1:" + Buffer.alloc(32, 3).toString("base64")));
    const team = await createTeamFx();
    const { webhook, secret } = await createWebhookFx(team, { url: receiver.url }, { app: await webhookApp({ keyring: old }) });
    receiver.secret = secret;
    expect(SEALED_COLUMNS).toContain(webhookSealedColumn);
    const both = new Keyring([...parseEncryptionKeys(ENCRYPTION_KEY), ...parseEncryptionKeys("old1:" + Buffer.alloc(32, 3).toString("base64"))]);
    const report = await reencryptColumn(database.db, both, webhookSealedColumn);
    expect(report.failed.map((f) => f.key)).not.toContain(webhook.id);
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id));
    expect(Keyring.keyIdOf(row!.sealedSecret)).toBe("test1");
    expect(keyring.open(row!.sealedSecret, aadOf(team.id, webhook.id))).toBe(secret);
    const id = (await call("POST", `${WEBHOOKS}/${webhook.id}/test`, { token: team.owner.token })).body.id;
    await (await workerFor([team])).drain();
    expect(receiver.verified.filter((r) => r.headers["webhook-id"] === id)).toHaveLength(1);
  });

  it("update changes url, events, format and description; enabled:false pauses, true clears the disabled state; audit webhook.update", async () => {
    const team = await createTeamFx();
    const { webhook } = await createWebhookFx(team);
    const app = await webhookApp();
    const r = await call("PATCH", `${WEBHOOKS}/${webhook.id}`, {
      app,
      token: team.owner.token,
      body: { url: "https://other.example.com/in", events: ["api_key.expiring"], format: "slack", description: null, enabled: false },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.webhook).toMatchObject({ url: "https://other.example.com/in", events: ["api_key.expiring"], format: "slack", description: null, enabled: false, disabledReason: null });
    expect(r.body.webhook.disabledAt).toEqual(expect.any(Number));
    const on = await call("PATCH", `${WEBHOOKS}/${webhook.id}?teamId=${team.id}`, { app, token: team.owner.token, body: { enabled: true } });
    expect(on.body.webhook).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
    const { database } = await getHarness();
    const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "webhook.update"))).orderBy(auditEvents.id);
    expect(audits.map((a) => a.data.changes)).toEqual([
      {
        host: { from: "203.0.113.10", to: "other.example.com" },
        events: { from: webhook.events, to: ["api_key.expiring"] },
        format: { from: "standard", to: "slack" },
        description: { from: null, to: null },
        enabled: { from: true, to: false },
      },
      { enabled: { from: false, to: true } },
    ]);
  });

  it("delete answers 204, takes the waiting deliveries with it; a second delete is 404", async () => {
    const team = await createTeamFx();
    const { webhook } = await createWebhookFx(team);
    expect((await call("POST", `${WEBHOOKS}/${webhook.id}/test`, { token: team.owner.token })).status).toBe(202);
    expect((await outboxOf(team.id)).deliveries).toHaveLength(1);
    expect((await call("DELETE", `${WEBHOOKS}/${webhook.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await outboxOf(team.id)).deliveries).toHaveLength(0);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks).toEqual([]);
    expect((await call("DELETE", `${WEBHOOKS}/${webhook.id}`, { token: team.owner.token })).status).toBe(404);
  });
});

describe("delivery of each event, signed per Standard Webhooks (verified with the standardwebhooks library)", () => {
  it("webhook.test: 202, then one signed POST; the deliveries list shows it delivered", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const r = await call("POST", `${WEBHOOKS}/${endpoint.id}/test`, { token: team.owner.token });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.stringMatching(/^msg_[0-9a-z]{26}$/), type: "webhook.test" });
    expect(await (await workerFor([team])).drain()).toBe(1);

    const got = receiver.received.filter((x) => x.headers["webhook-id"] === r.body.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.error).toBeNull();
    expect(got[0]!.headers["content-type"]).toBe("application/json");
    expect(got[0]!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(got[0]!.verified).toEqual({ type: "webhook.test", timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), data: { webhookId: endpoint.id, message: "A test event sent from Tollgate." } });

    const list = await call("GET", `${WEBHOOKS}/${endpoint.id}/deliveries`, { token: team.developer.token });
    expect(list.status).toBe(200);
    expect(list.body.deliveries).toEqual([
      {
        id: r.body.id,
        type: "webhook.test",
        state: "delivered",
        attempts: 1,
        lastStatus: 204,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: expect.any(Number),
        createdAt: expect.any(Number),
        log: [{ at: expect.any(Number), status: 204, error: null }],
      },
    ]);
  });

  it("budget.threshold: one event per threshold crossed, with the scope, limit, spend and period", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver, { events: ["budget.threshold"] });
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "monthly" } });
    expect((await report(key.apiKey.id, 6)).status).toBe(202); // 60%: crosses 50
    expect((await report(key.apiKey.id, 2)).status).toBe(202); // 80%: crosses 75
    expect((await report(key.apiKey.id, 0.5)).status).toBe(202); // 85%: nothing new
    const { events } = await outboxOf(team.id);
    expect(events.map((e) => e.type)).toEqual(["budget.threshold", "budget.threshold"]);
    await (await workerFor([team])).drain();
    const payloads = payloadsOf(events.map((e) => e.id));
    const periodStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    expect(payloads.map((p) => p.data)).toEqual([
      { scope: { type: "api_key", id: key.apiKey.id }, budgetId: expect.stringMatching(/^bdg_/), threshold: 50, limitAmount: 10, currentSpend: 6, periodStart },
      { scope: { type: "api_key", id: key.apiKey.id }, budgetId: expect.stringMatching(/^bdg_/), threshold: 75, limitAmount: 10, currentSpend: 8, periodStart },
    ]);
    expect(payloads.every((p) => p.type === "budget.threshold")).toBe(true);
    expect((await call("GET", `${WEBHOOKS}/${endpoint.id}/deliveries`, { token: team.owner.token })).body.deliveries.map((d: any) => d.state)).toEqual(["delivered", "delivered"]);
  });

  it("api_key.leaked: the key id, name, source and url; never the key", async () => {
    const team = await createTeamFx();
    await endpointFor(team, receiver, { events: ["api_key.leaked"] });
    const key = await createKeyFx(team, { name: "ci-key" });
    expect((await reportLeak(await leakApp(), key.apiKeyString)).status).toBe(202);
    const { events } = await outboxOf(team.id);
    expect(events.map((e) => e.type)).toEqual(["api_key.leaked"]);
    await (await workerFor([team])).drain();
    const [got] = receiver.verified.filter((r) => r.headers["webhook-id"] === events[0]!.id);
    expect(got!.verified).toMatchObject({ type: "api_key.leaked", data: { keyId: key.apiKey.id, name: "ci-key", source: "compromised_secret", url: null } });
    expect(got!.body).not.toContain(key.apiKeyString.slice(4));
    // Reported again: already leaked, no second event.
    await reportLeak(await leakApp(), key.apiKeyString);
    expect((await outboxOf(team.id)).events).toHaveLength(1);
  });

  it("api_key.expiring: 7 days and 1 day before expiresAt, each exactly once (also when two instances sweep at once)", async () => {
    const team = await createTeamFx();
    await endpointFor(team, receiver, { events: ["api_key.expiring"] });
    const expiresAt = Date.now() + 10 * DAY;
    const key = await createKeyFx(team, { name: "short-lived", expiresAt });
    const clock = new ManualClock(expiresAt - 8 * DAY);
    const [a, b] = [await workerFor([team], { clock }), await workerFor([team], { clock })];
    expect(await a.sweep()).toBe(0); // 8 days before: not yet
    clock.set(expiresAt - 7 * DAY + 60_000);
    expect((await Promise.all([a.sweep(), b.sweep()])).reduce((x, y) => x + y)).toBe(1);
    expect(await a.sweep()).toBe(0);
    clock.set(expiresAt - 2 * DAY);
    expect(await a.sweep()).toBe(0);
    clock.set(expiresAt - DAY + 60_000);
    expect((await Promise.all([a.sweep(), b.sweep()])).reduce((x, y) => x + y)).toBe(1);
    clock.set(expiresAt - 60_000);
    expect(await a.sweep()).toBe(0);
    clock.set(expiresAt + 60_000);
    expect(await a.sweep()).toBe(0);

    const { events } = await outboxOf(team.id);
    expect(events.map((e) => [e.type, (e.data as any).daysBefore])).toEqual([
      ["api_key.expiring", 7],
      ["api_key.expiring", 1],
    ]);
    await a.drain();
    expect(payloadsOf(events.map((e) => e.id)).map((p) => p.data)).toEqual([
      { keyId: key.apiKey.id, name: "short-lived", expiresAt, daysBefore: 7 },
      { keyId: key.apiKey.id, name: "short-lived", expiresAt, daysBefore: 1 },
    ]);
  });

  describe("byok.credential_failing", () => {
    let fx: GatewayFx;
    beforeAll(async () => {
      fx = await startGateway();
    });
    afterAll(() => fx.close());

    it("the credential the gateway fell back from, at most once an hour; never its secret", async () => {
      const team = await createTeamFx();
      await endpointFor(team, receiver, { events: ["byok.credential_failing"] });
      const key = await createKeyFx(team);
      const secret = "sk-byok-revoked-" + team.id.slice(-8);
      const cred = await call("POST", `/v1/ai-gateway/byok?teamId=${team.id}`, {
        token: team.owner.token,
        body: { provider: "openai", name: "team-openai", credentials: { apiKey: secret } },
      });
      expect(cred.status).toBe(201);
      for (let i = 0; i < 2; i++) {
        const answer = await openaiClient(fx, key.apiKeyString).chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
        expect(answer.choices[0]!.message.content).toBe("Hello from the fake."); // served by the system key
      }
      const events = await eventually(async () => {
        const { events } = await outboxOf(team.id);
        expect(events).toHaveLength(1);
        return events;
      });
      await (await workerFor([team])).drain();
      const [got] = receiver.verified.filter((r) => r.headers["webhook-id"] === events[0]!.id);
      expect(got!.verified).toEqual({
        type: "byok.credential_failing",
        timestamp: expect.any(String),
        data: { credentialId: cred.body.credential.id, provider: "openai", name: "team-openai", status: 401, model: "openai/gpt-4o-mini" },
      });
      expect(got!.body).not.toContain(secret);
    });
  });
});

describe("formats, subscriptions, metrics", () => {
  it("format slack posts {text} (signed as well)", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver, { format: "slack" });
    const r = await call("POST", `${WEBHOOKS}/${endpoint.id}/test`, { token: team.owner.token });
    await (await workerFor([team])).drain();
    const [got] = receiver.verified.filter((x) => x.headers["webhook-id"] === r.body.id);
    expect(got!.verified).toEqual({ text: `:white_check_mark: Tollgate: test event for webhook ${endpoint.id}.` });
  });

  it("an endpoint gets only the events it chose; a team without endpoints gets no outbox rows", async () => {
    const [team, bare] = await Promise.all([createTeamFx(), createTeamFx()]);
    await createWebhookFx(team, { events: ["api_key.leaked"] });
    for (const t of [team, bare]) {
      const key = await createKeyFx(t, { aiGatewayQuota: { limitAmount: 1, refreshPeriod: "monthly" } });
      expect((await report(key.apiKey.id, 1)).status).toBe(202);
    }
    expect(await outboxOf(team.id)).toEqual({ events: [], deliveries: [] });
    expect(await outboxOf(bare.id)).toEqual({ events: [], deliveries: [] });
    // Both teams' alerts are in the audit log, as before.
    const { database } = await getHarness();
    for (const t of [team, bare]) {
      const alerts = await database.db.select().from(auditEvents).where(and(eq(auditEvents.teamId, t.id), eq(auditEvents.action, "quota.threshold")));
      expect(alerts).toHaveLength(3);
    }
  });

  it("/metrics counts deliveries by outcome and shows the queue depth", async () => {
    const { database } = await getHarness();
    bindWebhookQueue(database.db);
    const metric = async (name: string) => {
      const text = (await call("GET", "/metrics", { token: ADMIN_TOKEN })).text;
      const line = text.split("\n").find((l) => l.startsWith(name + " "));
      return line ? Number(line.slice(name.length + 1)) : 0;
    };
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const delivered = await metric('tollgate_webhook_deliveries_total{outcome="delivered"}');
    await call("POST", `${WEBHOOKS}/${endpoint.id}/test`, { token: team.owner.token });
    expect(await metric("tollgate_webhook_queue_depth")).toBeGreaterThanOrEqual(1);
    await (await workerFor([team])).drain();
    expect(await metric('tollgate_webhook_deliveries_total{outcome="delivered"}')).toBe(delivered + 1);
  });
});

describe("retention", () => {
  it("an event is dropped 30 days on, once nothing is left to send; one still waiting is kept", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver);
    const { database } = await getHarness();
    const old = Date.now() - EVENT_RETENTION_MS - DAY;
    const enqueue = (name: string) =>
      database.db.transaction((tx) => enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: "key_old", name, source: "compromised_secret", url: null }, at: old }));
    const [sent, waiting] = [await enqueue("sent"), await enqueue("waiting")];
    await database.db.update(webhookDeliveries).set({ state: "delivered", nextAttemptAt: null }).where(eq(webhookDeliveries.eventId, sent!));
    await database.db.update(webhookDeliveries).set({ nextAttemptAt: Date.now() + DAY }).where(eq(webhookDeliveries.eventId, waiting!));
    expect(await pruneEvents(database.db, Date.now())).toBeGreaterThanOrEqual(1);
    const { events, deliveries } = await outboxOf(team.id);
    expect(events.map((e) => e.id)).toEqual([waiting]);
    expect(deliveries.map((d) => [d.eventId, d.endpointId, d.state])).toEqual([[waiting, endpoint.id, "pending"]]);
  });
});

describe("budget.threshold under concurrent usage", () => {
  it("is delivered once per threshold per period, whatever the concurrency (two instances' batchers)", async () => {
    const team = await createTeamFx();
    const endpoint = await endpointFor(team, receiver, { events: ["budget.threshold"] });
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "daily" } });
    const clock = new ManualClock(Date.now());
    const h = await getHarness();
    const apps = [h.makeApp({ clock }), h.makeApp({ clock })];
    const burst = () => Promise.all(Array.from({ length: 24 }, (_, i) => report(key.apiKey.id, 0.5, { app: apps[i % 2] })));
    expect((await burst()).map((r) => r.status)).toEqual(Array(24).fill(202)); // $12 of $10: every threshold crossed
    clock.advance(DAY); // the next daily period
    expect((await burst()).map((r) => r.status)).toEqual(Array(24).fill(202));

    const worker = await workerFor([team], { clock });
    await worker.drain();
    const { events, deliveries } = await outboxOf(team.id);
    expect(deliveries.every((d) => d.state === "delivered" && d.attempts === 1 && d.endpointId === endpoint.id)).toBe(true);
    const got = payloadsOf(events.map((e) => e.id));
    expect(got).toHaveLength(6);
    const byPeriod = new Map<number, number[]>();
    for (const p of got) byPeriod.set(p.data.periodStart, [...(byPeriod.get(p.data.periodStart) ?? []), p.data.threshold]);
    expect([...byPeriod.values()].map((t) => t.sort((a, b) => a - b))).toEqual([
      [50, 75, 100],
      [50, 75, 100],
    ]);
    // Exactly one POST per event.
    expect(new Set(receiver.received.filter((r) => events.some((e) => e.id === r.headers["webhook-id"])).map((r) => r.headers["webhook-id"])).size).toBe(6);
    expect(receiver.received.filter((r) => events.some((e) => e.id === r.headers["webhook-id"]))).toHaveLength(6);
  });
});
