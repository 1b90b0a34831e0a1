import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { refusedPort, runServerToExit, spawnServer } from "../../scripts/lib/spawn-server.js";
import { ADMIN, GATEWAY, freshDataDir, keyOn, recordedIds, usageLoad } from "./server-process.js";

const DATABASE_URL = process.env.DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the spawned server keeps its data: the test's Postgres database, or a fresh PGlite dir. */
function storage(): { env: Record<string, string>; where: { databaseUrl?: string; dataDir?: string } } {
  const base = { TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY };
  if (DATABASE_URL) return { env: { ...base, DATABASE_URL }, where: { databaseUrl: DATABASE_URL } };
  const dataDir = freshDataDir();
  return { env: { ...base, TOLLGATE_DATA_DIR: dataDir }, where: { dataDir } };
}

describe("the server process (spawned as `npm start` runs it)", () => {
  it("SIGTERM under usage load: answers what is in flight, no connection reset, exits 0, every 202 durable", async () => {
    const { env, where } = storage();
    const server = await spawnServer({ ...env, TOLLGATE_SHUTDOWN_TIMEOUT_MS: "8000" });
    const { keyId } = await keyOn(server.url);
    let signalled = false;
    const load = usageLoad(server.url, keyId, 16, () => false);
    await sleep(800);
    server.child.kill("SIGTERM");
    signalled = true;
    const result = await load;
    const code = await server.exited;
    expect(signalled).toBe(true);
    expect(code, server.stderr()).toBe(0);
    expect(result.failures).toEqual([]);
    expect(result.acknowledged.size).toBeGreaterThan(0);
    expect(server.stdout()).toContain('"msg":"shut down"');
    const recorded = await recordedIds(keyId, where);
    for (const id of result.acknowledged) expect(recorded.has(id), `202 ${id} durable`).toBe(true);
    for (const id of recorded) expect(result.sent.has(id)).toBe(true);
  }, 60_000);

  it("kill -9 under usage load: every 202 is durable", async () => {
    const { env, where } = storage();
    const server = await spawnServer(env);
    const { keyId } = await keyOn(server.url);
    let killed = false;
    const load = usageLoad(server.url, keyId, 16, () => killed);
    await sleep(800);
    server.child.kill("SIGKILL");
    killed = true;
    const result = await load;
    await server.exited;
    expect(result.acknowledged.size).toBeGreaterThan(0);
    const recorded = await recordedIds(keyId, where);
    for (const id of result.acknowledged) expect(recorded.has(id), `202 ${id} durable`).toBe(true);
  }, 60_000);

  it.skipIf(DATABASE_URL)("a second server on the same PGlite data dir refuses to start, naming the first; the folder starts again once the first stopped", async () => {
    const dataDir = freshDataDir();
    const env = { TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY, TOLLGATE_DATA_DIR: dataDir };
    const first = await spawnServer(env);
    try {
      const second = await runServerToExit({ ...env, PORT: "0" });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`The data dir ${dataDir} is in use by a running Tollgate server (pid ${first.child.pid}): stop it first`);
      expect(second.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
    }
    // The lock is released on exit: the next start on the folder works.
    const again = await spawnServer(env);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 60_000);

  it("a port already in use is one line on stderr, before anything is created or a token printed", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataDir = freshDataDir();
      const r = await runServerToExit({ PORT: String(port), TOLLGATE_DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use (another Tollgate?). Stop it or set PORT to a free port.`);
      expect(r.stdout).not.toContain("token");
    } finally {
      blocker.close();
    }
  }, 60_000);

  it("a DATABASE_URL to a port nothing listens on is one line naming DATABASE_URL, exit 1", async () => {
    const port = await refusedPort();
    const r = await runServerToExit({ PORT: "0", DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `DATABASE_URL (postgres://postgres@127.0.0.1:${port}/test): connection refused at 127.0.0.1:${port} (no Postgres listening on that host and port). Fix DATABASE_URL and try again.`,
    );
  }, 60_000);

  it("a DATABASE_URL naming a database that does not exist is one line naming DATABASE_URL (password hidden), exit 1", async () => {
    const name = `tollgate_missing_${Math.random().toString(36).slice(2, 10)}`;
    const r = await runServerToExit({ PORT: "0", DATABASE_URL: `postgres://postgres:not-shown@127.0.0.1:5432/${name}` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`DATABASE_URL (postgres://postgres:***@127.0.0.1:5432/${name}): database "${name}" does not exist. Fix DATABASE_URL and try again.`);
  }, 60_000);

  it("a TOLLGATE_LISTEN_DATABASE_URL to a port nothing listens on is one line naming it, exit 1", async () => {
    const port = await refusedPort();
    const pg = DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"; // the tests' Postgres (README: Services), on either run
    const r = await runServerToExit({ PORT: "0", DATABASE_URL: pg, TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_LISTEN_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(
      `TOLLGATE_LISTEN_DATABASE_URL (postgres://postgres@127.0.0.1:${port}/test): connection refused at 127.0.0.1:${port} (no Postgres listening on that host and port). Fix TOLLGATE_LISTEN_DATABASE_URL and try again.`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("`npm start` stopped with SIGTERM stops the server itself (no child left serving)", async () => {
    const dataDir = freshDataDir();
    const server = await spawnServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_TOKEN: ADMIN }, { command: () => ["npm", "start", "--silent"] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    server.child.kill("SIGTERM");
    await server.exited;
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      try {
        await fetch(`${server.url}/healthz`);
        await sleep(100);
      } catch (err) {
        refused = (err as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
      }
    }
    expect(refused).toBe(true);
  }, 60_000);
});
