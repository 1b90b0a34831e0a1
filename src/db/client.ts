import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql as sqlTag, type SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock.js";
import { RemotePGlite } from "./pglite-remote.js";
import * as schema from "./schema.js";

/** A database handle or a transaction handle: every query function accepts either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Applies drizzle's migrations (serialized across processes on Postgres). */
  migrate(): Promise<void>;
  /**
   * Subscribes to a notification channel. `onStatus(false)` when the listening connection is lost
   * (anything cached from notifications can no longer be trusted), `onStatus(true)` once it
   * listens again. Resolves once listening.
   */
  listen(channel: string, onPayload: (payload: string) => void, onStatus: (listening: boolean) => void): Promise<{ close(): Promise<void> }>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

const dialect = new PgDialect();
/** Per database handle opened here: runs a statement's text with its parameters, prepared. */
const preparedRunners = new WeakMap<object, (text: string, params: unknown[]) => Promise<unknown>>();

/**
 * Runs a raw statement as a prepared statement, so Postgres plans it once per connection rather
 * than on every call (drizzle's `execute` never prepares). For statements on a hot path whose text
 * is constant. Falls back to `db.execute` for a handle not opened here (e.g. a transaction).
 */
export function executePrepared(db: Db, query: SQL): Promise<unknown> {
  const run = preparedRunners.get(db);
  if (!run) return db.execute(query);
  const { sql, params } = dialect.sqlToQuery(query);
  return run(sql, params);
}

/**
 * A hot raw statement whose text is built once: `build` gets its `arity` parameters as
 * placeholders, and each call sends only their values (`executePrepared` builds the SQL on every
 * call, a measurable share of a usage batch). Runs prepared on a handle opened here; on another (a
 * transaction) it is built with the values and executed.
 */
export function preparedStatement(arity: number, build: (...params: SQL[]) => SQL): (db: Db, ...values: unknown[]) => Promise<unknown> {
  let built: { text: string; fixed: unknown[] } | undefined;
  return (db, ...values) => {
    const run = preparedRunners.get(db);
    if (!run) return db.execute(build(...values.map((v) => sqlTag`${v}`)));
    if (built === undefined) {
      const marks = Array.from({ length: arity }, (_, i) => sqlTag.raw(`$__${i + 1}__`));
      const { sql, params } = dialect.sqlToQuery(build(...marks));
      built = { text: sql.replace(/\$__(\d+)__/g, (_, i: string) => `$${params.length + Number(i)}`), fixed: params };
    }
    return run(built.text, built.fixed.length === 0 ? values : [...built.fixed, ...values]);
  };
}

/**
 * A drizzle query (typed rows) prepared per database handle, built on first use, for the reads
 * `executePrepared` would return raw: a hot read's statement is then parsed
 * and planned once per connection, and sent with its parameters in one write (an unprepared one
 * costs postgres-js a second round trip to learn the parameter types).
 */
export function preparedPer<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Db, Q>();
  return (db) => {
    let q = built.get(db);
    if (q === undefined) {
      q = build(db);
      built.set(db, q);
    }
    return q;
  };
}

/** Arbitrary constant for pg_advisory_lock: only one process migrates at a time. */
const MIGRATION_LOCK = 7_243_001;

export type DatabaseOptions = {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  /** Postgres `application_name` of this instance's connections (its listener adds `:listen`). */
  applicationName?: string;
  /**
   * Where the LISTEN connection goes, when not `databaseUrl`: e.g. straight to Postgres while the
   * pool goes through a transaction-mode PgBouncer, which cannot LISTEN.
   */
  listenUrl?: string;
  /**
   * What this process is, written in an embedded data dir's lock (src/db/data-dir-lock.ts) for
   * another process that finds it held: `server` (the default) or the command, e.g. `tollgate migrate`.
   */
  holder?: string;
};

/**
 * `databaseUrl` set: Postgres through postgres-js. Otherwise embedded PGlite in `dataDir`
 * (`memory://` keeps it in memory), locked for this process until `close()`: throws
 * `DataDirLocked` when another process holds it.
 *
 * Postgres is connected to on first use: `migrate()` and `listen()` throw `DatabaseUnreachable`
 * (one line naming the setting) when it cannot be reached or refuses the login or database.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    return openPostgres(opts.databaseUrl, opts.listenUrl ?? opts.databaseUrl, opts.poolSize ?? 10, opts.applicationName ?? "tollgate");
  }
  return openPglite(opts.dataDir ?? "./.tollgate", opts.holder ?? "server");
}

async function openPglite(dataDir: string, holder: string): Promise<Database> {
  let release = () => {};
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir, holder);
  }
  // On its own thread: the HTTP thread only posts statements and reads answers (src/db/pglite-remote.ts).
  let client: RemotePGlite;
  try {
    client = await RemotePGlite.create(dataDir);
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite({ client: client as never, schema }) as unknown as Db;
  preparedRunners.set(db, (text, params) => client.queryPrepared(text, params));
  return {
    db,
    kind: "pglite",
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    listen: async (channel, onPayload, onStatus) => {
      // One in-process database: notifications cannot be lost, the listener is always current.
      const unlisten = await client.listen(channel, onPayload);
      onStatus(true);
      // Unless its thread stops: then nothing it said can be trusted to be current any more.
      client.whenStopped(() => onStatus(false));
      return { close: () => unlisten() };
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * Postgres cannot be reached, or refuses the login or the database: the message is one line
 * naming the setting (`DATABASE_URL`, or `TOLLGATE_LISTEN_DATABASE_URL` for the LISTEN
 * connection), the URL without its password, and what went wrong.
 */
export class DatabaseUnreachable extends Error {}

/** `url` with its password (if any) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a valid URL)";
  }
}

/** What went wrong reaching Postgres, in words; undefined for an error that is not about reaching it. */
function connectionProblem(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
  if (typeof e?.code !== "string") return undefined;
  const where = typeof e.address === "string" ? `${e.address}${e.port !== undefined ? `:${e.port}` : ""}` : undefined;
  switch (e.code) {
    case "ECONNREFUSED":
      return `connection refused${where ? ` at ${where}` : ""} (no Postgres listening on that host and port)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `no such host${typeof e.hostname === "string" ? ` "${e.hostname}"` : ""}`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ECONNRESET":
    case "CONNECT_TIMEOUT":
      return `cannot connect${where ? ` to ${where}` : ""} (${e.code})`;
    case "3D000": // invalid_catalog_name: database "x" does not exist
    case "28000": // invalid_authorization_specification: role does not exist, no pg_hba.conf entry
    case "28P01": // invalid_password
    case "42501": // insufficient_privilege (e.g. no CONNECT on the database)
    case "57P03": // cannot_connect_now: the database system is starting up / shutting down
    case "53300": // too_many_connections
      return String(e.message);
    default:
      return undefined;
  }
}

/** `err` as a `DatabaseUnreachable` naming `setting` when it is about reaching Postgres; else `err`. */
function unreachable(err: unknown, setting: string, url: string): unknown {
  const problem = connectionProblem(err);
  if (problem === undefined) return err;
  return new DatabaseUnreachable(`${setting} (${redactUrl(url)}): ${problem}. Fix ${setting} and try again.`);
}

/**
 * Seconds before a connection of the pool re-opens after a failure. postgres-js's default grows
 * with a failure counter shared by the whole pool (3^n / 100 s, up to 20 s), which every failed
 * connection attempt and the heartbeat push up within a second of an outage: a query then waits
 * on its closed connection for 10-20 s after the database is back. Bounded at 100-200 ms here.
 */
export const reconnectBackoff = (retries: number): number => Math.min(0.01 * 2 ** retries, 0.1) * (1 + Math.random());

/** Seconds a connection attempt may take (postgres-js defaults to 30). */
export const CONNECT_TIMEOUT_S = 2;

async function openPostgres(url: string, listenUrl: string, max: number, applicationName: string): Promise<Database> {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: applicationName },
    backoff: reconnectBackoff,
    connect_timeout: CONNECT_TIMEOUT_S,
  });
  const db = drizzlePg({ client, schema }) as unknown as Db;
  preparedRunners.set(db, (text, params) => client.unsafe(text, params as never[], { prepare: true }));
  return {
    db,
    kind: "postgres",
    migrate: async () => {
      const one = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_S });
      try {
        try {
          await one`select pg_advisory_lock(${MIGRATION_LOCK})`;
        } catch (err) {
          throw unreachable(err, "DATABASE_URL", url);
        }
        await migratePg(drizzlePg({ client: one }), { migrationsFolder: MIGRATIONS_FOLDER });
        await one`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await one.end();
      }
    },
    listen: (channel, onPayload, onStatus) =>
      listenPostgres(listenUrl, `${applicationName}:listen`, channel, onPayload, onStatus).catch((err) => {
        throw unreachable(err, listenUrl === url ? "DATABASE_URL" : "TOLLGATE_LISTEN_DATABASE_URL", listenUrl);
      }),
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * LISTEN on a connection of its own. postgres-js's `listen()` re-listens silently after a drop, so
 * a caller could not tell it missed notifications; here the drop is reported at once
 * (`onStatus(false)`), then the connection is re-opened with backoff and reported again
 * (`onStatus(true)`) only once it listens.
 */
async function listenPostgres(
  url: string,
  applicationName: string,
  channel: string,
  onPayload: (payload: string) => void,
  onStatus: (listening: boolean) => void,
): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let listening = false;
  let reconnecting = false;
  const quoted = '"' + channel.replace(/"/g, '""') + '"';
  const options = {
    max: 1,
    idle_timeout: null,
    max_lifetime: null,
    fetch_types: false,
    backoff: reconnectBackoff,
    connect_timeout: CONNECT_TIMEOUT_S,
    onnotice: () => {},
    connection: { application_name: applicationName },
    onnotify: (c: string, payload: string) => {
      if (c === channel) onPayload(payload);
    },
    onclose: () => {
      if (listening) {
        listening = false;
        onStatus(false);
      }
      if (!closed) void relisten();
    },
  };
  const conn = postgres(url, options as unknown as postgres.Options<Record<string, never>>);
  const listenOnce = async () => {
    await conn.unsafe(`listen ${quoted}`);
    listening = true;
    onStatus(true);
  };
  const relisten = async () => {
    if (reconnecting) return;
    reconnecting = true;
    for (let delay = 25; !closed && !listening; delay = Math.min(delay * 2, 200)) {
      try {
        await listenOnce();
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    reconnecting = false;
  };
  try {
    await listenOnce();
  } catch (err) {
    closed = true; // no retries in the background: the caller is told instead
    await conn.end({ timeout: 0 }).catch(() => {});
    throw err;
  }
  return {
    close: async () => {
      closed = true;
      await conn.end({ timeout: 1 });
    },
  };
}
