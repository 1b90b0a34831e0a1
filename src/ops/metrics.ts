import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import type { GatewayState } from "../gateway/state.js";

/**
 * The process's Prometheus metrics (`GET /metrics`). One registry per process: every app of the
 * process (tests build several) counts into it. Hot-path cost is one counter increment and one
 * histogram observation per request, on label children bound once per (route, status).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "tollgate_" });

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const requests = new Counter({
  name: "tollgate_http_requests_total",
  help: "HTTP requests answered, by route (the matched path pattern) and status.",
  labelNames: ["route", "status"] as const,
  registers: [registry],
});
const latency = new Histogram({
  name: "tollgate_http_request_duration_seconds",
  help: "Time to answer an HTTP request, by route.",
  labelNames: ["route"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const authorizeOutcomes = new Counter({
  name: "tollgate_authorize_outcomes_total",
  help: "Authorize answers by outcome: allowed (200), quota_exceeded (402), denied (403), unauthorized (401), invalid (400, 404, 413), unavailable (503), error (other).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});
const batchSize = new Histogram({
  name: "tollgate_usage_batch_size",
  help: "Usage reports per batch written (one statement per batch).",
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  registers: [registry],
});
const batchCommit = new Histogram({
  name: "tollgate_usage_batch_commit_seconds",
  help: "Time to write and commit one usage batch.",
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const batchFailures = new Counter({
  name: "tollgate_usage_batch_failures_total",
  help: "Usage batches that failed (their reports were answered 503 or retried one by one).",
  registers: [registry],
});

/** A request's route label and its bound children, made once per route. */
export type RouteMetrics = { observe(status: number, seconds: number): void };

const routeMetrics = new Map<string, RouteMetrics>();
const OUTCOMES: Record<number, string> = { 200: "allowed", 402: "quota_exceeded", 403: "denied", 401: "unauthorized", 400: "invalid", 404: "invalid", 413: "invalid", 503: "unavailable" };

/** The metrics of one route (label children bound up front; statuses bound on first sight). */
export function metricsForRoute(route: string): RouteMetrics {
  let m = routeMetrics.get(route);
  if (m) return m;
  const timer = latency.labels(route);
  const byStatus: Record<number, ReturnType<typeof requests.labels>> = {};
  const outcome: Record<number, ReturnType<typeof authorizeOutcomes.labels>> | undefined = route === "/v1/gateway/authorize" ? {} : undefined;
  m = {
    observe(status, seconds) {
      (byStatus[status] ??= requests.labels(route, String(status))).inc();
      timer.observe(seconds);
      if (outcome) (outcome[status] ??= authorizeOutcomes.labels(OUTCOMES[status] ?? "error")).inc();
    },
  };
  routeMetrics.set(route, m);
  return m;
}

/** One usage batch written: its size and how long its statement took. */
export function observeUsageBatch(size: number, seconds: number): void {
  batchSize.observe(size);
  batchCommit.observe(seconds);
}

export function countUsageBatchFailure(): void {
  batchFailures.inc();
}

/**
 * Gauges read at scrape time from the running instance: the change listener, the cache and
 * its hit counts, the database connections. Bound by `bindInstance` (main.ts, and tests).
 */
let instance: { gateway: GatewayState; database?: Database } | undefined;

export function bindInstance(i: { gateway: GatewayState; database?: Database }): void {
  instance = i;
}

new Gauge({
  name: "tollgate_listener_up",
  help: "1 while the change-notification listener is connected, else 0.",
  registers: [registry],
  collect() {
    this.set(instance?.gateway.isListening ? 1 : 0);
  },
});
new Gauge({
  name: "tollgate_cache_trusted",
  help: "1 while the authorize cache is trusted (listener connected, heartbeat current), else 0 (every read goes to the database).",
  registers: [registry],
  collect() {
    this.set(instance?.gateway.isTrusted ? 1 : 0);
  },
});
new Counter({
  name: "tollgate_cache_hits_total",
  help: "Key lookups on authorize answered from the cache.",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(instance?.gateway.cacheStats.hits ?? 0);
  },
});
new Counter({
  name: "tollgate_cache_misses_total",
  help: "Key lookups on authorize that went to the database.",
  registers: [registry],
  collect() {
    this.reset();
    this.inc(instance?.gateway.cacheStats.misses ?? 0);
  },
});
new Gauge({
  name: "tollgate_db_connections",
  help: "Postgres connections of this application name by state (pg_stat_activity: active, idle, ...); PGlite: 1 active.",
  labelNames: ["state"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const database = instance?.database;
    if (!database) return;
    if (database.kind === "pglite") {
      this.labels("active").set(1);
      return;
    }
    try {
      const rows = rowsOf<{ state: string | null; n: number }>(
        await database.db.execute(
          sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where application_name = current_setting('application_name') group by 1`,
        ),
      );
      for (const r of rows) this.labels(r.state ?? "unknown").set(r.n);
    } catch {
      // Database unreachable: no connections to report.
    }
  },
});

export function metricsText(): Promise<string> {
  return registry.metrics();
}
