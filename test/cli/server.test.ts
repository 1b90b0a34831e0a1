/**
 * The server-side verbs as an operator runs them, each a child process on its own database
 * (a fresh embedded data dir, or DATABASE_URL when the suite runs on Postgres):
 * `tollgate migrate`, `tollgate admin create-user`, then `tollgate serve` used by the CLI itself.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { uniq } from "../helpers/harness.js";
import { BIN, childEnv, cli, removeTempDirs, tempDir, waitFor } from "./helpers.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL;
const ADMIN = "cli-test-admin-token-0123456789";

/** `tollgate serve` (or `command`) on `env`; resolves once it listens, with its URL and exit. */
async function serve(env: Record<string, string>, command = [process.execPath, BIN, "serve"]) {
  const child = spawn(command[0]!, [...command.slice(1), "--port", "0", "--host", "127.0.0.1"], { cwd: REPO, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const port = await waitFor("the server to listen", () => {
    if (gone) throw new Error(`the server exited before listening:\n${out}`);
    return /"url":"http:\/\/localhost:(\d+)"/.exec(out)?.[1];
  }, 60_000);
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => out };
}

/** Runs a script of this repository (`node --import tsx <path>`) to its end. */
function script(path: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path], { cwd: REPO, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
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

    const server = spawn(process.execPath, [BIN, "serve", "--port", "0", "--host", "127.0.0.1"], { env: childEnv(serverEnv), stdio: ["ignore", "pipe", "pipe"] });
    children.push(server);
    let out = "";
    server.stdout.on("data", (d) => (out += d));
    server.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => server.on("exit", (code) => r(code)));
    const port = await waitFor("the server to listen", () => /"url":"http:\/\/localhost:(\d+)"/.exec(out)?.[1], 30_000);
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const whoami = await cli(["whoami", "--json"], { TOLLGATE_API_URL: url, TOLLGATE_TOKEN: body.bearerToken, XDG_CONFIG_HOME: tempDir("whoami") });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { email }, teams: [] });

    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000); // four cold starts of a database in child processes

  it.skipIf(DATABASE_URL)(
    "a running server's data dir: admin create-user, migrate and keys:reencrypt refuse in one line saying what to do instead, and change nothing",
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

      const reencrypt = await script("src/lib/reencrypt-cli.ts", env);
      expect(reencrypt.code).toBe(1);
      expect(reencrypt.stdout).toBe("");
      expect(reencrypt.stderr.trim().split("\n")).toHaveLength(1);
      expect(reencrypt.stderr).toContain(`The data dir ${dir} is in use by a running Tollgate server (pid ${pid}): stop it first, run this again`);

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
