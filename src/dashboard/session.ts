import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { and, eq, lte } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { dashboardSessions } from "../db/schema.js";
import type { Deps } from "../http/context.js";
import { Keyring, KeyringError } from "../lib/keyring.js";
import { equalsSecret, sha256Hex } from "../lib/secrets.js";

/** How long a dashboard session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = "tollgate_session";
/** The name of the hidden form field (and of the header) that carries the CSRF token. */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

export type Session = {
  /** The row's id: SHA-256 of the cookie's secret. */
  id: string;
  userId: string;
  tokenId: string;
  /** The personal access token the user signed in with (opened from the row, in memory only). */
  token: string;
  /** The per-session CSRF token every POST must carry. */
  csrf: string;
  expiresAt: number;
};

/**
 * The key that seals a session's token: derived from the cookie's secret, which only the browser
 * holds. The database alone (a backup, a leaked dump) therefore opens no token, and this needs no
 * TOLLGATE_ENCRYPTION_KEY (it works on Postgres without one).
 */
function sessionKeyring(secret: string): Keyring {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "tollgate dashboard session token", 32));
  return new Keyring([{ id: "s", key }]);
}

const csrfOf = (secret: string) => createHmac("sha256", secret).update("tollgate dashboard csrf").digest("base64url");

/** Whether the request came over HTTPS (directly, or as the public URL says). */
function isHttps(c: Context, deps: Pick<Deps, "config">): boolean {
  return new URL(c.req.url).protocol === "https:" || deps.config.publicUrl.startsWith("https:");
}

/** Creates a session for a verified token and sets its cookie. */
export async function startSession(
  c: Context,
  deps: Pick<Deps, "db" | "clock" | "config">,
  who: { userId: string; tokenId: string; token: string; tokenExpiresAt: number | null },
): Promise<void> {
  const secret = randomBytes(32).toString("base64url");
  const id = sha256Hex(secret);
  const now = deps.clock.now();
  const expiresAt = Math.min(now + SESSION_TTL_MS, who.tokenExpiresAt ?? Number.MAX_SAFE_INTEGER);
  // Expired sessions are removed as new ones start (a sign-in is rare enough to carry it).
  await deps.db.delete(dashboardSessions).where(lte(dashboardSessions.expiresAt, now));
  await deps.db.insert(dashboardSessions).values({
    id,
    userId: who.userId,
    tokenId: who.tokenId,
    sealedToken: sessionKeyring(secret).seal(who.token, `dashboard:${id}`),
    createdAt: now,
    expiresAt,
  });
  setCookie(c, SESSION_COOKIE, secret, {
    path: "/dashboard",
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c, deps),
    maxAge: Math.max(1, Math.floor((expiresAt - now) / 1000)),
  });
}

/** The request's session, or null (no cookie, unknown, expired, or its row cannot be opened). */
export async function currentSession(c: Context, deps: Pick<Deps, "db" | "clock">): Promise<Session | null> {
  const secret = getCookie(c, SESSION_COOKIE);
  if (!secret || secret.length > 200) return null;
  const id = sha256Hex(secret);
  const [row] = await deps.db.select().from(dashboardSessions).where(eq(dashboardSessions.id, id)).limit(1);
  if (!row || row.expiresAt <= deps.clock.now()) return null;
  let token: string;
  try {
    token = sessionKeyring(secret).open(row.sealedToken, `dashboard:${id}`);
  } catch (err) {
    if (err instanceof KeyringError) return null;
    throw err;
  }
  return { id, userId: row.userId, tokenId: row.tokenId, token, csrf: csrfOf(secret), expiresAt: row.expiresAt };
}

/** Deletes the session's row and clears its cookie. */
export async function endSession(c: Context, deps: Pick<Deps, "db" | "config">, session: Session | null): Promise<void> {
  if (session) await deps.db.delete(dashboardSessions).where(and(eq(dashboardSessions.id, session.id)));
  deleteCookie(c, SESSION_COOKIE, { path: "/dashboard", httpOnly: true, sameSite: "Strict", secure: isHttps(c, deps) });
}

/** Whether a POST carries the session's CSRF token (form field or header), compared in constant time. */
export function csrfOk(session: Session, presented: string | undefined | null): boolean {
  return typeof presented === "string" && presented.length > 0 && equalsSecret(presented, session.csrf);
}
