import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { GITHUB, githubCall, githubKeysConfig, githubSigner, keyRow, leakApp, leakEvents, match, signRaw } from "./helpers.js";

const signer = githubSigner();
const stranger = githubSigner(signer.keyIdentifier); // same id, another key: what a forger would try

async function liveKey() {
  const team = await createTeamFx();
  return createKeyFx(team);
}

async function expectUntouched(keyId: string) {
  expect(await keyRow(keyId)).toMatchObject({ leakedAt: null, leakedUrl: null });
  expect(await leakEvents(keyId)).toHaveLength(0);
}

describe("POST /external/github/secret-scanning: signature", () => {
  it("unsigned → 401 unauthorized, nothing revoked", async () => {
    const key = await liveKey();
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match(key.apiKeyString)], null);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
    await expectUntouched(key.apiKey.id);
  });

  it("signed by another key under the same identifier → 401, nothing revoked", async () => {
    const key = await liveKey();
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match(key.apiKeyString)], stranger);
    expect(r.status).toBe(401);
    await expectUntouched(key.apiKey.id);
  });

  it("an unknown key identifier → 401", async () => {
    const key = await liveKey();
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match(key.apiKeyString)], githubSigner("unknown-id"));
    expect(r.status).toBe(401);
    await expectUntouched(key.apiKey.id);
  });

  it("a valid signature of another body (replayed onto a new body) → 401, nothing revoked", async () => {
    const key = await liveKey();
    const signedBody = JSON.stringify([match("harmless")]);
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match(key.apiKeyString)], null, {
      "github-public-key-identifier": signer.keyIdentifier,
      "github-public-key-signature": signRaw(signedBody, signer),
    });
    expect(r.status).toBe(401);
    await expectUntouched(key.apiKey.id);
  });

  it("a re-serialised body (same JSON, other bytes) does not verify", async () => {
    const key = await liveKey();
    const matches = [match(key.apiKeyString)];
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), JSON.stringify(matches, null, 1), null, {
      "github-public-key-identifier": signer.keyIdentifier,
      "github-public-key-signature": signRaw(JSON.stringify(matches), signer),
    });
    expect(r.status).toBe(401);
    await expectUntouched(key.apiKey.id);
  });

  it.each([
    ["garbage", "!!!"],
    ["empty", ""],
    ["a truncated signature", "MEUCIQ"],
  ])("a malformed signature (%s) → 401", async (_label, signature) => {
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), [match("x")], null, {
      "github-public-key-identifier": signer.keyIdentifier,
      "github-public-key-signature": signature,
    });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
  });

  it("the signature is checked before the body is parsed: an unsigned malformed body is 401, not 400", async () => {
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), "{not json", null);
    expect(r.status).toBe(401);
  });

  it("not configured (TOLLGATE_GITHUB_SECRET_SCANNING_KEYS unset) → 404 not_found, even when signed", async () => {
    const key = await liveKey();
    const app = await leakApp({ githubSecretScanningKeys: null });
    const r = await githubCall(app, [match(key.apiKeyString)], signer);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
    await expectUntouched(key.apiKey.id);
    // The default test app has no keys configured either.
    expect((await call("POST", GITHUB, { body: [] })).status).toBe(404);
  });
});
