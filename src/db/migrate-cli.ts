import type { Config } from "../config.js";
import { DatabaseUnreachable, openDatabase } from "./client.js";
import { DataDirLocked } from "./data-dir-lock.js";

/**
 * `tollgate migrate` (`npm run db:migrate` runs it): applies drizzle's migrations to the configured
 * database. Returns the exit code: 0 applied; 1 for a data dir held by a running server, or a
 * Postgres that cannot be reached, said in one line on stderr. Runs only when called (src/cli).
 */
export async function applyMigrations(config: Config): Promise<number> {
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: "tollgate migrate" });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    console.log(`Migrations applied (${database.kind}).`);
    return 0;
  } catch (err) {
    if (err instanceof DataDirLocked) {
      console.error(err.describe("it applied the migrations when it started. To apply newer ones, restart it (or stop it, then run this again)."));
      return 1;
    }
    if (err instanceof DatabaseUnreachable) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
