/**
 * The embedded data dir's lock (src/db/data-dir-lock.ts), as a second process finds it: the
 * lock file's pid and holder. The servers and commands that take it are tested as real processes
 * in test/ops/lifecycle.test.ts and test/cli/server.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { DataDirLocked, lockDataDir } from "../../src/db/data-dir-lock.js";

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-lock-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the data dir lock", () => {
  it("is refused while a running process holds it, naming that process and what it is", () => {
    const dir = fresh();
    const holder = process.ppid; // running for as long as this test does
    writeFileSync(join(dir, "tollgate.lock"), `${holder}\ntollgate migrate\n`);
    let err: unknown;
    try {
      lockDataDir(dir, "server");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLocked);
    expect((err as DataDirLocked).describe("stop it first.")).toBe(`The data dir ${dir} is in use by \`tollgate migrate\` (pid ${holder}). Wait until it has finished, then try again.`);
    expect(readFileSync(join(dir, "tollgate.lock"), "utf8")).toBe(`${holder}\ntollgate migrate\n`); // left alone
  });

  it("a lock written by an older server (its pid only) names a running server", () => {
    const dir = fresh();
    writeFileSync(join(dir, "tollgate.lock"), `${process.ppid}\n`);
    expect(() => lockDataDir(dir, "tollgate migrate")).toThrow(`The data dir ${dir} is in use by a running Tollgate server (pid ${process.ppid}). Stop it first.`);
  });

  it("a lock left by a process that no longer runs is taken over; release removes it", () => {
    const dir = fresh();
    writeFileSync(join(dir, "tollgate.lock"), `${deadPid()}\nserver\n`);
    const release = lockDataDir(dir, "tollgate admin create-user");
    expect(readFileSync(join(dir, "tollgate.lock"), "utf8")).toBe(`${process.pid}\ntollgate admin create-user\n`);
    release();
    expect(existsSync(join(dir, "tollgate.lock"))).toBe(false);
  });

  it("a second open of the same data dir in one process is refused until the first is closed", async () => {
    const dir = fresh();
    const first = await openDatabase({ dataDir: dir, holder: "server" });
    try {
      await expect(openDatabase({ dataDir: dir, holder: "tollgate migrate" })).rejects.toThrow(`in use by a running Tollgate server (pid ${process.pid})`);
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, "tollgate.lock"))).toBe(false);
    const second = await openDatabase({ dataDir: dir, holder: "tollgate migrate" });
    await second.close();
  }, 60_000);
});
