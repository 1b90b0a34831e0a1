import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { githubSigner } from "./helpers.js";

const signer = githubSigner("k1");
const doc = JSON.stringify({ public_keys: [{ key_identifier: "k1", key: signer.pem, is_current: true }] });

describe("config: leaked-key settings", () => {
  it("defaults: 60 reports a minute, proxy not trusted, GitHub scanning off", () => {
    const c = loadConfig({});
    expect(c.compromisedRateLimitPerMinute).toBe(60);
    expect(c.trustProxy).toBe(false);
    expect(c.githubSecretScanningKeys).toBeNull();
  });

  it("TOLLGATE_TRUST_PROXY is true or false", () => {
    expect(loadConfig({ TOLLGATE_TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ TOLLGATE_TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(() => loadConfig({ TOLLGATE_TRUST_PROXY: "yes" })).toThrow(/TOLLGATE_TRUST_PROXY: must be true or false/);
  });

  it("TOLLGATE_COMPROMISED_RATE_LIMIT must be a positive integer", () => {
    expect(loadConfig({ TOLLGATE_COMPROMISED_RATE_LIMIT: "5" }).compromisedRateLimitPerMinute).toBe(5);
    expect(() => loadConfig({ TOLLGATE_COMPROMISED_RATE_LIMIT: "0" })).toThrow(/TOLLGATE_COMPROMISED_RATE_LIMIT/);
  });

  it("TOLLGATE_GITHUB_SECRET_SCANNING_KEYS takes GitHub's JSON document inline", () => {
    expect(loadConfig({ TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: doc }).githubSecretScanningKeys).toEqual([
      { keyIdentifier: "k1", key: signer.pem },
    ]);
  });

  it("…or the path of a file holding it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tg-gh-")), "keys.json");
    writeFileSync(file, doc);
    expect(loadConfig({ TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: file }).githubSecretScanningKeys).toHaveLength(1);
  });

  it.each([
    ["a missing file", "/nonexistent/gh-keys.json", /cannot read the file "\/nonexistent\/gh-keys.json" \(ENOENT\)/],
    ["invalid JSON", "{public_keys", /invalid JSON/],
    ["the wrong shape", '{"keys": []}', /"public_keys" array/],
    ["no keys", '{"public_keys": []}', /"public_keys" is empty/],
    ["a key that is not P-256", JSON.stringify({ public_keys: [{ key_identifier: "a", key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }] }), /P-256/],
  ])("stops the start with a message naming the variable: %s", (_label, value, message) => {
    let err: unknown;
    try {
      loadConfig({ TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: /);
    expect((err as Error).message).toMatch(message);
  });
});
