import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/rows.js";
import { startGatewayState } from "../../src/gateway/state.js";
import type { App } from "../../src/http/context.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness, uniq, type Harness } from "../helpers/harness.js";
import { startTcpProxy, throughProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

const DATABASE_URL = process.env.DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An app whose database connections (pool and listener) go through a TCP proxy the test cuts and
 * restores: Postgres "restarts" for this app only. Postgres only (PGlite is in-process).
 */
describe("database outage (Postgres through a TCP proxy)", () => {
  let h: Harness;
  let proxy: TcpProxy;
  let database: Database;
  let stopGateway: () => Promise<void>;
  let app: App;

  beforeAll(async () => {
    h = await getHarness();
    proxy = await startTcpProxy();
    database = await openDatabase({ databaseUrl: throughProxy(DATABASE_URL!, proxy), poolSize: 5, applicationName: "tollgate-outage-test" });
    const gateway = await startGatewayState(database);
    stopGateway = gateway.close;
    app = createApp({ db: database.db, config: h.config, clock: systemClock, log: createLogger("silent"), gateway: gateway.state, keyring: h.keyring });
  });

  afterAll(async () => {
    await stopGateway?.();
    await database?.close();
    await proxy?.close();
  });

  it("answers 503 service_unavailable with Retry-After on both planes while it is down", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    proxy.cut();
    try {
      await sleep(150); // past the cache's heartbeat window: authorize now reads through
      const checks = [
        await report(key.apiKey.id, 0.01, { app }),
        await authorize(key.apiKeyString, "openai/gpt-5", app),
        await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, app }),
        await call("POST", `/v1/projects?teamId=${team.id}`, { token: team.owner.token, app, body: { name: uniq("p") } }),
      ];
      for (const r of checks) {
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe("service_unavailable");
        expect(r.headers.get("retry-after")).toBe("1");
      }
      // The newer surfaces too: webhooks (management envelope) and the AI SDK's protocol (its own shape).
      const webhooks = await call("GET", `/v1/ai-gateway/webhooks?teamId=${team.id}`, { token: team.owner.token, app });
      expect(webhooks.status, webhooks.text).toBe(503);
      expect(webhooks.body.error.code).toBe("service_unavailable");
      const aiConfig = await call("GET", "/v4/ai/config", { token: key.apiKeyString, app });
      expect(aiConfig.status, aiConfig.text).toBe(503);
      expect(aiConfig.headers.get("retry-after")).toBe("1");
      const chat = await call("POST", "/v1/chat/completions", { token: key.apiKeyString, app, body: { model: "openai/gpt-5", messages: [{ role: "user", content: "hi" }] } });
      expect(chat.status, chat.text).toBe(503);
      expect(chat.headers.get("retry-after")).toBe("1");
      const ready = await call("GET", "/readyz", { app });
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ ready: false, database: "unreachable" });
    } finally {
      proxy.restore();
    }
    await sleep(300);
    expect((await call("GET", "/readyz", { app })).status).toBe(200);
    // Each call against the cut database waits out its connection deadline: seven of them, on a loaded CI machine.
  }, 90_000);

  it("a database that stops answering (no error, no close) holds usage for at most the write deadline: 503, then served again", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    expect((await report(key.apiKey.id, 0.01, { app })).status).toBe(202);
    proxy.stall();
    const started = performance.now();
    const requestId = uniq("stalled");
    let stalled;
    try {
      stalled = await report(key.apiKey.id, 0.01, { app, requestId });
    } finally {
      proxy.restore();
    }
    const waited = performance.now() - started;
    expect(stalled.status).toBe(503);
    expect(stalled.body.error.code).toBe("service_unavailable");
    expect(waited).toBeGreaterThanOrEqual(2900);
    expect(waited).toBeLessThan(8000);
    // Once the network delivers again, a retry with the same requestId is recorded exactly once
    // (the stalled statement may have committed too: the retry then answers recorded: false).
    let retried;
    for (let i = 0; i < 20; i++) {
      retried = await report(key.apiKey.id, 0.01, { app, requestId });
      if (retried.status === 202) break;
      await sleep(100);
    }
    expect(retried!.status).toBe(202);
    const rows = rowsOf<{ n: number }>(await h.database.db.execute(sql`select count(*)::int as n from usage_events where request_id = ${requestId}`));
    expect(rows[0]!.n).toBe(1);
  }, 30_000);

  it("under 16 usage writers: 503s not 500s, serving again within 1 s, nothing acknowledged lost, nothing invented", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1000, refreshPeriod: "monthly" } });
    const cost = 0.01;
    let stop = false;
    let restoredAt = 0;
    let firstUsageAfter = 0;
    let firstAuthorizeAfter = 0;
    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    const unexpected: string[] = [];
    let unavailable = 0;

    const writer = async () => {
      let requestId = uniq("out");
      while (!stop) {
        sent.add(requestId);
        const r = await report(key.apiKey.id, cost, { app, requestId });
        if (r.status === 202) {
          acknowledged.add(requestId);
          if (restoredAt && !firstUsageAfter) firstUsageAfter = performance.now();
          requestId = uniq("out");
        } else if (r.status === 503 && r.headers.get("retry-after") && r.body.error.code === "service_unavailable") {
          unavailable++;
          await sleep(20); // a client retries the same requestId (reports are idempotent)
        } else {
          unexpected.push(`usage ${r.status} ${r.text}`);
        }
      }
    };
    const authorizer = async () => {
      while (!stop) {
        await new Promise((r) => setImmediate(r)); // a cached authorize is all microtasks: let timers run
        const r = await authorize(key.apiKeyString, "openai/gpt-5", app);
        if (r.status === 200) {
          if (restoredAt && !firstAuthorizeAfter) firstAuthorizeAfter = performance.now();
        } else if (r.status === 503 && r.headers.get("retry-after")) {
          await sleep(20);
        } else {
          unexpected.push(`authorize ${r.status} ${r.text}`);
        }
      }
    };

    const load = [...Array.from({ length: 16 }, writer), authorizer()];
    await sleep(500);
    proxy.cut();
    await sleep(1500);
    proxy.restore();
    restoredAt = performance.now();
    for (let i = 0; i < 100 && !(firstUsageAfter && firstAuthorizeAfter); i++) await sleep(50);
    await sleep(300);
    stop = true;
    await Promise.all(load);

    expect(unexpected).toEqual([]);
    expect(unavailable).toBeGreaterThan(0);
    expect(firstUsageAfter, "a 202 after the database came back").toBeGreaterThan(0);
    expect(firstAuthorizeAfter, "an authorize 200 after the database came back").toBeGreaterThan(0);
    expect(firstUsageAfter - restoredAt).toBeLessThan(1000);
    expect(firstAuthorizeAfter - restoredAt).toBeLessThan(1000);

    // Durable and exact, read straight from Postgres (not through the proxy).
    await sleep(200);
    const rows = rowsOf<{ request_id: string }>(await h.database.db.execute(sql`select request_id from usage_events where key_id = ${key.apiKey.id}`));
    const recorded = new Set(rows.map((r) => r.request_id));
    for (const id of acknowledged) expect(recorded.has(id), `acknowledged ${id} recorded`).toBe(true);
    for (const id of recorded) expect(sent.has(id), `recorded ${id} was sent`).toBe(true);
    expect(recorded.size).toBe(rows.length);
    const got = await call("GET", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
    expect(Math.round(got.body.apiKey.quota.currentSpend * 1e6)).toBe(recorded.size * 10_000);
  }, 30_000);
});
