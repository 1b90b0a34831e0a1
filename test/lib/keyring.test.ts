import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../src/config.js";
import { Keyring, KeyringError, loadKeyring, parseEncryptionKeys } from "../../src/lib/keyring.js";

const K1 = "k1:" + Buffer.alloc(32, 1).toString("base64");
const K2 = "k2:" + Buffer.alloc(32, 2).toString("hex");

describe("keyring", () => {
  it("seals and opens with the same additional data, and names the key that sealed", () => {
    const ring = new Keyring(parseEncryptionKeys(`${K2},${K1}`));
    const sealed = ring.seal("sk-secret", "byok:team_a:cred_1");
    expect(sealed).not.toContain("sk-secret");
    expect(Keyring.keyIdOf(sealed)).toBe("k2");
    expect(ring.open(sealed, "byok:team_a:cred_1")).toBe("sk-secret");
  });

  it("a fresh IV for every value: the same plaintext sealed twice gives different IVs and ciphertexts, both opening", () => {
    const ring = new Keyring(parseEncryptionKeys(K1));
    const a = ring.seal("sk-secret", "byok:team_a:cred_1");
    const b = ring.seal("sk-secret", "byok:team_a:cred_1");
    expect(a).not.toBe(b);
    const [, , ivA, bodyA] = a.split(".");
    const [, , ivB, bodyB] = b.split(".");
    expect(ivA).not.toBe(ivB);
    expect(bodyA).not.toBe(bodyB);
    expect([ring.open(a, "byok:team_a:cred_1"), ring.open(b, "byok:team_a:cred_1")]).toEqual(["sk-secret", "sk-secret"]);
    // 96 random bits each: no IV repeats, and none is all zeros.
    const ivs = Array.from({ length: 200 }, () => ring.seal("x", "aad").split(".")[2]!);
    expect(new Set(ivs).size).toBe(200);
    for (const iv of ivs) expect(Buffer.from(iv, "base64url")).toHaveLength(12);
    expect(ivs).not.toContain(Buffer.alloc(12).toString("base64url"));
  });

  it("refuses other additional data (a ciphertext moved to another row or team)", () => {
    const ring = new Keyring(parseEncryptionKeys(K1));
    const sealed = ring.seal("sk-secret", "byok:team_a:cred_1");
    expect(() => ring.open(sealed, "byok:team_b:cred_1")).toThrow(KeyringError);
    expect(() => ring.open(sealed, "byok:team_a:cred_2")).toThrow(/cannot be decrypted/);
  });

  it("reads with an older key, and says which key is missing", () => {
    const old = new Keyring(parseEncryptionKeys(K1));
    const sealed = old.seal("x", "aad");
    expect(new Keyring(parseEncryptionKeys(`${K2},${K1}`)).open(sealed, "aad")).toBe("x");
    expect(() => new Keyring(parseEncryptionKeys(K2)).open(sealed, "aad")).toThrow(/key id "k1".*does not hold/);
  });

  it("reports a wrong key with the same id in words", () => {
    const sealed = new Keyring(parseEncryptionKeys(K1)).seal("x", "aad");
    const wrong = new Keyring(parseEncryptionKeys("k1:" + Buffer.alloc(32, 9).toString("base64")));
    expect(() => wrong.open(sealed, "aad")).toThrow(/not the one that encrypted it/);
  });

  it("refuses tampered and malformed values", () => {
    const ring = new Keyring(parseEncryptionKeys(K1));
    const parts = ring.seal("hello", "aad").split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    expect(() => ring.open([...parts.slice(0, 3), body.toString("base64url")].join("."), "aad")).toThrow(KeyringError);
    expect(() => ring.open("not sealed", "aad")).toThrow(/malformed/);
  });

  it("validates TOLLGATE_ENCRYPTION_KEY at start", () => {
    expect(() => loadConfig({ TOLLGATE_ENCRYPTION_KEY: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ TOLLGATE_ENCRYPTION_KEY: `${K1},${K1}` })).toThrow(/two keys have the id/);
    expect(loadConfig({ TOLLGATE_ENCRYPTION_KEY: `${K2},${K1}` }).encryptionKeys?.map((k) => k.id)).toEqual(["k2", "k1"]);
  });

  it("generates a key into the data dir with mode 0600 on the embedded database, and reads it back", () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-keyring-"));
    const first = loadKeyring({ configured: null, databaseKind: "pglite", dataDir: dir });
    expect(first.source).toMatchObject({ kind: "data-dir", generated: true });
    expect(statSync(join(dir, "encryption.key")).mode & 0o777).toBe(0o600);
    const sealed = first.keyring!.seal("v", "aad");
    const again = loadKeyring({ configured: null, databaseKind: "pglite", dataDir: dir });
    expect(again.source).toMatchObject({ kind: "data-dir", generated: false });
    expect(again.keyring!.open(sealed, "aad")).toBe("v");
    expect(readFileSync(join(dir, "encryption.key"), "utf8")).toMatch(/^[0-9a-f]{8}:/);
  });

  it("has no key on Postgres unless one is configured", () => {
    expect(loadKeyring({ configured: null, databaseKind: "postgres", dataDir: "/nonexistent" })).toEqual({ keyring: null, source: { kind: "none" } });
  });
});
