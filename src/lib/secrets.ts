import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import baseX from "base-x";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = baseX(BASE62);

export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

/**
 * Whether a presented string equals a secret, in time that depends only on the secret's length:
 * every character of the secret is compared (no early exit), against the presented string read
 * cyclically, and a length mismatch only sets a bit. Neither the secret's content nor its length
 * can be learned by timing comparisons.
 */
export function equalsSecret(presented: string, secret: string): boolean {
  const n = presented.length;
  if (n === 0 || secret.length === 0) return false;
  let diff = n ^ secret.length;
  for (let i = 0; i < secret.length; i++) diff |= presented.charCodeAt(i % n) ^ secret.charCodeAt(i);
  return diff === 0;
}

/** A configured secret, compared in constant time (`equalsSecret`) with a presented string. */
export function secretMatcher(secret: string | undefined): (presented: string) => boolean {
  if (!secret) return () => false;
  return (presented) => equalsSecret(presented, secret);
}

function toBase62Fixed(n: number, width: number): string {
  let out = "";
  let v = n;
  for (let i = 0; i < width; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** 32 random bytes (256 bits) as base62, always 43 characters (left-padded). */
function randomBase62(): string {
  return base62.encode(randomBytes(32)).padStart(43, "0");
}

const CHECKSUM_LEN = 6;

function checksum(prefix: string, body: string): string {
  return toBase62Fixed(crc32(`${prefix}${body}`), CHECKSUM_LEN);
}

/**
 * A secret of the form `<prefix>_<43 base62 chars><6 base62 chars CRC32 checksum>`.
 * The checksum lets a scanner (or our own endpoints) reject a typo or a random string
 * without a database lookup.
 */
export function generateSecret(prefix: "tgk" | "tgp"): string {
  const body = randomBase62();
  return `${prefix}_${body}${checksum(`${prefix}_`, body)}`;
}

const SECRET_RE = /^(tgk|tgp)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

/** The regular expression secret scanners can use to find Tollgate gateway keys. */
export const GATEWAY_KEY_PATTERN = "tgk_[0-9A-Za-z]{49}";

/** True when the string has the right shape and a valid checksum for the given prefix. */
export function hasValidChecksum(secret: string, prefix: "tgk" | "tgp"): boolean {
  const m = SECRET_RE.exec(secret);
  if (!m || m[1] !== prefix) return false;
  return checksum(`${prefix}_`, m[2]!) === m[3];
}
