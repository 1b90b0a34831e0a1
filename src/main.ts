import { createApp, usageBatcherOf } from "./app.js";
import { bootstrapFirstUser } from "./bootstrap.js";
import { loadConfigOrExit } from "./config.js";
import { DatabaseUnreachable, openDatabase, type Database } from "./db/client.js";
import { DataDirLocked } from "./db/data-dir-lock.js";
import { startGatewayState } from "./gateway/state.js";
import { loadTokenizer } from "./quotas/estimate.js";
import { systemClock } from "./lib/clock.js";
import { createLogger } from "./lib/logger.js";
import { loadKeyring } from "./lib/keyring.js";
import { checkSealedColumn } from "./lib/sealed-columns.js";
import { bindTrustedIssuers, UnboundTrustedIssuerError } from "./oidc/external.js";
import { ensureSigningKey } from "./oidc/keys.js";
import { bindInstance } from "./ops/metrics.js";
import { bindErrorMessage, bindServer, installShutdown } from "./ops/server.js";
import { RateLimits } from "./ratelimit/limits.js";
import { startUsageRetention } from "./reports/retention.js";
import { SEALED_COLUMNS } from "./sealed-columns.js";
import { WebhookWorker } from "./webhooks/worker.js";

const config = loadConfigOrExit();

const log = createLogger(config.logLevel);

// The port first: one already in use is a one-line error before anything is created or printed.
let bound;
try {
  bound = await bindServer(config.port, config.host);
} catch (err) {
  const line = bindErrorMessage(err, config.port, config.host);
  if (!line) throw err;
  console.error(line);
  process.exit(1);
}

/**
 * A database that cannot be used is one line on stderr and exit 1, like a bad variable: a data
 * dir held by another process (one process per embedded data dir, src/db/data-dir-lock.ts), or a
 * Postgres that cannot be reached or refuses the login or database (naming the setting).
 */
function exitIfCannotOpen(err: unknown): never {
  if (err instanceof DataDirLocked) {
    console.error(err.describe("stop it first, or give this one another TOLLGATE_DATA_DIR (or a DATABASE_URL to share one Postgres)."));
    process.exit(1);
  }
  if (err instanceof DatabaseUnreachable) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let database: Database;
try {
  database = await openDatabase({ databaseUrl: config.databaseUrl, listenUrl: config.listenDatabaseUrl, dataDir: config.dataDir, holder: "server" });
  await database.migrate();
} catch (err) {
  exitIfCannotOpen(err);
}

if (!config.adminToken) {
  const created = await bootstrapFirstUser(database.db, systemClock.now());
  if (created) {
    // Printed once, on the first start only; the database keeps just its digest.
    console.log(
      [
        "",
        "  Tollgate created the first user on this empty database:",
        `    user  ${created.email}`,
        `    team  ${created.teamSlug}`,
        `    token ${created.bearerToken}`,
        "  Save the token now: it is not shown again.",
        "",
      ].join("\n"),
    );
  }
}

// Trusted external issuers act on the teams their mappings name as those teams are now, by id: a
// mapping naming no team stops the start (else whoever creates a team with that slug would get it).
let trustedIssuers;
try {
  trustedIssuers = await bindTrustedIssuers(database.db, config.trustedIssuers);
} catch (err) {
  if (!(err instanceof UnboundTrustedIssuerError)) throw err;
  console.error(err.message);
  await database.close();
  process.exit(1);
}

// Say how to turn on what is off: each service token enables one API.
const off = [
  !config.adminToken && "  The admin API (/v1/admin/*: create users) is off: set TOLLGATE_ADMIN_TOKEN (16+ characters) and restart to enable it.",
  !config.gatewayToken && "  The gateway API (/v1/gateway/*: authorize, usage) is off: set TOLLGATE_GATEWAY_TOKEN (16+ characters) and restart to enable it.",
].filter(Boolean);
if (off.length > 0) console.log(["", ...off, "  For example: export TOLLGATE_ADMIN_TOKEN=$(openssl rand -hex 24) TOLLGATE_GATEWAY_TOKEN=$(openssl rand -hex 24)", ""].join("\n"));

let keyring;
try {
  const loaded = loadKeyring({ configured: config.encryptionKeys, databaseKind: database.kind, dataDir: config.dataDir });
  keyring = loaded.keyring;
  if (loaded.source.kind === "data-dir" && loaded.source.generated) {
    console.log(`\n  Tollgate generated an encryption key for secrets at rest in ${loaded.source.path} (mode 0600).\n  Back it up with the data dir: without it, stored provider credentials cannot be read.\n`);
  } else if (loaded.source.kind === "none") {
    log.info("no TOLLGATE_ENCRYPTION_KEY: features that store secrets (BYOK, OIDC signing keys) are off until it is set");
  }
} catch (err) {
  console.error(`Cannot load the encryption key: ${(err as Error).message}`);
  process.exit(1);
}

// Stored secrets that the configured keys cannot read: said at start, in words (never a 500 later).
for (const col of SEALED_COLUMNS) {
  for (const problem of (await checkSealedColumn(database.db, keyring, col)).problems) console.error(`WARNING: ${problem}`);
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
  exitIfCannotOpen(err);
}
const rateLimits = RateLimits.fromConfig(config.redisUrl, log);
const app = createApp({ db: database.db, config: { ...config, trustedIssuers }, clock: systemClock, log, gateway: gateway.state, keyring, rateLimits });
const retention = startUsageRetention({ db: database.db, log, now: () => systemClock.now() }, config.usageRetentionDays);
// Sends the webhook outbox (src/webhooks), with every other instance that does.
const webhooks = new WebhookWorker({ db: database.db, clock: systemClock, keyring, log, config });
if (config.webhooksDeliver) webhooks.start();
bindInstance({ gateway: gateway.state, database });
const server = bound.server;
// The tokenizer hard budgets and cut-off requests are counted with: about a second of CPU, once,
// before the first request (loaded while serving, it would stall requests in flight for that long).
await loadTokenizer().catch((err: unknown) => log.error("tokenizer not loaded; token counts use the byte length", { error: String(err) }));
bound.serve((req, env) => app.fetch(req, env));

// SIGTERM/SIGINT (handled from before the "listening" line): stop accepting, answer what is in
// flight, flush usage, stop the jobs, close pools, exit 0.
installShutdown({
  server,
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
});
log.info("listening", {
  url: `http://localhost:${bound.port}`,
  docs: `http://localhost:${bound.port}/docs`,
  database: database.kind === "pglite" ? `pglite:${config.dataDir}` : "postgres",
});
