import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call } from "../helpers/harness.js";
import { keyRow, leakApp, leakEvents, otherInstance, report, untilStatus } from "./helpers.js";

describe("POST /external/compromised_secret: a real key", () => {
  it("202 received; the key is leaked at once, shown as leaked, with one audit event for its team", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { name: "ci-key" });
    const app = await leakApp();
    const before = Date.now();

    const r = await report(app, key.apiKeyString);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: "received" });

    const row = await keyRow(key.apiKey.id);
    expect(row.leakedAt).toBeGreaterThanOrEqual(before);
    expect(row.leakedAt).toBeLessThanOrEqual(Date.now());
    expect(row.leakedUrl).toBeNull();
    expect(row.deletedAt).toBeNull();

    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.member.token });
    expect(got.status).toBe(200);
    expect(got.body.apiKey).toMatchObject({ status: "leaked", leakedAt: row.leakedAt, leakedUrl: null });

    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.developer.token });
    expect(list.body.apiKeys.find((k: { id: string }) => k.id === key.apiKey.id)?.status).toBe("leaked");

    const events = await leakEvents(key.apiKey.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      teamId: team.id,
      actorType: "external",
      actorId: "compromised_secret",
      action: "api_key.leak",
      targetType: "api_key",
      targetId: key.apiKey.id,
      createdAt: row.leakedAt,
      data: { name: "ci-key", source: "compromised_secret", url: null },
    });
    expect(events[0]!.id).toMatch(/^evt_/);
    expect(JSON.stringify(events[0])).not.toContain(key.apiKeyString);

    // The team sees it in its audit log.
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token });
    expect(log.status).toBe(200);
    expect(log.body.events.find((e: { action: string }) => e.action === "api_key.leak")).toMatchObject({
      id: events[0]!.id,
      actor: { type: "external", id: "compromised_secret" },
      target: { type: "api_key", id: key.apiKey.id },
    });
    expect(log.text).not.toContain(key.apiKeyString);
  });

  it("is seen by every instance: reported through one app, leaked through another on the same database", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    expect((await report(await leakApp(), key.apiKeyString)).status).toBe(202);
    const other = await leakApp();
    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token, app: other });
    expect(got.body.apiKey.status).toBe("leaked");
  });

  it("is refused by authorize at once, on this instance and on another one that had the key cached", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const app = await leakApp();
    const other = await otherInstance();
    try {
      // Both instances have authorized the key, so both hold it in their caches.
      expect((await authorize(key.apiKeyString, undefined, app)).status).toBe(200);
      expect((await authorize(key.apiKeyString, undefined, other.app)).status).toBe(200);

      expect((await report(app, key.apiKeyString)).status).toBe(202);

      const here = await authorize(key.apiKeyString, undefined, app);
      expect(here.status).toBe(401);
      expect(here.body.error.code).toBe("unauthorized");
      // The other instance hears of it through the database's change notifications.
      expect(await untilStatus(() => authorize(key.apiKeyString, undefined, other.app), 401)).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("a key reported again keeps its first leakedAt, and gets no second audit event", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const clock = new ManualClock(Date.now());
    const app = await leakApp({}, clock);
    const first = clock.now();

    expect((await report(app, key.apiKeyString)).status).toBe(202);
    clock.advance(3_600_000);
    const again = await report(app, key.apiKeyString);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ status: "received" });

    expect((await keyRow(key.apiKey.id)).leakedAt).toBe(first);
    expect(await leakEvents(key.apiKey.id)).toHaveLength(1);
  });

  it("a deleted key is not resurrected: it stays deleted, not leaked, and no event is written", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const del = await call("DELETE", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
    expect(del.status).toBe(204);

    const r = await report(await leakApp(), key.apiKeyString);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: "received" });

    const row = await keyRow(key.apiKey.id);
    expect(row.deletedAt).not.toBeNull();
    expect(row.leakedAt).toBeNull();
    expect((await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token })).status).toBe(404);
    expect(await leakEvents(key.apiKey.id)).toHaveLength(0);
  });

  it("a leaked key wins over other statuses: a deactivated-looking or expiring key becomes leaked too", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { expiresAt: Date.now() + 60_000 });
    expect((await report(await leakApp(), key.apiKeyString)).status).toBe(202);
    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.status).toBe("leaked");
  });

  it("surrounding whitespace (a pasted key with a newline) is ignored", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    expect((await report(await leakApp(), `  ${key.apiKeyString}\n`)).status).toBe(202);
    expect((await keyRow(key.apiKey.id)).leakedAt).not.toBeNull();
  });

  it("only the reported key is touched: the team's other keys stay active", async () => {
    const team = await createTeamFx();
    const [leaked, kept] = [await createKeyFx(team), await createKeyFx(team)];
    await report(await leakApp(), leaked.apiKeyString);
    expect((await keyRow(leaked.apiKey.id)).leakedAt).not.toBeNull();
    const got = await call("GET", `/v1/api-keys/${kept.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey).toMatchObject({ status: "active", leakedAt: null });
  });

  it("needs no authentication (a bearer token, valid or not, changes nothing)", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const r = await call("POST", "/external/compromised_secret", {
      app: await leakApp(),
      token: "garbage",
      body: { secret: { api_key: key.apiKeyString } },
    });
    expect(r.status).toBe(202);
    expect((await keyRow(key.apiKey.id)).leakedAt).not.toBeNull();
  });
});
