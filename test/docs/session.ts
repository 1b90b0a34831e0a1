import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/**
 * Defined in every docs session. `npm start` starts the server as the README says (`tsx
 * src/main.ts` in the repository, with the session's environment) on the session's port, data dir
 * and database, stopping the one it started before; its output goes where the command's output
 * goes. Any other `npm` command, and `npx`, is the real one, run in the repository (where a reader
 * runs them).
 */
const PRELUDE = String.raw`
set -o pipefail
__docs_fail() { printf '%s\n' "exit status $1: $2" >> "$DOCS_WORK/failures"; }
trap '__docs_fail "$?" "$BASH_COMMAND"' ERR
npm() {
  if [ "$1" != start ]; then (cd "$DOCS_REPO" && command npm "$@"); return; fi
  # A server block always runs in the background, so this body runs in the job's own process
  # (no inner subshell: the job's pid must be the one that traps the signal).
  {
    if [ -s "$DOCS_WORK/server.pid" ]; then
      old=$(cat "$DOCS_WORK/server.pid")
      kill "$old" 2>/dev/null
      while kill -0 "$old" 2>/dev/null; do sleep 0.05; done
    fi
    : > "$DOCS_WORK/server.log"
    cd "$DOCS_REPO" || return 1
    PORT=$DOCS_PORT HOST=127.0.0.1 TOLLGATE_DATA_DIR=$DOCS_DATA_DIR DATABASE_URL=$DOCS_DATABASE_URL \
      node --import tsx src/main.ts >> "$DOCS_WORK/server.log" 2>&1 &
    pid=$!
    echo "$pid" > "$DOCS_WORK/server.pid"
    # Like npm start: stopping this job (kill %1, Ctrl-C) stops the server, and the job ends
    # with the server's exit status once the server and its output are done.
    trap 'kill "$pid" 2>/dev/null' TERM INT
    tail -n +1 -f --pid="$pid" "$DOCS_WORK/server.log" 2>/dev/null &
    tailpid=$!
    while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
    wait "$pid"
    code=$?
    wait "$tailpid"
    # A stopped server has no pid file: the runner waits for the next one's.
    [ "$(cat "$DOCS_WORK/server.pid" 2>/dev/null)" = "$pid" ] && rm -f "$DOCS_WORK/server.pid"
    return "$code"
  }
}
npx() { (cd "$DOCS_REPO" && command npx "$@"); }
`;

export type StepResult = { output: string; stderr: string; failures: string[]; timedOut: boolean };

/** One bash process per page: variables, functions and the working directory carry over. */
export class DocsSession {
  readonly work: string;
  readonly dataDir: string;
  private bash: ChildProcessWithoutNullStreams;
  private buffered = "";
  private waiter: (() => void) | null = null;
  private seq = 0;

  /**
   * `checkout`: the repository the session's `npm`/`npx` run in and its working directory
   * (default: this repository, and an empty temporary directory to work in).
   */
  constructor(
    readonly port: number,
    databaseUrl: string | undefined,
    checkout?: string,
  ) {
    this.work = mkdtempSync(join(tmpdir(), "tollgate-docs-"));
    this.dataDir = join(this.work, "data");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? this.work,
      LANG: "C.UTF-8",
      DOCS_WORK: this.work,
      DOCS_REPO: checkout ?? REPO,
      DOCS_PORT: String(port),
      // Where the README's TOLLGATE=http://localhost:${PORT:-3000} points.
      PORT: String(port),
      DOCS_DATA_DIR: this.dataDir,
      DOCS_DATABASE_URL: databaseUrl ?? "",
      TOLLGATE_LOG_LEVEL: "error",
    };
    this.bash = spawn("bash", ["--noprofile", "--norc"], { cwd: checkout ?? this.work, env, stdio: ["pipe", "pipe", "pipe"] });
    this.bash.stdout.setEncoding("utf8");
    this.bash.stdout.on("data", (d: string) => {
      this.buffered += d;
      this.waiter?.();
    });
    this.bash.stderr.on("data", () => {});
    this.bash.stdin.write(PRELUDE + "\n");
  }

  /** Runs shell code in the session; its output (stdout), stderr and any failed command. */
  async run(code: string, timeoutMs = 60_000): Promise<StepResult> {
    const n = ++this.seq;
    const file = join(this.work, `step-${n}.sh`);
    writeFileSync(file, code + "\n");
    const out = join(this.work, `step-${n}.out`);
    const err = join(this.work, `step-${n}.err`);
    rmSync(join(this.work, "failures"), { force: true });
    const done = `__DOCS_DONE_${n}__`;
    this.bash.stdin.write(`source ${file} > ${out} 2> ${err} < /dev/null; echo ${done}\n`);
    const timedOut = !(await this.waitFor(done, timeoutMs));
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8") : "");
    const failuresFile = join(this.work, "failures");
    return {
      output: read(out),
      stderr: read(err),
      failures: read(failuresFile)
        .split("\n")
        .filter((l) => l && !l.includes(`source ${file} `)),
      timedOut,
    };
  }

  /** Values of shell variables in the session. */
  async vars(names: string[]): Promise<Record<string, string>> {
    if (names.length === 0) return {};
    const r = await this.run(names.map((v) => `printf '%s\\0' "\${${v}-}"`).join("\n"));
    const values = r.output.split("\0");
    return Object.fromEntries(names.map((v, i) => [v, values[i] ?? ""]));
  }

  serverLog(): string {
    const f = join(this.work, "server.log");
    return existsSync(f) ? readFileSync(f, "utf8") : "";
  }

  serverPid(): number | null {
    const f = join(this.work, "server.pid");
    const pid = existsSync(f) ? Number(readFileSync(f, "utf8").trim()) : NaN;
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** Waits until the server answers /healthz; false if it exited or did not within the time. */
  async waitForServer(timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const pid = this.serverPid();
      if (pid !== null && !alive(pid)) return false;
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (r.ok) return true;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  async close(): Promise<void> {
    const pid = this.serverPid();
    if (pid !== null && alive(pid)) {
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
    this.bash.stdin.end();
    this.bash.kill();
    rmSync(this.work, { recursive: true, force: true });
  }

  private async waitFor(marker: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.buffered.includes(marker)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    this.buffered = this.buffered.slice(this.buffered.indexOf(marker) + marker.length);
    return true;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
