import { loadConfig } from "../config.js";
import { openDatabase } from "./client.js";

/** `npm run db:migrate`: applies drizzle's migrations to the configured database and exits. */
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await database.migrate();
await database.close();
console.log(`Migrations applied (${database.kind}).`);
