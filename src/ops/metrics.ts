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

/**
 * Requests by route and status, and their latency, counted in typed arrays on the hot path (an
 * array increment and a bucket search per request, no allocation) and turned into Prometheus
 * series only when scraped: `tollgate_http_requests_total`, `tollgate_http_request_duration_seconds`
 * and, from authorize's statuses, `tollgate_authorize_outcomes_total`.
 */
export type RouteMetrics = { observe(status: number, ms: number): void };

const LATENCY_MS = LATENCY_BUCKETS.map((s) => s * 1000);

class RouteStats implements RouteMetrics {
  readonly statuses = new Float64Array(600);
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly buckets = new Float64Array(LATENCY_MS.length + 1);
  sumMs = 0;
  count = 0;
  constructor(readonly route: string) {}

  observe(status: number, ms: number): void {
    this.statuses[status < 600 ? status : 0]!++;
    let i = 0;
    while (i < LATENCY_MS.length && ms > LATENCY_MS[i]!) i++;
    this.buckets[i]!++;
    this.sumMs += ms;
    this.count++;
  }
}

const routeStats = new Map<string, RouteStats>();

/** The metrics of one route, made on first use. */
export function metricsForRoute(route: string): RouteMetrics {
  let m = routeStats.get(route);
  if (!m) routeStats.set(route, (m = new RouteStats(route)));
  return m;
}

const OUTCOMES: Record<number, string> = { 200: "allowed", 402: "quota_exceeded", 403: "denied", 401: "unauthorized", 400: "invalid", 404: "invalid", 413: "invalid", 503: "unavailable" };
type Sample = { labels?: Record<string, string>; value: number; metricName?: string };
const custom = (name: string, help: string, type: "counter" | "histogram", values: () => Sample[]) =>
  registry.registerMetric({ name, help, type, get: async () => ({ name, help, type, values: values(), aggregator: "sum" }) } as never);

custom("tollgate_http_requests_total", "HTTP requests answered, by route (the matched path pattern) and status.", "counter", () => {
  const out: Sample[] = [];
  for (const r of routeStats.values()) r.statuses.forEach((n, status) => n > 0 && out.push({ labels: { route: r.route, status: String(status) }, value: n }));
  return out;
});
custom("tollgate_http_request_duration_seconds", "Time to answer an HTTP request, by route.", "histogram", () => {
  const out: Sample[] = [];
  for (const r of routeStats.values()) {
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += r.buckets[i]!;
      out.push({ metricName: "tollgate_http_request_duration_seconds_bucket", labels: { route: r.route, le: String(le) }, value: cumulative });
    });
    out.push({ metricName: "tollgate_http_request_duration_seconds_bucket", labels: { route: r.route, le: "+Inf" }, value: r.count });
    out.push({ metricName: "tollgate_http_request_duration_seconds_sum", labels: { route: r.route }, value: r.sumMs / 1000 });
    out.push({ metricName: "tollgate_http_request_duration_seconds_count", labels: { route: r.route }, value: r.count });
  }
  return out;
});
custom(
  "tollgate_authorize_outcomes_total",
  "Authorize answers by outcome: allowed (200), quota_exceeded (402), denied (403), unauthorized (401), invalid (400, 404, 413), unavailable (503), error (other).",
  "counter",
  () => {
    const by = new Map<string, number>();
    routeStats.get("/v1/gateway/authorize")?.statuses.forEach((n, status) => {
      if (n > 0) by.set(OUTCOMES[status] ?? "error", (by.get(OUTCOMES[status] ?? "error") ?? 0) + n);
    });
    return [...by].map(([outcome, value]) => ({ labels: { outcome }, value }));
  },
);

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

/** Binds `i`; the function returned unbinds it, unless another instance was bound since (a server stopped in-process). */
export function bindInstance(i: { gateway: GatewayState; database?: Database }): () => void {
  instance = i;
  return () => {
    if (instance === i) instance = undefined;
  };
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
