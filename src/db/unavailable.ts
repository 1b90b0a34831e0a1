/**
 * Errors that mean "the database is not reachable right now" (as opposed to a bad statement):
 * answered 503 `service_unavailable` with `Retry-After`, never 500. postgres-js raises them raw on
 * the usage path and drizzle wraps them in `DrizzleQueryError` (`.cause`) elsewhere, so the cause
 * chain is walked.
 */
const UNAVAILABLE_CODES = new Set([
  // postgres-js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // Node sockets
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // Tollgate's own deadline on a database write (see `DatabaseTimeout`)
  "DB_DEADLINE",
  // The embedded database's thread stopped (see `EmbeddedDatabaseStopped`)
  "EMBEDDED_DB_STOPPED",
]);

/** Errors postgres-js may hand back right after reconnecting (an old connection's last word): worth one immediate retry. */
const REPLAYED_CODES = new Set(["CONNECTION_CLOSED", "ECONNRESET", "EPIPE", "57P01", "57P02", "57P03"]);

/** A database call that did not finish within its deadline (the connection may be silently dead). */
export class DatabaseTimeout extends Error {
  readonly code = "DB_DEADLINE";
  constructor(ms: number) {
    super(`database did not answer within ${ms} ms`);
  }
}

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return code;
    // SQLSTATE class 08: connection exception.
    if (typeof code === "string" && code.length === 5 && code.startsWith("08")) return code;
  }
  return undefined;
}

/** True when `err` (or its cause) says the database is unreachable or going away. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return codeOf(err) !== undefined;
}

/** True for an unavailability error that an immediate retry on a fresh connection may get past. */
export function isReplayedDatabaseError(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && (REPLAYED_CODES.has(code) || code.startsWith("08"));
}

/** Rejects with `DatabaseTimeout` when `work` has not settled within `ms` (the work itself goes on). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeout(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
