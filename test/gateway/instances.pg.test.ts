import { randomBytes } from "node:crypto";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { apiKeys } from "../../src/db/schema.js";
import { STALE_AFTER_MS, startGatewayState, type GatewayState } from "../../src/gateway/state.js";
import type { App } from "../../src/http/context.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, getHarness } from "../helpers/harness.js";
import { freshSecret } from "../byok/helpers.js";

const url = process.env.DATABASE_URL;

type Instance = { name: string; app: App; state: GatewayState; database: Database; close(): Promise<void> };

async function startInstance(name: string, listenUrl?: string): Promise<Instance> {
  const { config, keyring } = await getHarness();
  const database = await openDatabase({ databaseUrl: url!, listenUrl, poolSize: 5, applicationName: name });
  const gw = await startGatewayState(database);
  const app = createApp({ db: database.db, config, clock: systemClock, log: createLogger("silent"), gateway: gw.state, keyring });
  return {
    name,
    app,
    state: gw.state,
    database,
    close: async () => {
      await gw.close();
      await database.close();
    },
  };
}

/** A TCP proxy to Postgres whose traffic can be held (not dropped): a silent network partition. */
async function pausableProxy(target: URL) {
  let paused = false;
  const held: (() => void)[] = [];
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    const pipe = (from: Socket, to: Socket) =>
      from.on("data", (d) => (paused ? held.push(() => to.write(d)) : to.write(d)));
    pipe(client, upstream);
    pipe(upstream, client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const proxied = new URL(target.toString());
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const f of held.splice(0)) f();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await cond()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2));
  }
  return Infinity;
}

describe("two instances on one Postgres", () => {
  let A: Instance;
  let B: Instance;
  beforeAll(async () => {
    const tag = randomBytes(3).toString("hex");
    [A, B] = await Promise.all([startInstance(`tollgate-a-${tag}`), startInstance(`tollgate-b-${tag}`)]);
  });
  afterAll(async () => {
    await Promise.all([A?.close(), B?.close()]);
  });

  it("a key deleted through A is refused by B within 100 ms", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200); // cached on B
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    const del = await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, app: A.app });
    expect(del.status).toBe(204);
    const elapsed = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 401, 1000);
    expect(elapsed).toBeLessThan(100);
  });

  it("a deactivation (member removed) through A is refused by B within 100 ms", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, {}, team.member.token);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token, app: A.app });
    const elapsed = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 403, 1000);
    expect(elapsed).toBeLessThan(100);
  });

  it("spend recorded through A is seen by B within 100 ms, and a budget change too", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1 } });
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    expect((await report(k.apiKey.id, 1, { app: A.app })).status).toBe(202);
    const seen = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 402, 1000);
    expect(seen).toBeLessThan(100);
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota`, { token: team.owner.token, app: A.app, body: { limitAmount: 2 } });
    const raised = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 200, 1000);
    expect(raised).toBeLessThan(100);
  });

  it("a BYOK credential created, rotated, disabled and deleted through A is seen by B within 100 ms", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const creds = async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).body.credentials as { id: string; credentials: { apiKey: string } }[];
    expect(await creds()).toEqual([]); // cached on B
    const secret = freshSecret();
    const made = await call("POST", `/v1/ai-gateway/byok?teamId=${team.id}`, {
      token: team.owner.token,
      app: A.app,
      body: { provider: "openai", name: "prod", credentials: { apiKey: secret } },
    });
    expect(made.status).toBe(201);
    const id = made.body.credential.id;
    expect(await until(async () => (await creds())[0]?.credentials.apiKey === secret, 1000)).toBeLessThan(100);
    const rotated = freshSecret();
    await call("PATCH", `/v1/ai-gateway/byok/${id}`, { token: team.owner.token, app: A.app, body: { credentials: { apiKey: rotated } } });
    expect(await until(async () => (await creds())[0]?.credentials.apiKey === rotated, 1000)).toBeLessThan(100);
    await call("PATCH", `/v1/ai-gateway/byok/${id}`, { token: team.owner.token, app: A.app, body: { enabled: false } });
    expect(await until(async () => (await creds()).length === 0, 1000)).toBeLessThan(100);
    await call("PATCH", `/v1/ai-gateway/byok/${id}`, { token: team.owner.token, app: A.app, body: { enabled: true } });
    expect(await until(async () => (await creds()).length === 1, 1000)).toBeLessThan(100);
    expect((await call("DELETE", `/v1/ai-gateway/byok/${id}`, { token: team.owner.token, app: A.app })).status).toBe(204);
    expect(await until(async () => (await creds()).length === 0, 1000)).toBeLessThan(100);
  });

  it("spend through A and B together never exceeds the budget by more than the requests admitted in flight", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1 } });
    const workers = 8;
    const cost = 0.05;
    let admitted = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const app = w % 2 === 0 ? A.app : B.app;
        for (;;) {
          const r = await authorize(k.apiKeyString, "openai/gpt-5", app);
          if (r.status !== 200) {
            expect(r.status).toBe(402);
            return;
          }
          admitted++;
          expect((await report(k.apiKey.id, cost, { app })).status).toBe(202);
        }
      }),
    );
    const spent = admitted * cost;
    expect(spent).toBeGreaterThanOrEqual(1);
    // At most one request per worker can have been admitted after the limit was reached.
    expect(spent).toBeLessThanOrEqual(1 + workers * cost + 1e-9);
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBeCloseTo(spent, 9);
    for (const inst of [A, B]) expect((await authorize(k.apiKeyString, "openai/gpt-5", inst.app)).status).toBe(402);
  });

  it("budget period edits racing 16 usage writers on A and B lose no spend (security review)", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1000, refreshPeriod: "none" } });
    const put = (refreshPeriod: string) =>
      call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, app: A.app, body: { scopeType: "user", limitAmount: 1000, refreshPeriod } });
    await put("none");
    const writers = 16;
    const each = 15;
    let done = 0;
    const usage = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < each; i++) expect((await report(k.apiKey.id, 0.01, { app: w % 2 ? B.app : A.app })).status).toBe(202);
        done++;
      }),
    );
    const periods = ["daily", "weekly", "none", "monthly", "daily", "none"];
    for (let i = 0; done < writers; i++) {
      const refreshPeriod = periods[i % periods.length]!;
      const app = i % 2 ? B.app : A.app;
      expect((await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota`, { token: team.owner.token, app, body: { refreshPeriod } })).status).toBe(200);
      expect((await put(refreshPeriod)).status).toBe(200);
    }
    await usage;
    const total = writers * each * 0.01;
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBeCloseTo(total, 9);
    for (const inst of [A, B]) {
      const seen = await until(async () => {
        const quotas = (await authorize(k.apiKeyString, "openai/gpt-5", inst.app)).body.quotas as { scope: string; currentSpend: number }[];
        return quotas.every((q) => q.scope === "team" || Math.abs(q.currentSpend - total) < 1e-9);
      }, 1000);
      expect(seen, inst.name).toBeLessThan(100);
    }
  });

  it("when B's listen connection is killed, B stops trusting its cache and reads the database", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    expect(B.state.isTrusted).toBe(true);

    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      const killed = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${B.name + ":listen"}`;
      expect(killed.length).toBe(1);
      // Past the staleness bound, B has noticed: it is untrusted until it listens again, and then
      // starts from empty; either way nothing cached before the drop is served.
      await new Promise((r) => setTimeout(r, STALE_AFTER_MS + 10));
      // Revoke behind everyone's back: no notification is sent for this write.
      const { database } = await getHarness();
      await database.db.update(apiKeys).set({ deletedAt: Date.now() }).where(eq(apiKeys.id, k.apiKey.id));
      const r = await authorize(k.apiKeyString, "openai/gpt-5", B.app);
      expect(r.status).toBe(401);
      // B reconnects by itself and trusts its (emptied) cache again.
      const back = await until(async () => B.state.isTrusted, 3000);
      expect(back).toBeLessThan(3000);
      expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(401);
    } finally {
      await admin.end();
    }
  });

  it("a listening connection that goes silent without closing is caught within the staleness bound", async () => {
    const proxy = await pausableProxy(new URL(url!));
    const C = await startInstance(`tollgate-c-${randomBytes(3).toString("hex")}`, proxy.url);
    try {
      const team = await createTeamFx();
      const k = await createKeyFx(team);
      expect((await authorize(k.apiKeyString, "openai/gpt-5", C.app)).status).toBe(200);
      expect(C.state.isTrusted).toBe(true);
      proxy.pause(); // packets stop, the socket stays open: no close event anywhere
      const noticed = await until(async () => !C.state.isTrusted, 2000);
      expect(noticed).toBeLessThan(STALE_AFTER_MS + 150);
      const { database } = await getHarness();
      await database.db.update(apiKeys).set({ deletedAt: Date.now() }).where(eq(apiKeys.id, k.apiKey.id));
      expect((await authorize(k.apiKeyString, "openai/gpt-5", C.app)).status).toBe(401);
      proxy.resume();
      expect(await until(async () => C.state.isTrusted, 2000)).toBeLessThan(2000);
      expect((await authorize(k.apiKeyString, "openai/gpt-5", C.app)).status).toBe(401);
    } finally {
      await C.close();
      proxy.close();
    }
  });

  it("while B is cut off, it serves nothing stale from memory", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    // Simulate the listener being down (as between a drop and the reconnect).
    B.state.setListening(false);
    try {
      const { database } = await getHarness();
      await database.db.update(apiKeys).set({ leakedAt: Date.now() }).where(eq(apiKeys.id, k.apiKey.id));
      expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(401);
    } finally {
      B.state.setListening(true);
    }
  });

  it("a key disabled (PATCH enabled:false) through A is refused by B within 100 ms, and re-enabled too", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200); // cached on B
    const off = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: false }, app: A.app });
    expect(off.status).toBe(200);
    const elapsed = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 403, 1000);
    expect(elapsed).toBeLessThan(100);
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: true }, app: A.app });
    expect(await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 200, 1000)).toBeLessThan(100);
  });

  it("a roll through A: B accepts the new secret at once, the old one through the grace period only, then refuses it", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200); // cached on B
    const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 500 }, app: A.app });
    expect(rolled.status).toBe(200);
    const expiresAt: number = rolled.body.apiKey.previousSecretExpiresAt;
    expect((await authorize(rolled.body.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now())));
    const elapsed = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 401, 1000);
    expect(elapsed).toBeLessThan(100);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", A.app)).status).toBe(401);
  });

  it("a roll without a grace period through A: B refuses the old secret within 100 ms", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status).toBe(200);
    await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, app: A.app });
    const elapsed = await until(async () => (await authorize(k.apiKeyString, "openai/gpt-5", B.app)).status === 401, 1000);
    expect(elapsed).toBeLessThan(100);
  });
  it("two instances verify each other's OIDC tokens", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const mint = async (app: App) => {
      const r = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, app, body: {} });
      expect(r.status, r.text).toBe(201);
      return r.body.token as string;
    };
    const [fromA, fromB] = [await mint(A.app), await mint(B.app)];
    for (const [token, app] of [
      [fromA, B.app],
      [fromB, A.app],
    ] as const) {
      const r = await authorize(token, "openai/gpt-5", app);
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ teamId: team.id, projectId: project.id, keyId: null });
    }
    // Deleting the project through A stops its tokens on B (cached there) within 100 ms.
    await call("DELETE", `/v1/projects/${project.id}`, { token: team.owner.token, app: A.app });
    const elapsed = await until(async () => (await authorize(fromA, "openai/gpt-5", B.app)).status === 401, 1000);
    expect(elapsed).toBeLessThan(100);
  });

  it("a rotation through A: B verifies the new key's tokens, and a live token of the old key keeps working on both", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const mint = async (app: App) => (await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, app, body: {} })).body.token as string;
    const kidOf = (t: string) => JSON.parse(Buffer.from(t.split(".")[0]!, "base64url").toString()).kid as string;
    const live = await mint(A.app);
    expect((await authorize(live, "openai/gpt-5", B.app)).status).toBe(200);
    const rot = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, app: A.app, body: {} });
    expect(rot.status).toBe(200);
    const fresh = await mint(A.app);
    expect(kidOf(fresh)).toBe(rot.body.kid);
    expect(kidOf(fresh)).not.toBe(kidOf(live));
    const freshOnB = await mint(B.app); // B signs with the new key too: it reads the current key when minting
    expect(kidOf(freshOnB)).toBe(rot.body.kid);
    for (const inst of [A, B]) {
      for (const t of [live, fresh, freshOnB]) expect((await authorize(t, "openai/gpt-5", inst.app)).status).toBe(200);
    }
  });
});
