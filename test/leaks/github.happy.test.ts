import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call } from "../helpers/harness.js";
import {
  badChecksum,
  githubCall,
  githubKeysConfig,
  githubSigner,
  keyRow,
  leakApp,
  leakEvents,
  match,
  otherInstance,
  report,
  unknownKey,
  untilStatus,
} from "./helpers.js";

const signer = githubSigner();

describe("POST /external/github/secret-scanning: signed reports", () => {
  it("labels each match, marks the real keys leaked with their url, and audits each", async () => {
    const team = await createTeamFx();
    const [a, b] = [await createKeyFx(team, { name: "a" }), await createKeyFx(team, { name: "b" })];
    const clock = new ManualClock(Date.now());
    const app = await leakApp(githubKeysConfig(signer), clock);
    const matches = [match(a.apiKeyString), match(unknownKey()), match(badChecksum(b.apiKeyString)), match(b.apiKeyString), match("not a key")];

    const r = await githubCall(app, matches, signer);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual(
      matches.map((m, i) => ({
        token_raw: m.token,
        token_type: "tollgate_api_key",
        label: i === 0 || i === 3 ? "true_positive" : "false_positive",
      })),
    );

    for (const [key, m] of [
      [a, matches[0]!],
      [b, matches[3]!],
    ] as const) {
      expect(await keyRow(key.apiKey.id)).toMatchObject({ leakedAt: clock.now(), leakedUrl: m.url });
      const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
      expect(got.body.apiKey).toMatchObject({ status: "leaked", leakedAt: clock.now(), leakedUrl: m.url });
      const events = await leakEvents(key.apiKey.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        teamId: team.id,
        actorType: "external",
        actorId: "github_secret_scanning",
        action: "api_key.leak",
        targetId: key.apiKey.id,
        createdAt: clock.now(),
        data: { name: key.apiKey.name, source: "github_secret_scanning", url: m.url, type: "tollgate_api_key", githubSource: "content" },
      });
      expect(JSON.stringify(events[0])).not.toContain(key.apiKeyString);
    }
  });

  it("the keys it marks are refused by authorize at once, here and on another instance", async () => {
    const team = await createTeamFx();
    const [leaked, kept] = [await createKeyFx(team), await createKeyFx(team)];
    const app = await leakApp(githubKeysConfig(signer));
    const other = await otherInstance();
    try {
      for (const a of [app, other.app]) expect((await authorize(leaked.apiKeyString, undefined, a)).status).toBe(200);
      expect((await githubCall(app, [match(leaked.apiKeyString)], signer)).status).toBe(200);
      expect((await authorize(leaked.apiKeyString, undefined, app)).status).toBe(401);
      expect(await untilStatus(() => authorize(leaked.apiKeyString, undefined, other.app), 401)).toBe(401);
      expect((await authorize(kept.apiKeyString, undefined, app)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("a key already leaked keeps its first leakedAt and leakedUrl, and is still a true positive", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const clock = new ManualClock(Date.now());
    const app = await leakApp(githubKeysConfig(signer), clock);
    expect((await report(app, key.apiKeyString)).status).toBe(202);
    const first = clock.now();
    clock.advance(60_000);

    const r = await githubCall(app, [match(key.apiKeyString)], signer);
    expect(r.body[0].label).toBe("true_positive");
    expect(await keyRow(key.apiKey.id)).toMatchObject({ leakedAt: first, leakedUrl: null });
    expect(await leakEvents(key.apiKey.id)).toHaveLength(1);
  });

  it("a deleted key is a true positive but is not resurrected", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await call("DELETE", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match(key.apiKeyString)], signer);
    expect(r.body[0].label).toBe("true_positive");
    expect(await keyRow(key.apiKey.id)).toMatchObject({ leakedAt: null, leakedUrl: null });
    expect(await leakEvents(key.apiKey.id)).toHaveLength(0);
  });

  it("the same key twice in one request: marked once, with the first url; both labelled", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const [m1, m2] = [match(key.apiKeyString), match(key.apiKeyString)];
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [m1, m2], signer);
    expect(r.body.map((x: { label: string }) => x.label)).toEqual(["true_positive", "true_positive"]);
    expect((await keyRow(key.apiKey.id)).leakedUrl).toBe(m1.url);
    expect(await leakEvents(key.apiKey.id)).toHaveLength(1);
  });

  it("verifies the raw bytes: a pretty-printed body with extra fields GitHub may add is accepted", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const raw = JSON.stringify([{ ...match(key.apiKeyString), url: undefined, source: "commit", extra: { new: "field" } }], null, 2);
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), raw, signer);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual([{ token_raw: key.apiKeyString, token_type: "tollgate_api_key", label: "true_positive" }]);
    expect(await keyRow(key.apiKey.id)).toMatchObject({ leakedUrl: null });
    expect((await leakEvents(key.apiKey.id))[0]!.data).toMatchObject({ githubSource: "commit", url: null });
  });

  it("accepts any configured key (GitHub rotates them): an older key's signature still verifies", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const old = githubSigner("old-key");
    const r = await githubCall(await leakApp(githubKeysConfig(old, signer)), [match(key.apiKeyString)], old);
    expect(r.status).toBe(200);
    expect(r.body[0].label).toBe("true_positive");
  });

  it("an empty batch → 200 []", async () => {
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [], signer);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
  });

  it("accepts 100 matches in one request", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const matches = [match(key.apiKeyString), ...Array.from({ length: 99 }, () => match(unknownKey()))];
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), matches, signer);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(100);
    expect(r.body.filter((x: { label: string }) => x.label === "true_positive")).toHaveLength(1);
  });
});
