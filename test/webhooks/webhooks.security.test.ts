import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, webhookEvents } from "../../src/db/schema.js";
import { nonPublicKind } from "../../src/webhooks/address.js";
import { enqueueEvent } from "../../src/webhooks/outbox.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness, logLines } from "../helpers/harness.js";
import { leakApp, report as reportLeak } from "../leaks/helpers.js";
import { createWebhookFx, deliveryOf, outboxOf, PUBLIC_URL, Receiver, webhookApp, WEBHOOKS, workerFor } from "./helpers.js";

let receiver: Receiver;
beforeAll(async () => {
  await getHarness(); // the migrated database, before the first test's clock starts
  receiver = await Receiver.start();
});
afterAll(() => receiver.close());

const sentTo = (r: Receiver, eventId: string) => r.received.filter((x) => x.headers["webhook-id"] === eventId);

describe("targets: private, loopback and link-local addresses are refused unless TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true", () => {
  it("create and update refuse them (after resolving names), naming the setting; nothing is stored", async () => {
    const team = await createTeamFx(); // the harness app: the setting is off
    const port = receiver.port;
    const refused = [
      `http://127.0.0.1:${port}/hooks`,
      `http://localhost:${port}/hooks`, // a name that resolves to loopback
      "http://[::1]/hooks",
      "http://[::ffff:127.0.0.1]/hooks",
      "http://10.1.2.3/hooks",
      "http://172.16.0.9/hooks",
      "http://192.168.1.1/hooks",
      "http://169.254.169.254/latest/meta-data/", // cloud metadata: link-local
      "http://[fe80::1]/hooks",
      "http://[fd00::1]/hooks",
      "http://0.0.0.0/hooks",
      "http://100.64.0.1/hooks",
      "http://2130706433/hooks", // 127.0.0.1 as one number
    ];
    for (const url of refused) {
      const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token, body: { url, events: ["api_key.leaked"] } });
      expect(r.status, url).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(r.body.error.message, url).toContain("TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true");
      expect(r.body.error.params[0].path).toBe("url");
    }
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks).toEqual([]);

    const { webhook } = await createWebhookFx(team, { url: PUBLIC_URL });
    const r = await call("PATCH", `${WEBHOOKS}/${webhook.id}`, { token: team.owner.token, body: { url: `http://localhost:${port}/x` } });
    expect(r.status).toBe(400);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks[0].url).toBe(PUBLIC_URL);

    // With the setting, the same URL is accepted.
    const ok = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, { app: await webhookApp(), token: team.owner.token, body: { url: refused[1], events: ["api_key.leaked"] } });
    expect(ok.status).toBe(201);
  });

  it("delivery re-checks the address it connects to: a stored URL that resolves to loopback is refused when the setting is off", async () => {
    const team = await createTeamFx();
    for (const host of ["localhost", "127.0.0.1"]) {
      const { webhook, secret } = await createWebhookFx(team, { url: `http://${host}:${receiver.port}/hooks` });
      receiver.secret = secret;
      const id = (await call("POST", `${WEBHOOKS}/${webhook.id}/test`, { token: team.owner.token })).body.id;
      await (await workerFor([team], { allowPrivate: false })).tick();
      const d = await deliveryOf(webhook.id, id);
      expect(d).toMatchObject({ state: "pending", attempts: 1, lastStatus: null });
      expect(d!.lastError).toMatch(/resolves to (127\.0\.0\.1|::1), a loopback address: refused \(set TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true/);
      expect(sentTo(receiver, id)).toHaveLength(0);
    }
  });

  it("redirects are not followed: a 3xx is a failed attempt and its Location gets nothing", async () => {
    const team = await createTeamFx();
    const elsewhere = await Receiver.start();
    const redirector = createServer((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    try {
      const { webhook } = await createWebhookFx(team, { url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/in` });
      const id = (await call("POST", `${WEBHOOKS}/${webhook.id}/test`, { token: team.owner.token })).body.id;
      await (await workerFor([team])).tick();
      expect(await deliveryOf(webhook.id, id)).toMatchObject({ state: "pending", lastStatus: 307, lastError: "HTTP 307: redirects are not followed" });
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      redirector.close();
      await elsewhere.close();
    }
  });

  it("classifies addresses: only public ones pass", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1", "0.0.0.0", "100.127.0.1", "224.0.0.1", "255.255.255.255"]) {
      expect(nonPublicKind(a), a).not.toBeNull();
    }
    for (const a of ["::", "::1", "fe80::abcd", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "2002:c0a8:101::1", "fe80::1%eth0"]) {
      expect(nonPublicKind(a), a).not.toBeNull();
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2001:db8::1"]) {
      expect(nonPublicKind(a), a).toBeNull();
    }
    expect(nonPublicKind("127.0.0.1")).toBe("loopback");
    expect(nonPublicKind("169.254.169.254")).toBe("link-local");
    expect(nonPublicKind("192.168.0.1")).toBe("private");
  });
});

describe("tenancy and roles", () => {
  it("another team's endpoint is 404 on every id route, even to its OWNER; its teamId is 403", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const { webhook } = await createWebhookFx(team);
    for (const [method, path, body] of [
      ["PATCH", `${WEBHOOKS}/${webhook.id}`, { enabled: false }],
      ["DELETE", `${WEBHOOKS}/${webhook.id}`, undefined],
      ["POST", `${WEBHOOKS}/${webhook.id}/test`, undefined],
      ["GET", `${WEBHOOKS}/${webhook.id}/deliveries`, undefined],
    ] as const) {
      const r = await call(method, path, { token: other.owner.token, body });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    // Named with another team's id, even by a member of both: 404.
    await call("POST", `/v1/teams/${other.id}/members`, { token: other.owner.token, body: { email: team.owner.email, role: "OWNER" } });
    expect((await call("GET", `${WEBHOOKS}/${webhook.id}/deliveries?teamId=${other.id}`, { token: team.owner.token })).status).toBe(404);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: other.member.token })).status).toBe(403);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).body.webhooks[0].enabled).toBe(true);
    expect(await outboxOf(team.id)).toEqual({ events: [], deliveries: [] });
  });

  it("OWNER writes; MEMBER and DEVELOPER read (list, deliveries) and cannot write: 403, nothing changes", async () => {
    const team = await createTeamFx();
    const { webhook } = await createWebhookFx(team);
    for (const u of [team.member, team.developer]) {
      expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: u.token })).status).toBe(200);
      expect((await call("GET", `${WEBHOOKS}/${webhook.id}/deliveries`, { token: u.token })).status).toBe(200);
      for (const [method, path, body] of [
        ["POST", `${WEBHOOKS}?teamId=${team.id}`, { url: PUBLIC_URL, events: ["api_key.leaked"] }],
        ["PATCH", `${WEBHOOKS}/${webhook.id}`, { enabled: false }],
        ["DELETE", `${WEBHOOKS}/${webhook.id}`, undefined],
        ["POST", `${WEBHOOKS}/${webhook.id}/test`, undefined],
      ] as const) {
        const r = await call(method, path, { token: u.token, body });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body.error.message).toContain("Only a team OWNER");
      }
    }
    const list = await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.body.webhooks[0].enabled).toBe(true);
    expect(await outboxOf(team.id)).toEqual({ events: [], deliveries: [] });
  });
});

describe("secrets", () => {
  it("the signing secret appears in the create answer only: never in a list, a delivery, an event, the audit log or a log line", async () => {
    const team = await createTeamFx();
    const { webhook, secret } = await createWebhookFx(team, { url: receiver.url }, { app: await webhookApp() });
    receiver.secret = secret;
    const material = secret.slice("whsec_".length);
    const id = (await call("POST", `${WEBHOOKS}/${webhook.id}/test`, { token: team.owner.token })).body.id;
    await (await workerFor([team])).drain();
    const texts = [
      (await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: team.owner.token })).text,
      (await call("GET", `${WEBHOOKS}/${webhook.id}/deliveries`, { token: team.owner.token })).text,
      (await call("PATCH", `${WEBHOOKS}/${webhook.id}`, { token: team.owner.token, body: { description: "x" } })).text,
      (await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token })).text,
      ...sentTo(receiver, id).map((r) => r.body + JSON.stringify(r.headers)),
      ...logLines,
    ];
    const { database } = await getHarness();
    texts.push(JSON.stringify(await database.db.select().from(webhookEvents).where(eq(webhookEvents.teamId, team.id))));
    texts.push(JSON.stringify(await database.db.select().from(auditEvents).where(eq(auditEvents.teamId, team.id))));
    for (const t of texts) expect(t).not.toContain(material);
    expect(sentTo(receiver, id)[0]!.error).toBeNull(); // signed with it all the same
  });

  it("a leaked key's event carries its id, never the key; a Slack URL's path (its token) is never in the audit log or a log line", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const slackPath = "/services/T0000/B0000/" + "s3cr3tT0k3n" + team.id.slice(-6);
    const { webhook } = await createWebhookFx(team, { url: `https://hooks.slack.example.com${slackPath}`, format: "slack" });
    await reportLeak(await leakApp(), key.apiKeyString);
    const { events } = await outboxOf(team.id);
    expect(events.map((e) => e.type)).toEqual(["api_key.leaked"]);
    expect(JSON.stringify(events)).not.toContain(key.apiKeyString.slice(4));
    const { database } = await getHarness();
    const audit = JSON.stringify(await database.db.select().from(auditEvents).where(eq(auditEvents.teamId, team.id)));
    expect(audit).toContain(webhook.id);
    expect(audit).not.toContain(slackPath);
    expect(logLines.join("\n")).not.toContain(slackPath);
  });

  it("an event is written only for the team whose key it is (no event of one team reaches another's endpoint)", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    await createWebhookFx(other);
    const { database } = await getHarness();
    await database.db.transaction((tx) =>
      enqueueEvent(tx, { teamId: team.id, type: "api_key.leaked", data: { keyId: "key_a", name: "a", source: "compromised_secret", url: null }, at: Date.now() }),
    );
    expect(await outboxOf(other.id)).toEqual({ events: [], deliveries: [] });
  });
});
