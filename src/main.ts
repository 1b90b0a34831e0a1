import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { bootstrapFirstUser } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { startGatewayState } from "./gateway/state.js";
import { systemClock } from "./lib/clock.js";
import { createLogger } from "./lib/logger.js";
import { loadKeyring } from "./lib/keyring.js";
import { RateLimits } from "./ratelimit/limits.js";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, listenUrl: config.listenDatabaseUrl, dataDir: config.dataDir });
await database.migrate();

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

const gateway = await startGatewayState(database);
const rateLimits = RateLimits.fromConfig(config.redisUrl, log);
const app = createApp({ db: database.db, config, clock: systemClock, log, gateway: gateway.state, keyring, rateLimits });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  log.info("listening", {
    url: `http://localhost:${info.port}`,
    docs: `http://localhost:${info.port}/docs`,
    database: database.kind === "pglite" ? `pglite:${config.dataDir}` : "postgres",
  });
});

const shutdown = () => {
  server.close(async () => {
    await gateway.close();
    await rateLimits.close();
    await database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
