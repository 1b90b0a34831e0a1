import { createPublicKey, verify, type KeyObject } from "node:crypto";

/**
 * Verification of GitHub secret scanning partner program requests.
 *
 * GitHub POSTs a JSON body with
 *   GITHUB-PUBLIC-KEY-IDENTIFIER: <key id>
 *   GITHUB-PUBLIC-KEY-SIGNATURE:  base64(ASN.1 DER ECDSA P-256/SHA-256 signature over the raw body bytes)
 * and publishes its verification keys at {@link GITHUB_SECRET_SCANNING_KEYS_URL} as
 *   { "public_keys": [{ "key_identifier": "...", "key": "-----BEGIN PUBLIC KEY-----...", "is_current": true }] }
 *
 * Verify the *raw* bytes as received: re-serialising parsed JSON changes them.
 */

export const GITHUB_KEY_IDENTIFIER_HEADER = "github-public-key-identifier";
export const GITHUB_KEY_SIGNATURE_HEADER = "github-public-key-signature";
export const GITHUB_SECRET_SCANNING_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";

export type GithubPublicKey = { keyIdentifier: string; key: string /* PEM (SPKI) */ };

/** A DER ECDSA P-256 signature is at most 72 bytes (SEQUENCE of two ≤33-byte INTEGERs). */
const MAX_DER_SIGNATURE_BYTES = 72;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

// ---------------------------------------------------------------------------
// Key cache: PEM -> KeyObject (or null if the PEM is unusable). Bounded so a
// caller feeding many distinct PEMs cannot grow memory without limit.
const KEY_CACHE_MAX = 64;
const keyCache = new Map<string, KeyObject | null>();

function loadP256Key(pem: string): KeyObject | null {
  const cached = keyCache.get(pem);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    const k = createPublicKey({ key: pem, format: "pem" });
    key = k.asymmetricKeyType === "ec" && k.asymmetricKeyDetails?.namedCurve === "prime256v1" ? k : null;
  } catch {
    key = null;
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(pem, key);
  return key;
}

/** Decode strict, canonical standard base64; null if malformed. */
function decodeBase64(s: string): Buffer | null {
  if (s.length === 0 || s.length % 4 !== 0 || !BASE64_RE.test(s)) return null;
  const bytes = Buffer.from(s, "base64");
  // Reject non-canonical encodings (non-zero padding bits).
  if (bytes.toString("base64") !== s) return null;
  return bytes;
}

// ---------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parse GitHub's public key document (`{ public_keys: [{ key_identifier, key, is_current }] }`).
 * All listed keys are returned, current or not: requests signed shortly before
 * a rotation may still use a non-current key.
 *
 * @throws Error with a descriptive message if the JSON is malformed, the shape
 *   is wrong, or a key is not a PEM ECDSA P-256 public key.
 */
export function parseGithubPublicKeys(json: string): GithubPublicKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new Error(`GitHub public keys: invalid JSON (${(err as Error).message})`);
  }
  if (!isRecord(doc) || !Array.isArray(doc.public_keys)) {
    throw new Error('GitHub public keys: expected an object with a "public_keys" array');
  }
  return doc.public_keys.map((entry: unknown, i: number): GithubPublicKey => {
    const where = `GitHub public keys: public_keys[${i}]`;
    if (!isRecord(entry)) throw new Error(`${where} must be an object`);
    const { key_identifier: keyIdentifier, key } = entry;
    if (typeof keyIdentifier !== "string" || keyIdentifier.length === 0) {
      throw new Error(`${where}.key_identifier must be a non-empty string`);
    }
    if (typeof key !== "string" || !key.includes("-----BEGIN PUBLIC KEY-----")) {
      throw new Error(`${where}.key must be a PEM public key ("-----BEGIN PUBLIC KEY-----")`);
    }
    if (loadP256Key(key) === null) {
      throw new Error(`${where}.key is not a valid PEM ECDSA P-256 public key`);
    }
    return { keyIdentifier, key };
  });
}

/**
 * Verify a GitHub secret scanning request signature.
 *
 * Returns true only if `signatureB64` is a valid DER ECDSA P-256/SHA-256
 * signature over `rawBody` by a key in `keys` with identifier `keyIdentifier`.
 * Never throws: a missing header, unknown key id, malformed base64/DER,
 * malformed PEM or a wrong signature all yield false.
 *
 * @param rawBody the request body exactly as received. Prefer bytes; a string
 *   is encoded as UTF-8.
 */
export function verifyGithubSignature(
  rawBody: string | Uint8Array,
  keyIdentifier: string | undefined,
  signatureB64: string | undefined,
  keys: readonly GithubPublicKey[],
): boolean {
  try {
    if (typeof keyIdentifier !== "string" || keyIdentifier.length === 0) return false;
    if (typeof signatureB64 !== "string") return false;
    const signature = decodeBase64(signatureB64.trim());
    if (signature === null || signature.length > MAX_DER_SIGNATURE_BYTES) return false;
    const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody;
    for (const k of keys) {
      if (k.keyIdentifier !== keyIdentifier) continue;
      const key = loadP256Key(k.key);
      if (key === null) continue;
      try {
        if (verify("sha256", body, { key, dsaEncoding: "der" }, signature)) return true;
      } catch {
        // Malformed DER etc.: treat as not verified, try any other key with this id.
      }
    }
    return false;
  } catch {
    return false;
  }
}

/** For tests: drop cached KeyObjects. */
export function clearGithubKeyCache(): void {
  keyCache.clear();
}
