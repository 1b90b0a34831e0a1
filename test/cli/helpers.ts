import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { getHarness } from "../helpers/harness.js";

/** The bin as npm installs it (package.json "bin"). */
export const BIN = fileURLToPath(new URL("../../bin/tollgate.js", import.meta.url));

export type Run = { code: number; stdout: string; stderr: string; args: string[] };

const made: string[] = [];

/** A fresh XDG_CONFIG_HOME (or data dir), so a test never reads or writes the user's real config. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tollgate-cli-${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this worker (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Variables of ours that would steer a child CLI: never passed on unless a test gives them. */
const STEERING = ["TOLLGATE_TOKEN", "TOLLGATE_API_URL", "NO_COLOR", "FORCE_COLOR", "XDG_CONFIG_HOME"];

/** `extra`, with every steering variable it does not give set to undefined (removed): for spawnServer's `env`. */
export function unsteered(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...Object.fromEntries(STEERING.map((k) => [k, undefined])), ...extra };
}

/** The environment a child CLI gets: ours minus anything that would steer it, plus `extra`. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of STEERING) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * At most two CLI processes at once (the machine has two cores, and the other test worker runs
 * meanwhile): a test may start many with Promise.all; they queue here.
 */
let running = 0;
const queue: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Runs `tollgate …` as a child process (stdin not a terminal) and collects its output. */
export function cli(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return slot(() => spawnCli(args, env));
}

function spawnCli(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, args }));
  });
}

/**
 * The harness app (the worker's shared database) served over real HTTP on 127.0.0.1, port 0, for
 * the CLI to call. Not a server start (src/server.ts `startServer`): no database of its own.
 */
export async function serveHarness(): Promise<{ url: string; close: () => Promise<void> }> {
  const h = await getHarness();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Waits until `check` returns a value (polling), or fails naming what it waited for. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The CLI in a real pseudo-terminal: a detached tmux session on its own socket, driven with
 * send-keys and read with capture-pane. The command's exit code is printed as `__EXIT=<n>`.
 */
export class Terminal {
  /** Its own tmux server, on a socket this test owns and removes. */
  private readonly socket = join(tmpdir(), `tollgate-cli-tmux-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);

  constructor(args: string[], env: Record<string, string | undefined>) {
    const e = childEnv(env);
    const assignments = Object.entries(e)
      .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      .map(([k, v]) => `${k}=${shellQuote(v ?? "")}`)
      .join(" ");
    const command = `env -i ${assignments} ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${args.map(shellQuote).join(" ")}; echo __EXIT=$?; sleep 60`;
    this.tmux("new-session", "-d", "-x", "160", "-y", "50", command);
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  }

  /** The visible screen; with `escapes`, the colour codes too. */
  screen(escapes = false): string {
    return this.tmux("capture-pane", "-p", "-J", ...(escapes ? ["-e"] : []));
  }

  waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    return waitFor(`${text} on the terminal (screen: ${this.lastScreen})`, () => {
      this.lastScreen = this.screen();
      return (typeof text === "string" ? this.lastScreen.includes(text) : text.test(this.lastScreen)) && this.lastScreen;
    }, timeoutMs);
  }

  private lastScreen = "";

  /** Types `text` and presses Enter. */
  type(text: string): void {
    if (text) this.tmux("send-keys", "-l", text);
    this.tmux("send-keys", "Enter");
  }

  async exitCode(): Promise<number> {
    const screen = await this.waitFor(/__EXIT=\d+/);
    return Number(/__EXIT=(\d+)/.exec(screen)![1]);
  }

  close(): void {
    try {
      this.tmux("kill-server");
    } catch {}
    rmSync(this.socket, { force: true });
  }
}

export type { ChildProcess };
