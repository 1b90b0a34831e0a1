/**
 * `npm start`: the server, configured by the environment (src/config.ts), in this process, until
 * SIGTERM/SIGINT (src/server.ts). A variable it cannot use, or a start it refuses (a port in use,
 * a data dir held by another process, a Postgres it cannot reach, …), is one line on stderr and
 * exit 1.
 */
import { loadConfigOrExit } from "./config.js";
import { ServerRefused, startServer } from "./server.js";

const config = loadConfigOrExit();
try {
  await startServer(config, { handleSignals: true });
} catch (err) {
  if (!(err instanceof ServerRefused)) throw err;
  console.error(err.message);
  process.exit(1);
}
