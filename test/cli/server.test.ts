/**
 * The server-side verbs as an operator runs them, each a child process on its own database
 * (a fresh embedded data dir, or DATABASE_URL when the suite runs on Postgres):
 * `tollgate migrate`, `tollgate admin create-user`, `tollgate keys reencrypt` (and their npm
 * scripts), then `tollgate serve` used by the CLI itself.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer } from "../../scripts/lib/spawn-server.js";
import { uniq } from "../helpers/harness.js";
import { BIN, childEnv, cli, removeTempDirs, tempDir, unsteered, waitFor } from "./helpers.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL;
const ADMIN = "cli-test-admin-token-0123456789";

/** `tollgate serve --port N --host 127.0.0.1` (or `command` with those flags) on `env`; resolves once /healthz answers. */
async function serve(env: Record<string, string>, command = [process.execPath, BIN, "serve"]) {
  const server = await spawnServer(unsteered(env), { command: (port) => [...command, "--port", String(port), "--host", "127.0.0.1"] });
  children.push(server.child);
  return server;
}

/** `npm run --silent <name>` in this repository, to its end. */
function npmRun(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", name], { cwd: REPO, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dataDir = tempDir("data");
const serverEnv = {
  TOLLGATE_DATA_DIR: dataDir,
  TOLLGATE_ADMIN_TOKEN: ADMIN, // no first-user bootstrap
  TOLLGATE_LOG_LEVEL: "info",
  XDG_CONFIG_HOME: tempDir("server-cfg"),
};
const children: { kill: (s: NodeJS.Signals) => void }[] = [];
/** Servers found by the pid in their data dir's lock (not children of this test: an orphan left by npx). */
const strays: number[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  for (const pid of strays) if (isRunning(pid)) process.kill(pid, "SIGKILL");
  removeTempDirs();
});

describe("tollgate serve | migrate | admin create-user", () => {
  it("migrate, then admin create-user prints a working token once, then serve answers the CLI with it", async () => {
    const migrate = await cli(["migrate"], serverEnv);
    expect(migrate.stderr).toBe("");
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/Migrations applied \((pglite|postgres)\)/);

    const email = `${uniq("cli-admin")}@example.test`;
    const created = await cli(["admin", "create-user", "--email", email, "--name", "Ops", "--json"], serverEnv);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(body).toMatchObject({ user: { email, name: "Ops", id: expect.stringMatching(/^user_/) }, bearerToken: expect.stringMatching(/^tgp_/) });
    const again = await cli(["admin", "create-user", "--email", email], serverEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(again.stderr).not.toMatch(/\n\s+at /);
    const missing = await cli(["admin", "create-user"], serverEnv);
    expect(missing.code).toBe(2);

    const server = await serve(serverEnv);
    const url = server.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const whoami = await cli(["whoami", "--json"], { TOLLGATE_API_URL: url, TOLLGATE_TOKEN: body.bearerToken, XDG_CONFIG_HOME: tempDir("whoami") });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { email }, teams: [] });

    expect(await server.stop("SIGTERM")).toBe(0);
  }, 120_000); // four cold starts of a database in child processes

  it.skipIf(DATABASE_URL)(
    "a running server's data dir: admin create-user, migrate and keys reencrypt (and their npm scripts) refuse in one line saying what to do instead, and change nothing",
    async () => {
      const dir = tempDir("held");
      const env = { ...serverEnv, TOLLGATE_DATA_DIR: dir };
      const server = await serve(env);
      const pid = server.child.pid!;
      const email = `${uniq("cli-held")}@example.test`;

      const created = await cli(["admin", "create-user", "--email", email], env);
      expect(created.code).toBe(1);
      expect(created.stdout).toBe("");
      expect(created.stderr.trim().split("\n")).toHaveLength(1);
      expect(created.stderr).toContain(`The data dir ${dir} is in use by a running Tollgate server (pid ${pid}): stop it first, or create the user through its API: POST /v1/admin/users`);

      const migrate = await cli(["migrate"], env);
      expect(migrate.code).toBe(1);
      expect(migrate.stdout).toBe("");
      expect(migrate.stderr.trim()).toBe(
        `The data dir ${dir} is in use by a running Tollgate server (pid ${pid}): it applied the migrations when it started. To apply newer ones, restart it (or stop it, then run this again).`,
      );

      for (const reencrypt of [await cli(["keys", "reencrypt"], env), await npmRun("keys:reencrypt", env)]) {
        expect(reencrypt.code).toBe(1);
        expect(reencrypt.stdout).toBe("");
        expect(reencrypt.stderr.trim().split("\n")).toHaveLength(1);
        expect(reencrypt.stderr).toContain(`The data dir ${dir} is in use by a running Tollgate server (pid ${pid}): stop it first, run this again`);
      }
      const npmMigrate = await npmRun("db:migrate", env);
      expect([npmMigrate.code, npmMigrate.stdout, npmMigrate.stderr.trim()]).toEqual([1, "", migrate.stderr.trim()]);

      // What the message says to do instead works, on the server that holds the data dir.
      const viaApi = await fetch(`${server.url}/v1/admin/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      expect(viaApi.status).toBe(201);

      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(existsSync(join(dir, "tollgate.lock"))).toBe(false);

      // Stopped: the CLI opens the data dir and finds the user the server wrote (nothing was lost).
      const again = await cli(["admin", "create-user", "--email", email], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("already exists");
      // And re-encrypts with the key the server generated into it (nothing is sealed yet).
      const reencrypt = await cli(["keys", "reencrypt"], env);
      expect(reencrypt.stderr).toBe("");
      expect(reencrypt.code).toBe(0);
      expect(reencrypt.stdout).toMatch(/^Re-encrypting with key "\w+" \(keys held: \w+\)\.\n/);
      expect(reencrypt.stdout).toContain("Done. Every sealed value uses key");
      expect(existsSync(join(dir, "tollgate.lock"))).toBe(false);
    },
    120_000,
  );

  it.skipIf(DATABASE_URL)("`npx tollgate serve` stopped with SIGTERM: the server drains and exits too, none left running", async () => {
    const dir = tempDir("npx");
    const server = await serve({ ...serverEnv, TOLLGATE_DATA_DIR: dir }, ["npx", "tollgate", "serve"]);
    // The server's pid, from its data dir's lock: npx runs it under a shell, not as our child.
    const pid = Number.parseInt(readFileSync(join(dir, "tollgate.lock"), "utf8"), 10);
    strays.push(pid);
    expect(pid).not.toBe(server.child.pid);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    server.child.kill("SIGTERM");
    await server.exited;
    await waitFor("the server started by npx to exit", () => !isRunning(pid), 15_000);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(existsSync(join(dir, "tollgate.lock"))).toBe(false); // a clean shutdown released it
  }, 120_000);
});
