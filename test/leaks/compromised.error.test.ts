import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { COMPROMISED, keyRow, leakApp, newIp } from "./helpers.js";

const KEY = "tgk_" + "A".repeat(49);

/** Bodies that are not `{"secret": {"api_key": "<string>"}}`: each is a 4xx envelope, never a 500. */
const MALFORMED: [string, string][] = [
  ["not JSON", "tgk_not json"],
  ["truncated JSON", '{"secret": {"api_key": "tgk_'],
  ["an empty body", ""],
  ["JSON null", "null"],
  ["a JSON array", "[]"],
  ["a bare JSON string", JSON.stringify(KEY)],
  ["a number", "42"],
  ["an empty object", "{}"],
  ["secret as a string", JSON.stringify({ secret: KEY })],
  ["secret null", JSON.stringify({ secret: null })],
  ["secret an array", JSON.stringify({ secret: [KEY] })],
  ["secret without api_key", JSON.stringify({ secret: {} })],
  ["api_key a number", JSON.stringify({ secret: { api_key: 123 } })],
  ["api_key null", JSON.stringify({ secret: { api_key: null } })],
  ["api_key an object", JSON.stringify({ secret: { api_key: { value: KEY } } })],
  ["an unknown field in secret", JSON.stringify({ secret: { api_key: KEY, url: "https://x" } })],
  ["an unknown top-level field", JSON.stringify({ secret: { api_key: KEY }, source: "me" })],
  ["the key at the top level", JSON.stringify({ api_key: KEY })],
  ["deeply nested garbage", "[".repeat(5000) + "]".repeat(5000)],
  ["trailing garbage after the JSON", JSON.stringify({ secret: { api_key: KEY } }) + "x"],
];

describe("POST /external/compromised_secret: malformed input", () => {
  it.each(MALFORMED)("%s → 400 bad_request in the error envelope", async (_label, raw) => {
    const r = await call("POST", COMPROMISED, {
      app: await leakApp(),
      raw,
      headers: { "content-type": "application/json", "x-forwarded-for": newIp() },
    });
    expect(r.status, r.text).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
    expect(typeof r.body.error.message).toBe("string");
  });

  it("names the offending fields in params", async () => {
    const app = await leakApp();
    const missing = await call("POST", COMPROMISED, { app, body: { secret: {} }, headers: { "x-forwarded-for": newIp() } });
    expect(missing.body.error.params).toEqual([{ path: "secret.api_key", message: expect.any(String) }]);
    const unknown = await call("POST", COMPROMISED, {
      app,
      body: { secret: { api_key: KEY, note: "x" } },
      headers: { "x-forwarded-for": newIp() },
    });
    expect(unknown.body.error.params).toEqual([{ path: "secret.note", message: "unknown field" }]);
  });

  it("a well-formed body sent as text/plain → 400 (JSON only), and the key is not touched", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const r = await call("POST", COMPROMISED, {
      app: await leakApp(),
      raw: JSON.stringify({ secret: { api_key: key.apiKeyString } }),
      headers: { "content-type": "text/plain", "x-forwarded-for": newIp() },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
    expect((await keyRow(key.apiKey.id)).leakedAt).toBeNull();
  });

  it("a body over 64 KiB → 413 payload_too_large", async () => {
    const r = await call("POST", COMPROMISED, {
      app: await leakApp(),
      body: { secret: { api_key: "tgk_" + "x".repeat(70 * 1024) } },
      headers: { "x-forwarded-for": newIp() },
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
  });

  it.each(["GET", "PUT", "DELETE"])("%s → 405 with Allow: POST", async (method) => {
    const r = await call(method, COMPROMISED, { app: await leakApp() });
    expect(r.status).toBe(405);
    expect(r.body.error.code).toBe("method_not_allowed");
    expect(r.headers.get("allow")).toBe("POST");
  });
});
