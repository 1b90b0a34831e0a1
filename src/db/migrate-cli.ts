import { loadConfigOrExit } from "../config.js";
import { DatabaseUnreachable, openDatabase } from "./client.js";
import { DataDirLocked } from "./data-dir-lock.js";

/**
 * `npm run db:migrate` and `tollgate migrate`: applies drizzle's migrations to the configured
 * database and exits. A data dir held by a running server, or a Postgres that cannot be reached,
 * is one line on stderr and exit 1.
 */
const config = loadConfigOrExit();
try {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: "tollgate migrate" });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  console.log(`Migrations applied (${database.kind}).`);
} catch (err) {
  if (err instanceof DataDirLocked) {
    console.error(err.describe("it applied the migrations when it started. To apply newer ones, restart it (or stop it, then run this again)."));
    process.exit(1);
  }
  if (err instanceof DatabaseUnreachable) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
