import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import type { App } from "../../src/http/context.js";
import { GatewayState, startGatewayState } from "../../src/gateway/state.js";
import { systemClock, type Clock } from "../../src/lib/clock.js";
import { createLogger, type Logger } from "../../src/lib/logger.js";
import { Keyring, parseEncryptionKeys } from "../../src/lib/keyring.js";
import type { RateLimits } from "../../src/ratelimit/limits.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789";
export const GATEWAY_TOKEN = "test-gateway-token-0123456789";
/** The tests' encryption key (TOLLGATE_ENCRYPTION_KEY), id "test1". */
export const ENCRYPTION_KEY = "test1:" + Buffer.alloc(32, 7).toString("base64");

/** Every log line any test app wrote (asserted on by the "no secret in a log" tests). */
export const logLines: string[] = [];

export type Harness = {
  database: Database;
  config: Config;
  app: App;
  gateway: GatewayState;
  keyring: Keyring;
  /** Another app on the same database, e.g. with a manual clock. */
  makeApp(opts?: { clock?: Clock; config?: Partial<Config>; log?: Logger; keyring?: Keyring | null; rateLimits?: RateLimits }): App;
};

let harness: Promise<Harness> | undefined;

/**
 * The worker's shared app and database: Postgres when DATABASE_URL is set (migrated under an
 * advisory lock), otherwise an in-memory PGlite migrated once per worker.
 */
export function getHarness(): Promise<Harness> {
  harness ??= (async () => {
    const url = process.env.DATABASE_URL || undefined;
    const database = await openDatabase(url ? { databaseUrl: url, poolSize: 5 } : { dataDir: "memory://" });
    await database.migrate();
    const config = loadConfig({
      TOLLGATE_ADMIN_TOKEN: ADMIN_TOKEN,
      TOLLGATE_GATEWAY_TOKEN: GATEWAY_TOKEN,
      TOLLGATE_PUBLIC_URL: "http://tollgate.test",
      TOLLGATE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    });
    const keyring = new Keyring(parseEncryptionKeys(ENCRYPTION_KEY));
    const log = createLogger("debug", (l) => logLines.push(l));
    // The cached authorize state, kept current by change notifications, as `npm start` runs it.
    const gateway = await startGatewayState(database);
    const makeApp = (opts: { clock?: Clock; config?: Partial<Config>; log?: Logger; keyring?: Keyring | null; rateLimits?: RateLimits } = {}) =>
      createApp({
        db: database.db,
        config: { ...config, ...opts.config },
        clock: opts.clock ?? systemClock,
        log: opts.log ?? log,
        gateway: gateway.state,
        keyring: opts.keyring === undefined ? keyring : opts.keyring,
        rateLimits: opts.rateLimits,
      });
    return { database, config, gateway: gateway.state, keyring, app: makeApp(), makeApp };
  })();
  return harness;
}

export function uniq(prefix = "t"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export type Res<T = any> = { status: number; body: T; headers: Headers; text: string };

export type CallOpts = { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; app?: App };

/** Calls the app in-process (the same fetch handler the server runs). */
export async function call<T = any>(method: string, path: string, opts: CallOpts = {}): Promise<Res<T>> {
  const h = await getHarness();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await (opts.app ?? h.app).request(path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}
