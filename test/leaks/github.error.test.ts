import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { GITHUB, githubCall, githubKeysConfig, githubSigner, keyRow, leakApp, match, unknownKey } from "./helpers.js";

const signer = githubSigner();

/** Signed bodies that are not an array of at most 100 matches: 400, never 500. */
const MALFORMED: [string, string][] = [
  ["not JSON", "{not json"],
  ["an empty body", ""],
  ["JSON null", "null"],
  ["an object instead of an array", JSON.stringify(match("x"))],
  ["an array of strings", JSON.stringify(["tgk_x"])],
  ["a match without token", JSON.stringify([{ type: "tollgate_api_key", url: "u", source: "content" }])],
  ["a match without type", JSON.stringify([{ token: "x", url: "u", source: "content" }])],
  ["a numeric token", JSON.stringify([{ token: 1, type: "t" }])],
  ["a numeric url", JSON.stringify([{ token: "x", type: "t", url: 5 }])],
  ["101 matches", JSON.stringify(Array.from({ length: 101 }, () => match(unknownKey())))],
];

describe("POST /external/github/secret-scanning: malformed signed input", () => {
  it.each(MALFORMED)("%s → 400 bad_request", async (_label, raw) => {
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), raw, signer);
    expect(r.status, r.text).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
  });

  it("a batch over the limit revokes nothing, even its real keys", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const matches = [match(key.apiKeyString), ...Array.from({ length: 100 }, () => match(unknownKey()))];
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), matches, signer);
    expect(r.status).toBe(400);
    expect(r.body.error.params).toEqual([{ path: "", message: expect.stringMatching(/100/) }]);
    expect((await keyRow(key.apiKey.id)).leakedAt).toBeNull();
  });

  it("a signed body over 64 KiB → 413 payload_too_large", async () => {
    const raw = JSON.stringify([{ ...match("x"), url: "https://github.com/" + "a".repeat(70 * 1024) }]);
    const r = await githubCall(await leakApp(githubKeysConfig(signer)), raw, signer);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
  });

  it("GET → 405 with Allow: POST", async () => {
    const r = await call("GET", GITHUB, { app: await leakApp(githubKeysConfig(signer)) });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});
