import { hkdfSync } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client.js";
import { bearer } from "./auth.js";
import { idempotencyKeys } from "../db/schema.js";
import { Keyring, KeyringError } from "../lib/keyring.js";
import { sha256Hex } from "../lib/secrets.js";
import type { AppEnv } from "./context.js";
import { ApiError, badRequest } from "./errors.js";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Expired rows are purged at most this often per instance (one indexed delete). */
const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

/** Removes every idempotency row past its 24 h window; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: number): Promise<number> {
  const gone = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_TTL_MS))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}

/**
 * The saved answer of a write can hold a secret shown once (a key's `apiKeyString`, a token's
 * `bearerToken`), so it is stored encrypted (AES-256-GCM) under a key derived (HKDF-SHA256) from
 * the bearer credential that made the request, which the database never holds: only the same
 * credential can replay it, and a copy of the database reveals nothing.
 */
function replayKeyring(credential: string, principal: string, key: string): Keyring {
  const material = Buffer.from(hkdfSync("sha256", credential, "tollgate-idempotency-v1", `${principal}\n${key}`, 32));
  return new Keyring([{ id: "replay", key: material }]);
}

const bearerCredential = (header: string | undefined): string => bearer(header) ?? "";

/**
 * `Idempotency-Key` for writes, per principal (token). The first request claims the key with a
 * pending row; a successful (2xx) response is stored (encrypted, see replayKeyring) and replayed
 * for the same key and body within 24 h. The same key with another body is 422; a request
 * arriving while the first is still running is 409. A failed first attempt releases the key so
 * the client can retry. Rows past 24 h are purged.
 */
export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined || c.req.method === "GET" || c.req.method === "HEAD") return next();
  if (key.length < 1 || key.length > 255) {
    throw badRequest("Idempotency-Key must be 1 to 255 characters.", [
      { path: "Idempotency-Key", message: "must be 1 to 255 characters" },
    ]);
  }
  const { db, clock } = c.get("deps");
  const principal = c.get("principal").id;
  const url = new URL(c.req.url);
  const requestHash = sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`);
  const now = clock.now();
  const aad = `idempotency:${principal}:${key}:${requestHash}`;
  if (now - lastPurge >= PURGE_EVERY_MS) {
    lastPurge = now;
    purgeExpiredIdempotencyKeys(db, now).catch(() => {
      lastPurge = 0; // try again on the next write
    });
  }

  // Forget keys past their 24 h window, then claim this one.
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.principal, principal),
        eq(idempotencyKeys.key, key),
        lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_TTL_MS),
      ),
    );
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ principal, key, requestHash, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });

  if (claimed.length === 0) {
    const [prior] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)))
      .limit(1);
    if (!prior) throw new ApiError("idempotency_key_in_use", "Retry: a request with this Idempotency-Key just finished.");
    if (prior.requestHash !== requestHash) {
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used with a different request.");
    }
    if (prior.status === null) {
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.");
    }
    let body: string | null = null;
    if (prior.status !== 204 && prior.body !== null) {
      try {
        body = replayKeyring(bearerCredential(c.req.header("authorization")), principal, key).open(prior.body, aad);
      } catch (err) {
        if (!(err instanceof KeyringError)) throw err;
        throw new ApiError("idempotency_key_in_use", "This Idempotency-Key was used with another credential of yours: use a new key.");
      }
    }
    return new Response(body, {
      status: prior.status,
      headers: { "content-type": "application/json", "idempotent-replayed": "true" },
    });
  }

  await next();
  const where = and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key));
  const status = c.res.status;
  if (status >= 200 && status < 300) {
    const body =
      status === 204 ? null : replayKeyring(bearerCredential(c.req.header("authorization")), principal, key).seal(await c.res.clone().text(), aad);
    await db.update(idempotencyKeys).set({ status, body }).where(where);
  } else {
    await db.delete(idempotencyKeys).where(where);
  }
};
