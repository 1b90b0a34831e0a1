/**
 * The server-side verbs as an operator runs them, each a child process on its own database
 * (a fresh embedded data dir, or DATABASE_URL when the suite runs on Postgres):
 * `tollgate migrate`, `tollgate admin create-user`, then `tollgate serve` used by the CLI itself.
 */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { uniq } from "../helpers/harness.js";
import { BIN, childEnv, cli, removeTempDirs, tempDir, waitFor } from "./helpers.js";

const dataDir = tempDir("data");
const serverEnv = {
  TOLLGATE_DATA_DIR: dataDir,
  TOLLGATE_ADMIN_TOKEN: "cli-test-admin-token-0123456789", // no first-user bootstrap
  TOLLGATE_LOG_LEVEL: "info",
  XDG_CONFIG_HOME: tempDir("server-cfg"),
};
const children: { kill: (s: NodeJS.Signals) => void }[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
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
});
