/**
 * `startServer(config)`: the one way to start Tollgate. `npm start` (src/main.ts) and
 * `tollgate serve` call it with `handleSignals`; a test or script that wants the server in its own
 * process calls it and `close()`s it (those that need a separate process spawn src/main.ts:
 * scripts/lib/spawn-server.ts).
 *
 * In order: keep one `nextTick` entry alive (src/lib/tick-shape.ts), bind the port (a port in use
 * stops the start before anything is created or printed),
 * open and migrate the database, create the first user on an empty database (its token printed
 * once), bind the trusted issuers' mappings, say which service APIs are off, load the encryption
 * key, check the sealed columns, prepare the OIDC signing key, start the gateway's state (its
 * LISTEN), rate limits, the app, usage retention and the webhook worker, load the tokenizer, then
 * serve and log "listening".
 */
import { createApp, usageBatcherOf } from "./app.js";
import { bootstrapFirstUser } from "./bootstrap.js";
import type { Config } from "./config.js";
import { DatabaseUnreachable, openDatabase, type Database } from "./db/client.js";
import { DataDirLocked } from "./db/data-dir-lock.js";
import { startGatewayState } from "./gateway/state.js";
import { systemClock } from "./lib/clock.js";
import { loadKeyring, type Keyring } from "./lib/keyring.js";
import { createLogger } from "./lib/logger.js";
import { pinTickObjectShape } from "./lib/tick-shape.js";
import { checkSealedColumn } from "./lib/sealed-columns.js";
import { bindTrustedIssuers, UnboundTrustedIssuerError } from "./oidc/external.js";
import { ensureSigningKey } from "./oidc/keys.js";
import { bindInstance } from "./ops/metrics.js";
import { lifecycle } from "./ops/routes.js";
import { bindErrorMessage, bindServer, drain, installShutdown, type ShutdownParts } from "./ops/server.js";
import { loadTokenizer } from "./quotas/estimate.js";
import { RateLimits } from "./ratelimit/limits.js";
import { startUsageRetention } from "./reports/retention.js";
import { SEALED_COLUMNS } from "./sealed-columns.js";
import { WebhookWorker } from "./webhooks/worker.js";

export type StartServerOptions = {
  /**
   * SIGTERM/SIGINT (handled from before the "listening" line) drain the server and exit the
   * process: 0 once stopped, 1 past TOLLGATE_SHUTDOWN_TIMEOUT_MS; a second signal exits at once.
   * For the process that is the server (`npm start`, `tollgate serve`); not for a test.
   */
  handleSignals?: boolean;
};

export type RunningServer = {
  /** Where to reach it from this machine: `http://127.0.0.1:<port>` when bound to every address. */
  url: string;
  port: number;
  /**
   * Stops it as a signal does, without exiting the process: stop accepting, answer what is in
   * flight, flush usage, stop the jobs, close the pools and release the data dir. Once; a second
   * call (or a signal meanwhile) waits for the same stop.
   */
  close(): Promise<void>;
};

/**
 * The server did not start for a reason its operator fixes: the port is in use, the data dir is
 * held, Postgres cannot be reached, the encryption key cannot be loaded, a trusted-issuer mapping
 * names no team. `message` is the one line to print (src/main.ts: on stderr, then exit 1).
 * Nothing is left open: the port and the database are closed again.
 */
export class ServerRefused extends Error {}

const HELD_DATA_DIR = "stop it first, or give this one another TOLLGATE_DATA_DIR (or a DATABASE_URL to share one Postgres).";

/**
 * A database that cannot be used is one line, like a bad variable: a data dir held by another
 * process (one process per embedded data dir, src/db/data-dir-lock.ts), or a Postgres that cannot
 * be reached or refuses the login or database (naming the setting).
 */
function cannotOpen(err: unknown): unknown {
  if (err instanceof DataDirLocked) return new ServerRefused(err.describe(HELD_DATA_DIR));
  if (err instanceof DatabaseUnreachable) return new ServerRefused(err.message);
  return err;
}

export async function startServer(config: Config, opts: StartServerOptions = {}): Promise<RunningServer> {
  pinTickObjectShape(); // before the first full collection can free it: see src/lib/tick-shape.ts
  const log = createLogger(config.logLevel, { format: config.logFormat });

  // The port first: one already in use is a one-line error before anything is created or printed.
  let bound: Awaited<ReturnType<typeof bindServer>>;
  try {
    bound = await bindServer(config.port, config.host);
  } catch (err) {
    const line = bindErrorMessage(err, config.port, config.host);
    throw line ? new ServerRefused(line) : err;
  }
  const server = bound.server;
  lifecycle.draining = false; // a server started after another one stopped in this process

  // What is open so far, closed again (newest first) when the start fails past this point.
  const opened: (() => Promise<unknown>)[] = [
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  ];
  const fail = async (err: unknown): Promise<never> => {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw err;
  };

  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, listenUrl: config.listenDatabaseUrl, dataDir: config.dataDir, holder: "server" });
  } catch (err) {
    return fail(cannotOpen(err));
  }
  opened.push(() => database.close()); // also releases the data dir's lock
  try {
    await database.migrate();
  } catch (err) {
    return fail(cannotOpen(err));
  }

  let started: Awaited<ReturnType<typeof startOn>>;
  try {
    started = await startOn(config, log, bound, database, opened);
  } catch (err) {
    return fail(err);
  }

  // One stop, whichever comes first: a signal (the process then exits) or close().
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, exitOnTimeout: boolean) => (stopping ??= drain(started.parts, reason, { exitOnTimeout }));
  // SIGTERM/SIGINT (handled from before the "listening" line): stop accepting, answer what is in
  // flight, flush usage, stop the jobs, close pools, exit 0.
  if (opts.handleSignals) installShutdown(started.parts, (signal) => stop(signal, true));
  log.info("listening", {
    url: `http://localhost:${bound.port}`,
    docs: `http://localhost:${bound.port}/docs`,
    database: database.kind === "pglite" ? `pglite:${config.dataDir}` : "postgres",
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= stop("close", false).then(() => {
      // This process goes on: what is process-wide no longer describes this server.
      lifecycle.draining = false;
      started.unbind();
    }));
  return { url: started.url, port: started.port, close };
}

/** Everything after the database is open, up to serving; what it starts is pushed onto `opened`. */
async function startOn(
  config: Config,
  log: ReturnType<typeof createLogger>,
  bound: Awaited<ReturnType<typeof bindServer>>,
  database: Database,
  opened: (() => Promise<unknown>)[],
): Promise<Omit<RunningServer, "close"> & { parts: ShutdownParts; unbind: () => void }> {
  if (!config.adminToken) {
    const created = await bootstrapFirstUser(database.db, systemClock.now());
    if (created) {
      // Said once, on the first start only (the database keeps just its digest). The one log line
      // that carries a secret: set TOLLGATE_ADMIN_TOKEN before the first start to have none.
      log.notice("created the first user on this empty database; save its token now, it is not shown again", {
        user: created.email,
        team: created.teamSlug,
        token: created.bearerToken,
      });
    }
  }

  // Trusted external issuers act on the teams their mappings name as those teams are now, by id: a
  // mapping naming no team stops the start (else whoever creates a team with that slug would get it).
  let trustedIssuers;
  try {
    trustedIssuers = await bindTrustedIssuers(database.db, config.trustedIssuers);
  } catch (err) {
    throw err instanceof UnboundTrustedIssuerError ? new ServerRefused(err.message) : err;
  }

  // Say how to turn on what is off: each service token enables one API.
  const example = "export TOLLGATE_ADMIN_TOKEN=$(openssl rand -hex 24) TOLLGATE_GATEWAY_TOKEN=$(openssl rand -hex 24)";
  if (!config.adminToken) {
    log.notice("the admin API (/v1/admin/*: create users) is off: set TOLLGATE_ADMIN_TOKEN (16+ characters) and restart to enable it", { example });
  }
  if (!config.gatewayToken) {
    log.notice("the gateway API (/v1/gateway/*: authorize, usage) is off: set TOLLGATE_GATEWAY_TOKEN (16+ characters) and restart to enable it", { example });
  }

  let keyring: Keyring | null;
  try {
    const loaded = loadKeyring({ configured: config.encryptionKeys, databaseKind: database.kind, dataDir: config.dataDir });
    keyring = loaded.keyring;
    if (loaded.source.kind === "data-dir" && loaded.source.generated) {
      log.notice("generated an encryption key for secrets at rest; back it up with the data dir: without it, stored provider credentials cannot be read", {
        path: loaded.source.path,
        mode: "0600",
      });
    } else if (loaded.source.kind === "none") {
      log.info("no TOLLGATE_ENCRYPTION_KEY: features that store secrets (BYOK, OIDC signing keys) are off until it is set");
    }
  } catch (err) {
    throw new ServerRefused(`Cannot load the encryption key: ${(err as Error).message}`);
  }

  // Stored secrets that the configured keys cannot read: said at start, in words (never a 500 later).
  for (const col of SEALED_COLUMNS) {
    for (const problem of (await checkSealedColumn(database.db, keyring, col)).problems) log.error(problem);
  }

  // The OIDC issuer's first signing key (no-op without an encryption key: minting then answers 503).
  try {
    await ensureSigningKey(database.db, keyring, systemClock.now(), config.oidcKeyMaxAgeMs);
  } catch (err) {
    log.error("cannot prepare the OIDC signing key; minting will retry", { error: (err as Error).message });
  }

  let gateway: Awaited<ReturnType<typeof startGatewayState>>;
  try {
    gateway = await startGatewayState(database, { maxKeys: config.cacheMaxKeys }); // LISTENs: TOLLGATE_LISTEN_DATABASE_URL
  } catch (err) {
    throw cannotOpen(err);
  }
  opened.push(() => gateway.close());
  const rateLimits = RateLimits.fromConfig(config.redisUrl, log);
  opened.push(() => rateLimits.close());
  const app = createApp({ db: database.db, config: { ...config, trustedIssuers }, clock: systemClock, log, gateway: gateway.state, keyring, rateLimits });
  const retention = startUsageRetention({ db: database.db, log, now: () => systemClock.now() }, config.usageRetentionDays);
  opened.push(() => retention.stop());
  // Sends the webhook outbox (src/webhooks), with every other instance that does.
  const webhooks = new WebhookWorker({ db: database.db, clock: systemClock, keyring, log, config });
  if (config.webhooksDeliver) webhooks.start();
  opened.push(() => webhooks.stop());
  const unbind = bindInstance({ gateway: gateway.state, database });
  opened.push(async () => unbind());
  // The tokenizer hard budgets and cut-off requests are counted with: about a second of CPU, once,
  // before the first request (loaded while serving, it would stall requests in flight for that long).
  await loadTokenizer().catch((err: unknown) => log.error("tokenizer not loaded; token counts use the byte length", { error: String(err) }));
  bound.serve((req, env) => app.fetch(req, env));

  return {
    url: `http://${reachableHost(config.host)}:${bound.port}`,
    port: bound.port,
    unbind,
    parts: {
      server: bound.server,
      log,
      timeoutMs: config.shutdownTimeoutMs,
      steps: [
        { name: "usage", run: () => usageBatcherOf(app)?.idle() ?? Promise.resolve() },
        { name: "retention", run: () => retention.stop() },
        { name: "webhooks", run: () => webhooks.stop() },
        { name: "listener", run: () => gateway.close() },
        { name: "rate limits", run: () => rateLimits.close() },
        { name: "database", run: () => database.close() }, // also releases the data dir's lock
      ],
    },
  };
}

/** The address to reach a server bound to `host` from this machine (every address: loopback). */
function reachableHost(host: string): string {
  if (host === "" || host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
