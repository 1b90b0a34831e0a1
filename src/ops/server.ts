import type { Server } from "node:http";
import { Server as NetServer } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Logger } from "../lib/logger.js";
import { lifecycle } from "./routes.js";

type Fetch = (req: Request, env?: unknown) => Response | Promise<Response>;

const STARTING = () =>
  new Response(JSON.stringify({ error: { code: "service_unavailable", message: "Tollgate is starting; retry shortly." } }), {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": "1" },
  });

/**
 * Binds the HTTP port before anything else starts, so that a port already in use is a one-line
 * error before the database is opened or a first-start token is printed. Until `serve(app)` the
 * server answers 503 (starting). Every answer while draining says `Connection: close`.
 */
export async function bindServer(port: number, host: string): Promise<{ server: Server; port: number; serve(fetch: Fetch): void }> {
  let target: Fetch = STARTING;
  const server = createAdaptorServer({ fetch: (req: Request, env: unknown) => target(req, env) }) as Server;
  server.on("request", (_req, res) => {
    if (lifecycle.draining) res.setHeader("connection", "close");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  return { server, port: bound, serve: (fetch) => (target = fetch) };
}

/** The one line printed for a port that cannot be bound. */
export function bindErrorMessage(err: unknown, port: number, host: string): string | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return `Port ${port} on ${host} is already in use (another Tollgate?). Stop it or set PORT to a free port.`;
  if (code === "EACCES") return `Not allowed to listen on port ${port} on ${host}. Use a port above 1024 (PORT=...).`;
  if (code === "EADDRNOTAVAIL") return `Cannot listen on ${host}: no such address on this machine (HOST=...).`;
  return undefined;
}

export type ShutdownParts = {
  server: Server;
  log: Logger;
  timeoutMs: number;
  /** Waited for, in order, once every request is answered: flush usage, stop the listener, close pools. */
  steps: { name: string; run(): Promise<unknown> }[];
};

/**
 * SIGTERM/SIGINT: stop accepting connections, answer every request in flight (each answer with
 * `Connection: close`, idle keep-alive connections closed after a short grace), then run `steps`
 * and exit 0; exit 1 if it all takes longer than `timeoutMs`. A second signal exits at once.
 * `stop` is what a signal runs (default: `drain(parts, signal)`); src/server.ts gives the one its
 * `close()` shares, so that the server is stopped once whichever comes first.
 */
export function installShutdown(parts: ShutdownParts, stop: (signal: NodeJS.Signals) => Promise<void> = (signal) => drain(parts, signal)): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      parts.log.error("second signal: exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    void stop(signal).then(
      () => process.exit(0),
      (err) => {
        parts.log.error("shutdown failed", { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

/**
 * The shutdown sequence. `exitOnTimeout` (a signal's shutdown): past `timeoutMs` the process exits
 * 1. Without it (`close()` of a server started in-process, src/server.ts), the connections left
 * are closed and the steps still run: the caller's process goes on.
 */
export async function drain({ server, log, timeoutMs, steps }: ShutdownParts, signal = "SIGTERM", { exitOnTimeout = true }: { exitOnTimeout?: boolean } = {}): Promise<void> {
  const started = performance.now();
  lifecycle.draining = true;
  log.info("shutting down: draining", { signal, timeoutMs });
  const timer = setTimeout(() => {
    log.error("shutdown timed out: closing what is left", { timeoutMs });
    server.closeAllConnections();
    if (exitOnTimeout) process.exit(1);
  }, timeoutMs);
  timer.unref();
  // Stop accepting, without Node's immediate close of idle keep-alive connections: a client may be
  // sending on one right now. Those get their answer (with Connection: close); what stays idle is
  // closed after the grace period.
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  const grace = setTimeout(() => server.closeIdleConnections(), Math.min(500, timeoutMs / 4));
  const idleSweep = setInterval(() => performance.now() - started > 500 && server.closeIdleConnections(), 100);
  await closed;
  clearTimeout(grace);
  clearInterval(idleSweep);
  for (const step of steps) {
    await step.run();
  }
  clearTimeout(timer);
  log.info("shut down", { ms: Math.round(performance.now() - started) });
}
