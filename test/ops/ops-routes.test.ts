import { describe, expect, it } from "vitest";
import { bindInstance } from "../../src/ops/metrics.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { ADMIN_TOKEN, GATEWAY_TOKEN, call, getHarness } from "../helpers/harness.js";

const METRICS_TOKEN = "test-metrics-token-0123456789";

/** One sample's value from Prometheus text (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("health, readiness, metrics, docs", () => {
  it("/healthz is 200 without a token; /readyz is 200 with the database answering and the cache trusted", async () => {
    expect((await call("GET", "/healthz")).body).toEqual({ ok: true });
    const ready = await call("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, database: "ok", cache: "trusted", draining: false });
  });

  it("/ points a browser at the dashboard and an API client at the docs and the OpenAPI document", async () => {
    const browser = await call("GET", "/", { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe("/dashboard");
    const client = await call("GET", "/");
    expect(client.status).toBe(200);
    expect(client.body).toMatchObject({ docs: "/docs", openapi: "/openapi.json" });
  });

  it("/readyz is 503 with Retry-After while the cache is not trusted", async () => {
    const h = await getHarness();
    h.gateway.setListening(false);
    try {
      const r = await call("GET", "/readyz");
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("1");
      expect(r.body).toMatchObject({ ready: false, database: "ok", cache: "untrusted" });
    } finally {
      h.gateway.setListening(true);
      if (h.database.kind === "postgres") await new Promise((r) => setTimeout(r, 100)); // next heartbeat
    }
  });

  it("/metrics needs TOLLGATE_METRICS_TOKEN or the admin token", async () => {
    const h = await getHarness();
    const app = h.makeApp({ config: { metricsToken: METRICS_TOKEN } });
    expect((await call("GET", "/metrics", { app })).status).toBe(401);
    expect((await call("GET", "/metrics", { app, token: GATEWAY_TOKEN })).status).toBe(401);
    expect((await call("GET", "/metrics", { app, token: "wrong-token-0123456789" })).body.error.code).toBe("unauthorized");
    const byMetricsToken = await call("GET", "/metrics", { app, token: METRICS_TOKEN });
    expect(byMetricsToken.status).toBe(200);
    expect(byMetricsToken.headers.get("content-type")).toContain("text/plain");
    expect((await call("GET", "/metrics", { app, token: ADMIN_TOKEN })).status).toBe(200);
  });

  it("/metrics counts requests by route and status, authorize outcomes, usage batches, cache hits, listener and pool", async () => {
    const h = await getHarness();
    bindInstance({ gateway: h.gateway, database: h.database });
    const before = (await call("GET", "/metrics", { token: ADMIN_TOKEN })).text;
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    expect((await authorize(key.apiKeyString)).status).toBe(200);
    expect((await authorize(key.apiKeyString)).status).toBe(200);
    expect((await authorize("tgk_not_a_key")).status).toBe(401);
    expect((await report(key.apiKey.id, 0.01)).status).toBe(202);
    const after = (await call("GET", "/metrics", { token: ADMIN_TOKEN })).text;
    const delta = (series: string) => sample(after, series) - sample(before, series);

    expect(delta('tollgate_http_requests_total{route="/v1/gateway/authorize",status="200"}')).toBe(2);
    expect(delta('tollgate_http_requests_total{route="/v1/gateway/authorize",status="401"}')).toBe(1);
    expect(delta('tollgate_http_requests_total{route="/v1/gateway/usage",status="202"}')).toBe(1);
    expect(delta('tollgate_http_requests_total{route="/v1/api-keys",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(delta('tollgate_http_request_duration_seconds_count{route="/v1/gateway/authorize"}')).toBe(3);
    expect(delta('tollgate_http_request_duration_seconds_bucket{route="/v1/gateway/authorize",le="+Inf"}')).toBe(3);
    expect(delta('tollgate_authorize_outcomes_total{outcome="allowed"}')).toBe(2);
    expect(delta('tollgate_authorize_outcomes_total{outcome="unauthorized"}')).toBe(1);
    expect(delta("tollgate_usage_batch_size_count")).toBeGreaterThanOrEqual(1);
    expect(delta("tollgate_usage_batch_commit_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(delta("tollgate_cache_hits_total") + delta("tollgate_cache_misses_total")).toBeGreaterThanOrEqual(2);
    expect(sample(after, "tollgate_listener_up")).toBe(1);
    expect(sample(after, "tollgate_cache_trusted")).toBe(1);
    expect(after).toMatch(/^tollgate_db_connections\{state="active"\} [1-9]/m);
    expect(after).toContain("tollgate_process_resident_memory_bytes");
  });

  it("/docs serves Swagger UI and its assets itself (no CDN)", async () => {
    const page = await call("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/swagger-init.js"]);
    for (const path of assets) {
      const r = await call("GET", path);
      expect(r.status, path).toBe(200);
      expect(r.text.length, path).toBeGreaterThan(path.endsWith("init.js") ? 10 : 10_000);
    }
    expect((await call("GET", "/docs/swagger-init.js")).text).toContain('"/openapi.json"');
    expect((await call("GET", "/docs/../package.json")).status).toBe(404);
    expect((await call("GET", "/docs/nothing.js")).status).toBe(404);
  });
});
