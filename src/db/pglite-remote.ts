/**
 * The embedded database, run on its own thread (src/db/pglite-worker.ts): PGlite executes each
 * statement on the thread that calls it, which on the HTTP thread held every request behind every
 * statement. This is the part of PGlite's interface drizzle's pglite driver and this codebase
 * use (`query`, `exec`, `transaction`, `listen`, `close`), each call a message to that thread.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Reply, Request, RowMode, WireError } from "./pglite-protocol.js";

type Results = { rows: unknown[]; affectedRows?: number; fields: { name: string; dataTypeID: number }[] };
type QueryOptions = { rowMode?: RowMode; parsers?: Record<number, unknown> };
type Call = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** A statement's failure as PGlite threw it: the message, with `code`, `constraint`, ... as fields. */
class RemoteDatabaseError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    Object.assign(this, wire.fields);
    this.name = wire.name;
  }
}

/**
 * PGlite's WebAssembly, compiled once per process and handed to each database thread (a compiled
 * module crosses threads without being compiled again): each thread compiling its own 9 MB cost
 * seconds of CPU per database opened.
 */
let compiled: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }> | undefined;
function wasmModules() {
  compiled ??= (async () => {
    // Beside the package's entry (its exports do not name the .wasm files).
    const dist = (file: string) => join(dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")), file);
    const [pglite, initdb] = await Promise.all([readFile(dist("pglite.wasm")), readFile(dist("initdb.wasm"))]);
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pglite), WebAssembly.compile(initdb)]);
    return { pgliteWasmModule, initdbWasmModule };
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

/** How the worker's entry is loaded: built (`.js`) directly, from source through tsx. */
async function spawn(dataDir: string): Promise<Worker> {
  const entry = new URL(import.meta.url.endsWith(".ts") ? "./pglite-worker.ts" : "./pglite-worker.js", import.meta.url);
  const workerData = { dataDir, ...(await wasmModules()) };
  if (entry.pathname.endsWith(".js")) return new Worker(entry, { workerData });
  // Worker threads do not inherit the parent's module hooks: register tsx's, then load the entry.
  // tsx is found from this file, not from the working directory (`npx tollgate serve` runs anywhere).
  const tsxDir = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const tsx = pathToFileURL(join(tsxDir, "dist/esm/api/index.mjs")).href; // its `import` export of tsx/esm/api
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * The embedded database's thread stopped (it crashed, or ran out of memory): every statement from
 * then on fails with this, which the HTTP layer answers 503 (src/db/unavailable.ts), never 500.
 * Restart the process to open the data dir again.
 */
export class EmbeddedDatabaseStopped extends Error {
  readonly code = "EMBEDDED_DB_STOPPED";
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`The embedded database's thread stopped (${detail}); restart Tollgate to open it again.`, options);
  }
}

export class RemotePGlite {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private channels = new Map<string, Set<(payload: string) => void>>();
  private failure: Error | null = null;
  /** Told once when the thread stops (the listeners' notifications can no longer arrive). */
  private readonly onStopped = new Set<() => void>();

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  /** Opens the database in `dataDir` (`memory://` for one in memory) on a new thread. */
  static async create(dataDir: string): Promise<RemotePGlite> {
    const worker = await spawn(dataDir);
    const remote = new RemotePGlite(worker);
    await new Promise<void>((ready, failed) => {
      const first = (m: Reply) => {
        if ("ready" in m) {
          worker.off("error", failed);
          if (m.ready) ready();
          else failed(new RemoteDatabaseError(m.error));
        }
      };
      worker.once("message", first);
      worker.once("error", failed);
    });
    // Alive only while a statement is under way: an idle embedded database keeps no process up.
    worker.unref();
    worker.on("message", (m: Reply) => remote.onReply(m));
    worker.on("error", (err) => remote.fail(new EmbeddedDatabaseStopped(err.message, { cause: err })));
    worker.on("exit", (code) => remote.fail(new EmbeddedDatabaseStopped(`exit code ${code}`)));
    return remote;
  }

  private onReply(m: Reply): void {
    if ("notify" in m) {
      for (const cb of this.channels.get(m.notify) ?? []) cb(m.payload);
      return;
    }
    if (!("id" in m)) return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    if (m.ok) p.resolve(m.result);
    else p.reject(new RemoteDatabaseError(m.error));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const stopped of this.onStopped) stopped();
    this.onStopped.clear();
  }

  /** Calls `fn` once if the thread stops unexpectedly (not after `close`). */
  whenStopped(fn: () => void): void {
    if (this.failure) return;
    this.onStopped.add(fn);
  }

  private call<T>(req: Call): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  /**
   * drizzle passes `rowMode` and text parsers for dates, times and intervals; the worker applies
   * the same parsers (by OID: functions do not cross threads).
   */
  query<T = unknown>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results & { rows: T[] }> {
    const mode = options?.rowMode ?? (options?.parsers ? "object" : undefined);
    return this.call({ op: "query", sql, params, mode, tx });
  }

  /**
   * A hot statement of constant text (`executePrepared`, `preparedStatement`: the usage batch, the
   * `activeAt` writes, the heartbeat) as a named prepared statement: PGlite's `query` parses and
   * plans its text on every call, which for the usage statement is most of its cost. (drizzle's
   * prepared reads, the caches' among them, still go through `query`.)
   */
  queryPrepared<T = unknown>(sql: string, params: unknown[]): Promise<Results & { rows: T[] }> {
    return this.call({ op: "prepared", sql, params });
  }

  exec(sql: string, _options?: unknown, tx?: number): Promise<Results[]> {
    return this.call({ op: "exec", sql, tx });
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: RemoteTransaction) => Promise<T>): Promise<T> {
    const id = await this.call<number>({ op: "begin" });
    const tx: RemoteTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, id),
      exec: (sql) => this.exec(sql, undefined, id),
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await this.call({ op: "end", tx: id, commit: false }).catch(() => {});
      throw err;
    }
    await this.call({ op: "end", tx: id, commit: true });
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
      await this.call({ op: "listen", channel });
    }
    set.add(callback);
    return async () => {
      set.delete(callback);
      if (set.size === 0 && this.channels.get(channel) === set) {
        this.channels.delete(channel);
        await this.call({ op: "unlisten", channel });
      }
    };
  }

  async close(): Promise<void> {
    if (this.failure) return;
    this.onStopped.clear();
    try {
      await this.call({ op: "close" });
    } finally {
      this.failure = new Error("The embedded database is closed.");
      await this.worker.terminate();
    }
  }
}

export type RemoteTransaction = {
  query<T = unknown>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results & { rows: T[] }>;
  exec(sql: string): Promise<Results[]>;
};
