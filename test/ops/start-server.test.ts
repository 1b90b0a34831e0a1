/**
 * `startServer(config)` (src/server.ts) in this process, as a test or script uses it: it serves
 * until `close()`, which leaves nothing behind (the port refused, the data dir free to open
 * again); a start it refuses is a `ServerRefused` with the line `npm start` prints, and closes
 * what it had opened. The same start as a process of its own: test/ops/lifecycle.test.ts.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, refusedPort } from "../../scripts/lib/spawn-server.js";
import { loadConfig } from "../../src/config.js";
import { ServerRefused, startServer } from "../../src/server.js";
import { ENCRYPTION_KEY } from "../helpers/harness.js";
import { ADMIN, GATEWAY, api, freshDataDir } from "./server-process.js";

const DATABASE_URL = process.env.DATABASE_URL;

/**
 * A config as the environment would give it: the test's database (or `dataDir`), a port of its
 * own, quiet. On the tests' shared Postgres, no encryption key (as the spawned servers of
 * lifecycle.test.ts): a server with one would add an OIDC signing key sealed under it.
 */
function configOn(env: Record<string, string>) {
  return loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    TOLLGATE_LOG_LEVEL: "silent",
    TOLLGATE_WEBHOOKS_DELIVER: "false",
    TOLLGATE_ADMIN_TOKEN: ADMIN,
    TOLLGATE_GATEWAY_TOKEN: GATEWAY,
    ...(DATABASE_URL ? { DATABASE_URL } : { TOLLGATE_ENCRYPTION_KEY: ENCRYPTION_KEY }),
    ...env,
  });
}

/** The port can be bound again: nothing of the refused start kept it. */
async function bindable(port: number): Promise<boolean> {
  const probe = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (ok) await new Promise((r) => probe.close(r));
  return ok;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable("the server started"),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ServerRefused);
      return (err as Error).message;
    },
  );

describe("startServer in this process", () => {
  it("serves the API until close(); close() stops it and frees its port and data dir; a second start finds what the first wrote", async () => {
    const dataDir = freshDataDir();
    const server = await startServer(configOn({ TOLLGATE_DATA_DIR: dataDir }));
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const email = `start-${Math.random().toString(36).slice(2, 10)}@example.test`;
    const created = await api(server.url, "POST", "/v1/admin/users", ADMIN, { email });
    expect(created.bearerToken).toMatch(/^tgp_/);
    if (!DATABASE_URL) expect(existsSync(join(dataDir, "tollgate.lock"))).toBe(true);

    await Promise.all([server.close(), server.close()]); // once, however often asked
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(existsSync(join(dataDir, "tollgate.lock"))).toBe(false);
    expect(await bindable(server.port)).toBe(true);

    const again = await startServer(configOn({ TOLLGATE_DATA_DIR: dataDir }));
    try {
      const whoami = await fetch(`${again.url}/v1/user`, { headers: { authorization: `Bearer ${created.bearerToken}` } });
      expect(whoami.status).toBe(200);
      // Not draining: the first server's stop is over (its /readyz flag is process-wide).
      expect((await (await fetch(`${again.url}/readyz`)).json()).draining).toBe(false);
    } finally {
      await again.close();
    }
  }, 60_000);

  it.skipIf(DATABASE_URL)("a data dir a running server holds: refused with the line npm start prints, and the port it bound is released", async () => {
    const dataDir = freshDataDir();
    const first = await startServer(configOn({ TOLLGATE_DATA_DIR: dataDir }));
    try {
      const port = await freePort();
      const line = await refusal(startServer(configOn({ TOLLGATE_DATA_DIR: dataDir, PORT: String(port) })));
      expect(line).toBe(
        `The data dir ${dataDir} is in use by a running Tollgate server (pid ${process.pid}): stop it first, or give this one another TOLLGATE_DATA_DIR (or a DATABASE_URL to share one Postgres).`,
      );
      expect(await bindable(port)).toBe(true);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200); // the first one is untouched
    } finally {
      await first.close();
    }
  }, 60_000);

  it("a port in use: refused in one line before a database is opened", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(freshDataDir(), "never-made");
    try {
      const line = await refusal(startServer(configOn({ TOLLGATE_DATA_DIR: dataDir, PORT: String(port) })));
      expect(line).toBe(`Port ${port} on 127.0.0.1 is already in use (another Tollgate?). Stop it or set PORT to a free port.`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it("a DATABASE_URL nothing listens on: refused in one line naming it, and the port it bound is released", async () => {
    const dead = await refusedPort();
    const port = await freePort();
    const line = await refusal(startServer(configOn({ DATABASE_URL: `postgres://postgres@127.0.0.1:${dead}/test`, PORT: String(port) })));
    expect(line).toBe(
      `DATABASE_URL (postgres://postgres@127.0.0.1:${dead}/test): connection refused at 127.0.0.1:${dead} (no Postgres listening on that host and port). Fix DATABASE_URL and try again.`,
    );
    expect(await bindable(port)).toBe(true);
  }, 30_000);
});
