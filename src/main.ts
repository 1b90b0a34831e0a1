import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { bootstrapFirstUser } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { startGatewayState } from "./gateway/state.js";
import { systemClock } from "./lib/clock.js";
import { createLogger } from "./lib/logger.js";

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
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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

const gateway = await startGatewayState(database);
const app = createApp({ db: database.db, config, clock: systemClock, log, gateway: gateway.state });
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
    await database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
