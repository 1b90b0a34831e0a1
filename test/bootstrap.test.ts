import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { bootstrapFirstUser } from "../src/bootstrap.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { GatewayState } from "../src/gateway/state.js";
import { systemClock } from "../src/lib/clock.js";
import { createLogger } from "../src/lib/logger.js";

describe("first start", () => {
  it("on an empty database creates admin@localhost with team default, once", async () => {
    // A database of its own: this test needs it empty.
    const database = await openDatabase({ dataDir: "memory://" });
    await database.migrate();
    try {
      const created = await bootstrapFirstUser(database.db, Date.now());
      expect(created).toMatchObject({ email: "admin@localhost", teamSlug: "default" });
      expect(await bootstrapFirstUser(database.db, Date.now())).toBeNull();
      const gateway = new GatewayState(database.db, { cache: false });
      const app = createApp({ db: database.db, config: loadConfig({}), clock: systemClock, log: createLogger("silent"), gateway, keyring: null });
      const me = await app.request("/v1/user", { headers: { authorization: `Bearer ${created!.bearerToken}` } });
      expect(me.status).toBe(200);
      expect((await me.json()).teams).toEqual([expect.objectContaining({ slug: "default", role: "OWNER" })]);
    } finally {
      await database.close();
    }
  });
});

describe("environment", () => {
  it("has defaults and rejects bad values with a message naming each variable", () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, dataDir: "./.tollgate", databaseUrl: undefined });
    expect(() => loadConfig({ PORT: "http", DATABASE_URL: "mysql://x", TOLLGATE_ADMIN_TOKEN: "short" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "http", DATABASE_URL: "mysql://x" });
    } catch (e) {
      expect((e as Error).message).toContain("PORT");
      expect((e as Error).message).toContain("DATABASE_URL");
    }
  });
});
