import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDatabase } from "../../src/db/client.js";
import { startGatewayState } from "../../src/gateway/state.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { generateSecret } from "../../src/lib/secrets.js";
import { ADMIN_TOKEN, GATEWAY_TOKEN, call, getHarness } from "../helpers/harness.js";

describe("the embedded database's thread stops", () => {
  it("answers 503 service_unavailable with Retry-After on both planes (never 500), and readiness says so", async () => {
    const h = await getHarness();
    const database = await openDatabase({ dataDir: "memory://" });
    await database.migrate();
    const gw = await startGatewayState(database);
    const app = createApp({ db: database.db, config: h.config, clock: systemClock, log: createLogger("silent"), gateway: gw.state, keyring: h.keyring });
    try {
      const user = await call("POST", "/v1/admin/users", { app, token: ADMIN_TOKEN, body: { email: "thread@example.test" } });
      expect(user.status).toBe(201);
      expect((await call("GET", "/readyz", { app })).status).toBe(200);

      // What a crash of the thread (an abort in the WebAssembly, out of memory) looks like from here.
      await (database.db as unknown as { $client: { worker: { terminate(): Promise<number> } } }).$client.worker.terminate();

      const management = await call("POST", "/v1/admin/users", { app, token: ADMIN_TOKEN, body: { email: "after@example.test" } });
      expect([management.status, management.body.error.code, management.headers.get("retry-after")]).toEqual([503, "service_unavailable", "1"]);
      const authorize = await call("POST", "/v1/gateway/authorize", {
        app,
        token: GATEWAY_TOKEN,
        body: { credential: generateSecret("tgk"), model: "openai/gpt-4o-mini" }, // a well-formed key never seen: read from the database
      });
      expect([authorize.status, authorize.body.error.code]).toEqual([503, "service_unavailable"]);
      const ready = await call("GET", "/readyz", { app });
      expect([ready.status, ready.body.database, ready.body.cache]).toEqual([503, "unreachable", "untrusted"]);
    } finally {
      await gw.close().catch(() => {});
      await database.close().catch(() => {});
    }
  });
});
