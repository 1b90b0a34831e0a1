import type { SealedColumn } from "../lib/sealed-columns.js";
import { and, desc, isNull, lt, ne, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Db } from "../db/client.js";
import { oidcSigningKeys } from "../db/schema.js";
import { KeyringError, type Keyring } from "../lib/keyring.js";
import { randomBytes } from "node:crypto";

export const OIDC_ALG = "ES256";
/** Every token Tollgate issues is valid this long. */
export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** A retired key stays published this long after it stopped signing (token lifetime plus clock skew). */
export const RETIRED_KEY_GRACE_MS = TOKEN_TTL_MS + 5 * 60 * 1000;
/** Arbitrary constant for pg_advisory_xact_lock: one key generation or rotation at a time. */
const KEY_LOCK = 7_243_011;

export type KeyRow = typeof oidcSigningKeys.$inferSelect;
export type SigningKey = { kid: string; key: CryptoKey; createdAt: number };

/** The instance has no encryption key, so it cannot store or read a signing key. */
export class SigningUnavailableError extends Error {
  constructor() {
    super(
      "Issuing OIDC tokens needs TOLLGATE_ENCRYPTION_KEY (signing keys are stored encrypted): set it to 32 random bytes as base64 (openssl rand -base64 32) and restart.",
    );
  }
}

const aadOf = (kid: string) => `oidc:${kid}`;

/** The signing keys' sealed private halves, for `npm run keys:reencrypt` and the start-up check. */
export const oidcSealedColumn: SealedColumn = {
  label: "OIDC signing keys",
  table: "oidc_signing_keys",
  key: ["kid"],
  column: "private_jwk_sealed",
  aadColumns: [],
  aad: (row) => aadOf(String(row.kid)),
};

/** Whether a key may have signed a token still live at `now`: signing, or retired less than a token lifetime ago. */
export function isVerifiable(row: Pick<KeyRow, "retiredAt">, now: number): boolean {
  return row.retiredAt === null || row.retiredAt + RETIRED_KEY_GRACE_MS > now;
}

/** Whether a key is published at `now` (JWKS): verifiable and not revoked. */
export function isPublished(row: Pick<KeyRow, "retiredAt" | "revokedAt">, now: number): boolean {
  return row.revokedAt === null && isVerifiable(row, now);
}

/** The published keys (newest first) as a JWKS `keys` array. */
export async function publishedJwks(db: Db, now: number): Promise<JWK[]> {
  const rows = await db.select().from(oidcSigningKeys).orderBy(desc(oidcSigningKeys.createdAt), desc(oidcSigningKeys.kid));
  return rows.filter((r) => isPublished(r, now)).map(publicJwkOf);
}

export function publicJwkOf(row: KeyRow): JWK {
  return { ...(row.publicJwk as JWK), kid: row.kid, alg: row.alg, use: "sig" };
}

/** Inserts a new signing key and retires the others; also drops keys retired past the grace period. */
async function insertKey(tx: Db, keyring: Keyring, now: number): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(OIDC_ALG, { extractable: true });
  const kid = `tg-${now.toString(36)}-${randomBytes(4).toString("hex")}`;
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  await tx.update(oidcSigningKeys).set({ retiredAt: now }).where(isNull(oidcSigningKeys.retiredAt));
  await tx.delete(oidcSigningKeys).where(lt(oidcSigningKeys.retiredAt, now - RETIRED_KEY_GRACE_MS));
  const [row] = await tx
    .insert(oidcSigningKeys)
    .values({
      kid,
      alg: OIDC_ALG,
      publicJwk: { kty, crv, x, y },
      privateJwkSealed: keyring.seal(JSON.stringify(privateJwk), aadOf(kid)),
      createdAt: now,
      retiredAt: null,
    })
    .returning();
  return row!;
}

async function currentRow(db: Db): Promise<KeyRow | undefined> {
  const [row] = await db
    .select()
    .from(oidcSigningKeys)
    .where(isNull(oidcSigningKeys.retiredAt))
    .orderBy(desc(oidcSigningKeys.createdAt), desc(oidcSigningKeys.kid))
    .limit(1);
  return row;
}

/** Private keys already decrypted and imported, by kid. */
const imported = new Map<string, Promise<CryptoKey>>();

function privateKeyOf(row: KeyRow, keyring: Keyring): Promise<CryptoKey> {
  let key = imported.get(row.kid + "\u0000" + row.privateJwkSealed);
  if (!key) {
    key = importJWK(JSON.parse(keyring.open(row.privateJwkSealed, aadOf(row.kid))) as JWK, row.alg) as Promise<CryptoKey>;
    key.catch(() => imported.delete(row.kid + "\u0000" + row.privateJwkSealed));
    imported.set(row.kid + "\u0000" + row.privateJwkSealed, key);
  }
  return key;
}

/**
 * The key that signs now: the newest one not retired, generated when there is none, rotated when
 * it is older than `maxAgeMs`. Generation and rotation are serialized across instances (advisory
 * lock), and re-check under the lock, so two instances never rotate twice for one reason.
 */
export async function signingKey(db: Db, keyring: Keyring | null, now: number, maxAgeMs: number): Promise<SigningKey> {
  if (!keyring) throw new SigningUnavailableError();
  const fresh = (r: KeyRow | undefined): r is KeyRow => r !== undefined && r.createdAt + maxAgeMs > now;
  let row = await currentRow(db);
  if (!fresh(row)) row = await currentOrNew(db, keyring, now, fresh);
  try {
    return { kid: row.kid, key: await privateKeyOf(row, keyring), createdAt: row.createdAt };
  } catch (err) {
    if (!(err instanceof KeyringError)) throw err;
    // Sealed with an encryption key this instance does not hold (a changed TOLLGATE_ENCRYPTION_KEY):
    // a new key takes over. The old public key stays published, so no live token breaks.
    const stuck = row.kid;
    row = await currentOrNew(db, keyring, now, (r): r is KeyRow => r !== undefined && r.kid !== stuck);
    return { kid: row.kid, key: await privateKeyOf(row, keyring), createdAt: row.createdAt };
  }
}

/** Under the key lock: the current key if `keep` accepts it (another instance was first), else a new one. */
function currentOrNew(db: Db, keyring: Keyring, now: number, keep: (r: KeyRow | undefined) => r is KeyRow): Promise<KeyRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK})`);
    const again = await currentRow(tx);
    return keep(again) ? again : insertKey(tx, keyring, now);
  });
}

/** Makes sure a signing key exists (first start); a no-op without an encryption key. */
export async function ensureSigningKey(db: Db, keyring: Keyring | null, now: number, maxAgeMs: number): Promise<void> {
  if (keyring) await signingKey(db, keyring, now, maxAgeMs);
}

/**
 * Rotation by the instance admin (run it in a transaction, with its audit event): a new key signs
 * from now on; the previous ones stay published until every token they signed has expired, or,
 * with `revokePrevious`, are revoked: out of the JWKS at once, and their tokens stop authorizing
 * (the caller publishes the `oidc_keys` change). Returns the new kid, the kids still published
 * besides it, and the kids revoked now.
 */
export async function rotateSigningKey(
  tx: Db,
  keyring: Keyring | null,
  now: number,
  opts: { revokePrevious?: boolean } = {},
): Promise<{ kid: string; retired: string[]; revoked: string[] }> {
  if (!keyring) throw new SigningUnavailableError();
  await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK})`);
  const row = await insertKey(tx, keyring, now);
  const revoked = opts.revokePrevious
    ? (
        await tx
          .update(oidcSigningKeys)
          .set({ revokedAt: now })
          .where(and(ne(oidcSigningKeys.kid, row.kid), isNull(oidcSigningKeys.revokedAt)))
          .returning({ kid: oidcSigningKeys.kid })
      ).map((r) => r.kid)
    : [];
  const others = await tx
    .select({ kid: oidcSigningKeys.kid, retiredAt: oidcSigningKeys.retiredAt, revokedAt: oidcSigningKeys.revokedAt })
    .from(oidcSigningKeys);
  return { kid: row.kid, retired: others.filter((o) => o.kid !== row.kid && isPublished(o, now)).map((o) => o.kid), revoked: revoked.sort() };
}

/**
 * The public keys that may have signed a live token, by kid, imported for verification: revoked
 * ones included (authorize refuses their tokens through the gateway cache; usage still counts them).
 */
export async function loadPublicKeys(db: Db, now: number): Promise<Map<string, CryptoKey>> {
  const rows = await db.select().from(oidcSigningKeys);
  const out = new Map<string, CryptoKey>();
  for (const r of rows) if (isVerifiable(r, now)) out.set(r.kid, (await importJWK(publicJwkOf(r), r.alg)) as CryptoKey);
  return out;
}
