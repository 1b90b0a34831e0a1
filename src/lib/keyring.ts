import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createCipheriv, createDecipheriv, hash, randomBytes } from "node:crypto";
import { join } from "node:path";

/**
 * Encryption at rest for every secret Tollgate must be able to read back (BYOK credentials, OIDC
 * signing keys, the saved answers of idempotent creations): AES-256-GCM with additional
 * authenticated data binding a ciphertext to its row, and the id of the key that wrote it.
 *
 * `TOLLGATE_ENCRYPTION_KEY` holds one or more keys, newest first, separated by commas. A key is
 * 32 bytes written as base64 (44 characters) or hex (64), optionally preceded by its id and a
 * colon (`k2:BASE64`); without an id, the id is the first 8 hex digits of the key's SHA-256.
 * New writes use the first key; reads use whichever key the ciphertext names, so an old key can be
 * retired once everything has been re-encrypted with the newest one.
 *
 * A sealed value is the text `tg1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts).
 */
export type EncryptionKey = { id: string; key: Buffer };

/** A sealed value that cannot be opened: a missing key, a wrong key, or tampered data. */
export class KeyringError extends Error {
  constructor(
    message: string,
    readonly reason: "unknown_key" | "cannot_decrypt" | "malformed",
  ) {
    super(message);
  }
}

const KEY_ID_RE = /^[A-Za-z0-9_-]{1,32}$/;

function keyId(key: Buffer): string {
  return hash("sha256", key, "hex").slice(0, 8);
}

/** Parses one key (`[id:]base64-or-hex`); throws an Error whose message names what is wrong. */
function parseKey(text: string, index: number): EncryptionKey {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const id = colon >= 0 ? trimmed.slice(0, colon) : undefined;
  const material = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  if (id !== undefined && !KEY_ID_RE.test(id)) {
    throw new Error(`key ${index + 1}: its id "${id}" must be 1-32 letters, digits, "-" or "_"`);
  }
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(material)) key = Buffer.from(material, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(material)) key = Buffer.from(material.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) {
    throw new Error(`key ${index + 1} must be 32 bytes as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32`);
  }
  return { id: id ?? keyId(key), key };
}

/** Parses `TOLLGATE_ENCRYPTION_KEY`; throws an Error with a message fit for a start-up error. */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const parts = value.split(",").filter((p) => p.trim() !== "");
  if (parts.length === 0) throw new Error("holds no key");
  const keys = parts.map(parseKey);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.id)) throw new Error(`two keys have the id "${k.id}"`);
    seen.add(k.id);
  }
  return keys;
}

const b64 = (b: Buffer) => b.toString("base64url");

export class Keyring {
  readonly keys: readonly EncryptionKey[];
  private readonly byId: Map<string, Buffer>;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error("a keyring needs at least one key");
    this.keys = keys;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The id of the key new writes use. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Encrypts with the newest key; `aad` (for example `byok:<teamId>:<credentialId>`) must be given again to open it. */
  seal(plaintext: string, aad: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `tg1.${id}.${b64(iv)}.${b64(body)}`;
  }

  /** Decrypts a sealed value; throws KeyringError (never anything else) when it cannot. */
  open(sealed: string, aad: string): string {
    const parts = sealed.split(".");
    if (parts.length !== 4 || parts[0] !== "tg1") throw new KeyringError("The encrypted value is malformed.", "malformed");
    const [, id, ivText, bodyText] = parts as [string, string, string, string];
    const key = this.byId.get(id);
    if (!key) {
      throw new KeyringError(
        `The value was encrypted with key id "${id}", which TOLLGATE_ENCRYPTION_KEY does not hold (it holds ${this.keys.map((k) => `"${k.id}"`).join(", ")}).`,
        "unknown_key",
      );
    }
    const iv = Buffer.from(ivText, "base64url");
    const body = Buffer.from(bodyText, "base64url");
    if (iv.length !== 12 || body.length < 16) throw new KeyringError("The encrypted value is malformed.", "malformed");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
    } catch {
      throw new KeyringError(
        `The value cannot be decrypted with key id "${id}": the key is not the one that encrypted it, or the stored data was altered or moved to another row.`,
        "cannot_decrypt",
      );
    }
  }

  /** The id of the key a sealed value names (undefined when malformed). */
  static keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split(".");
    return parts.length === 4 && parts[0] === "tg1" ? parts[1] : undefined;
  }
}

export const KEY_FILE_NAME = "encryption.key";

export type KeyringSource =
  | { kind: "configured" }
  /** Generated into (or read back from) the embedded database's data dir. */
  | { kind: "data-dir"; path: string; generated: boolean }
  /** An in-memory database: a key for this process only. */
  | { kind: "ephemeral" }
  /** Postgres without TOLLGATE_ENCRYPTION_KEY: features that encrypt answer an error naming the variable. */
  | { kind: "none" };

/**
 * The keyring the server runs with: the configured keys; else, on the embedded database, a key
 * kept in `<dataDir>/encryption.key` (mode 0600, generated on first start); else none.
 */
export function loadKeyring(opts: {
  configured: EncryptionKey[] | null;
  databaseKind: "pglite" | "postgres";
  dataDir: string;
}): { keyring: Keyring | null; source: KeyringSource } {
  if (opts.configured) return { keyring: new Keyring(opts.configured), source: { kind: "configured" } };
  if (opts.databaseKind !== "pglite") return { keyring: null, source: { kind: "none" } };
  if (opts.dataDir.startsWith("memory://")) {
    return { keyring: new Keyring([{ id: "ephemeral", key: randomBytes(32) }]), source: { kind: "ephemeral" } };
  }
  const path = join(opts.dataDir, KEY_FILE_NAME);
  if (existsSync(path)) {
    const text = readFileSync(path, "utf8");
    let keys: EncryptionKey[];
    try {
      keys = parseEncryptionKeys(text);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`);
    }
    return { keyring: new Keyring(keys), source: { kind: "data-dir", path, generated: false } };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${keyId(key)}:${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return { keyring: new Keyring(parseEncryptionKeys(readFileSync(path, "utf8"))), source: { kind: "data-dir", path, generated: true } };
}
