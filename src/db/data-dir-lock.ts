import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

/** The lock file in an embedded data dir: the holder's pid on its first line, what it is on the second. */
export const LOCK_FILE_NAME = "tollgate.lock";

/** What holds a data dir, as written in its lock file: the server, or a command (`tollgate migrate`, …). */
export const SERVER_HOLDER = "server";

/**
 * The data dir is held by another process that still runs (`pid`), or by another handle of this
 * one. `holder` says what it is: `server` (also for a lock written before holders were recorded),
 * or the command that holds it. Each opener words its own message from these (what to do instead).
 */
export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(
      holder === SERVER_HOLDER
        ? `The data dir ${dataDir} is in use by a running Tollgate server (pid ${pid}). Stop it first.`
        : `The data dir ${dataDir} is in use by \`${holder}\` (pid ${pid}). Wait until it has finished, then try again.`,
    );
  }

  /** `holder === server`: "… in use by a running Tollgate server (pid N): `instead`"; another command: wait for it. */
  describe(instead: string): string {
    return this.holder === SERVER_HOLDER ? `The data dir ${this.dataDir} is in use by a running Tollgate server (pid ${this.pid}): ${instead}` : this.message;
  }
}

/** Data dirs this process holds, and as what (a second handle in the same process would be a second copy too). */
const heldHere = new Map<string, string>();

/**
 * One process per embedded (PGlite) data dir: two would each keep their own copy of the database
 * in memory and overwrite each other's files (what one of them wrote is lost). Every process that
 * opens a data dir (the server, `tollgate migrate`, `tollgate admin create-user`,
 * `npm run keys:reencrypt`: src/db/client.ts takes it on open) takes `<dataDir>/tollgate.lock`,
 * holding its pid and `holder`, or throws `DataDirLocked` naming the process that has it. A lock
 * left by a process that no longer runs (kill -9, power loss) is taken over. Returns the release
 * function (also run at exit).
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const path = join(dataDir, LOCK_FILE_NAME);
  const key = resolve(dataDir);
  const heldAs = heldHere.get(key);
  if (heldAs !== undefined) throw new DataDirLocked(dataDir, process.pid, heldAs);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, `${process.pid}\n${holder}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.set(key, holder);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        heldHere.delete(key);
        process.off("exit", release);
        try {
          if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) unlinkSync(path);
        } catch {}
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let content = "";
      try {
        content = readFileSync(path, "utf8");
      } catch (readErr) {
        if ((readErr as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
        throw readErr;
      }
      const [pidLine = "", holderLine = ""] = content.split("\n");
      const pid = Number.parseInt(pidLine, 10);
      // Our own pid in a lock this process does not hold: left by an earlier process that had the
      // same pid (containers reuse small pids), so stale too.
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new DataDirLocked(dataDir, pid, holderLine.trim() || SERVER_HOLDER);
      }
      try {
        unlinkSync(path); // stale: its process is gone
      } catch (unlinkErr) {
        if ((unlinkErr as NodeJS.ErrnoException).code !== "ENOENT") throw unlinkErr;
      }
    }
  }
  throw new Error(`Cannot take the lock ${path}: another process takes it at the same time; try again.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
