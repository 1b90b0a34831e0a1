/**
 * The one way to run Tollgate in a process of its own and wait for it: `spawnServer(env)` spawns
 * `npm start`'s entry (src/main.ts, through scripts/lib/serve.ts) on a free port of 127.0.0.1 and
 * resolves once `/healthz` answers 200 (the port answers 503 while the server starts). For what
 * needs a separate process: a test that sends SIGTERM or kill -9, two servers on one data dir,
 * `tollgate serve` or `npm start` as an operator runs them, a benchmark's or a soak's server.
 * In the same process, call `startServer(config)` (src/server.ts) instead.
 *
 * Used by test/ops, test/cli, test/dashboard, test/oidc, test/upgrade, scripts/soak.ts,
 * scripts/outage.ts and bench/ (run.ts, scale.ts, db-cost.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** What every spawned server gets unless `env` says otherwise (tests' servers share the tests' Postgres: no webhooks sent unless asked). */
const DEFAULTS = { HOST: "127.0.0.1", TOLLGATE_LOG_LEVEL: "info", TOLLGATE_WEBHOOKS_DELIVER: "false" };

/** Output kept per stream (the newest): a soak's server logs for minutes. */
const KEEP_CHARS = 4_000_000;

export type SpawnedServer = {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** From the spawn to the first 200 on /healthz. */
  startMs: number;
  stdout: () => string;
  stderr: () => string;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (or `signal`), then its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export type SpawnOptions = {
  /**
   * The command line, given the port (also in the environment as PORT). Default: Tollgate as
   * `npm start` runs it, `node --import tsx scripts/lib/serve.ts`. Anything that answers
   * `/healthz` fits: `tollgate serve --port N`, `npm start`, a bench's bare server.
   */
  command?: (port: number) => string[];
  /** Give up (SIGKILL, reject with its output) after this long. Default 60 s. */
  timeoutMs?: number;
  /** Also write its stderr to ours as it comes (a benchmark's server: errors seen live). */
  echoStderr?: boolean;
  /** The path polled until it answers 2xx. Default `/healthz` (another product's server: its own). */
  ready?: string;
};

/** The environment a server gets: ours, the defaults, then `env` (a key set to undefined is removed). */
function serverEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, ...DEFAULTS };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

const defaultCommand = () => [process.execPath, "--import", "tsx", "scripts/lib/serve.ts"];

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A port on 127.0.0.1 that refuses connections, chosen below the kernel's ephemeral range
 * (`ip_local_port_range`) so no `listen(0)` elsewhere (another test's server, fake provider or
 * TCP proxy to Postgres) can take it between this check and its use. A port from `freePort()`
 * can be, and once was in CI: a proxy to the test database took it and the server started.
 */
export async function refusedPort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: 32768 is the usual start of the range elsewhere too
  }
  for (let tries = 0; tries < 50; tries++) {
    const port = 20000 + Math.floor(Math.random() * Math.max(1, Math.min(low, 32768) - 20000));
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
    });
    if (refused) return port;
  }
  throw new Error("no port below the ephemeral range refuses connections");
}

type Started = { child: ChildProcess; exited: Promise<number | null>; stdout: () => string; stderr: () => string };

function start(command: string[], env: NodeJS.ProcessEnv, echoStderr = false): Started {
  const child = spawn(command[0]!, command.slice(1), { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const keep = (s: string) => (s.length > KEEP_CHARS ? s.slice(-KEEP_CHARS) : s);
  child.stdout!.on("data", (d) => (out = keep(out + d)));
  child.stderr!.on("data", (d) => {
    err = keep(err + d);
    if (echoStderr) process.stderr.write(d);
  });
  // "close": its output is all read by then.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  child.on("error", () => {}); // a command that does not exist: "close" follows with code -2
  return { child, exited, stdout: () => out, stderr: () => err };
}

/**
 * Spawns a server on `env` (PORT: a free port unless given) and resolves once `/healthz` answers
 * 200; rejects with its output if it exits first or does not answer within `timeoutMs`. A port
 * taken by someone else between choosing it and binding it: tried again on another one.
 */
export async function spawnServer(env: Record<string, string | undefined> = {}, opts: SpawnOptions = {}): Promise<SpawnedServer> {
  const command = opts.command ?? defaultCommand;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    const port = env.PORT && env.PORT !== "0" ? Number(env.PORT) : await freePort();
    const t0 = performance.now();
    const s = start(command(port), serverEnv({ ...env, PORT: String(port) }), opts.echoStderr);
    let code: number | null | undefined;
    void s.exited.then((c) => (code = c));
    const url = `http://127.0.0.1:${port}`;
    const until = Date.now() + timeoutMs;
    while (code === undefined) {
      const ok = await fetch(`${url}${opts.ready ?? "/healthz"}`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => (void r.body?.cancel(), r.ok),
        () => false,
      );
      if (ok && code === undefined && s.child.exitCode === null) {
        const startMs = performance.now() - t0;
        return {
          ...s,
          url,
          port,
          startMs,
          stop: (signal = "SIGTERM") => {
            if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
            return s.exited;
          },
        };
      }
      if (Date.now() > until) {
        s.child.kill("SIGKILL");
        await s.exited;
        throw new Error(`the server did not answer /healthz within ${timeoutMs} ms:\n${s.stdout()}\n${s.stderr()}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const portTaken = /already in use/.test(s.stderr()) && !(env.PORT && env.PORT !== "0");
    if (!portTaken || attempt >= 3) throw new Error(`the server exited (${code}) before answering /healthz:\n${s.stdout()}\n${s.stderr()}`);
  }
}

/** Runs Tollgate expecting it to refuse to start (PORT 0 unless given): its exit code and output. SIGKILL after `timeoutMs` (30 s). */
export async function runServerToExit(
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const s = start(defaultCommand(), serverEnv({ PORT: "0", ...env }));
  const timer = setTimeout(() => s.child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  const code = await s.exited;
  clearTimeout(timer);
  return { code, stdout: s.stdout(), stderr: s.stderr() };
}
