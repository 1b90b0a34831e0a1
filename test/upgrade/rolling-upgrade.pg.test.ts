import { execFileSync } from "node:child_process";
import { existsSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer, type SpawnedServer } from "../../scripts/lib/spawn-server.js";
import { ADMIN, api, GATEWAY, keyOn, recordedIds, usageLoad } from "../ops/server-process.js";

/**
 * A rolling upgrade on one Postgres: the previous release serves and records usage while this
 * release starts beside it and runs its migrations (expand only: docs/operations.md), then both
 * serve side by side, then the previous one stops. Nothing is refused, nothing is lost, nothing is
 * counted twice, and the budget holds exactly the recorded reports' cost.
 *
 * The previous release is a commit of this repository, checked out in a worktree sharing this
 * checkout's node_modules; it needs the history (.ci/run deepens a shallow clone).
 */
const PREVIOUS_RELEASE = "7b308b2";
const ADMIN_URL = process.env.DATABASE_URL;

function previousRelease(): string {
  const dir = join(tmpdir(), `tollgate-release-${PREVIOUS_RELEASE}`);
  if (!existsSync(join(dir, "src", "main.ts"))) {
    execFileSync("git", ["worktree", "prune"], { stdio: "ignore" });
    execFileSync("git", ["worktree", "add", "--force", "--detach", dir, PREVIOUS_RELEASE], { stdio: "ignore" });
  }
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return dir;
}

const servers: SpawnedServer[] = [];
let dropDatabase = async () => {};
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop().catch(() => null)));
  await dropDatabase();
});

// Postgres only (the `postgres` project: vitest.config.ts): a rolling upgrade is several instances on one database.
describe("rolling upgrade from the previous release", () => {
  it("the previous release and this one on one Postgres, usage recorded throughout, totals exact", { timeout: 240_000 }, async () => {
    const dir = previousRelease();
    // A database of its own: the shared one already has this release's schema.
    const name = `tollgate_upgrade_${process.pid}_${Date.now()}`;
    const admin = postgres(ADMIN_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(ADMIN_URL!);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    };
    const env = {
      DATABASE_URL: databaseUrl,
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_GATEWAY_TOKEN: GATEWAY,
      TOLLGATE_ENCRYPTION_KEY: "upgrade1:" + Buffer.alloc(32, 9).toString("base64"),
      TOLLGATE_LOG_LEVEL: "error",
    };

    const before = await spawnServer(env, { command: () => [process.execPath, "--import", "tsx", join(dir, "src", "main.ts")] });
    servers.push(before);
    const key = await keyOn(before.url);

    // Usage on the previous release, before, during and after this release's start (and its migrations).
    let stopping = false;
    const onBefore = usageLoad(before.url, key.keyId, 3, () => stopping);
    const after = await spawnServer(env);
    servers.push(after);
    const onAfter = usageLoad(after.url, key.keyId, 3, () => stopping);
    // Both serve: a key made by either authorizes on both.
    for (const s of [before, after]) {
      const answer = await api(s.url, "POST", "/v1/gateway/authorize", GATEWAY, { credential: key.credential, model: "openai/gpt-5" });
      expect(answer.quotas[0]).toMatchObject({ scope: "api_key" });
    }
    const second = await keyOn(after.url);
    expect((await api(before.url, "POST", "/v1/gateway/authorize", GATEWAY, { credential: second.credential, model: "openai/gpt-5" })).quotas.length).toBe(1);
    await new Promise((r) => setTimeout(r, 2_000));
    stopping = true;
    const [a, b] = await Promise.all([onBefore, onAfter]);
    expect([...a.failures, ...b.failures]).toEqual([]);
    expect(a.acknowledged.size).toBeGreaterThan(0);
    expect(b.acknowledged.size).toBeGreaterThan(0);

    // The previous release goes away; this one carries on alone.
    expect(await before.stop()).toBe(0);
    const recorded = await recordedIds(key.keyId, { databaseUrl });
    for (const id of [...a.acknowledged, ...b.acknowledged]) expect(recorded.has(id), id).toBe(true);
    for (const id of recorded) expect(a.sent.has(id) || b.sent.has(id), id).toBe(true);
    const got = await api(after.url, "GET", `/v1/api-keys/${key.keyId}`, key.owner);
    expect(Math.round(got.apiKey.quota.currentSpend * 1e6)).toBe(recorded.size * 10_000);
  });
});
