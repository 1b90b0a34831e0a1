/**
 * `npx tsx bench/dashboard.ts`: how long each dashboard page takes to answer for a team with
 * 10,000 gateway keys (contract §18: under 300 ms). In-process (`app.request`, the server's fetch
 * handler) on an in-memory PGlite, or on Postgres with DATABASE_URL. The keys are inserted in one
 * statement (their creation is not what is measured); 20 more are made through the API with
 * budgets, usage and audit events.
 */
import { sql } from "drizzle-orm";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { startGatewayState } from "../src/gateway/state.js";
import { systemClock } from "../src/lib/clock.js";
import { createLogger } from "../src/lib/logger.js";

const KEYS = Number(process.env.KEYS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 20);
const ADMIN = "bench-admin-token-0123456789";
const GATEWAY = "bench-gateway-token-0123456789";

const database = await openDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: "memory://" });
await database.migrate();
const gateway = await startGatewayState(database);
const config = loadConfig({ TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY });
const app = createApp({ db: database.db, config, clock: systemClock, log: createLogger("error"), gateway: gateway.state, keyring: null });

const json = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
};

const tag = Math.random().toString(36).slice(2, 8);
const { user, bearerToken: token } = await json("POST", "/v1/admin/users", ADMIN, { email: `bench-${tag}@example.test` });
const { team } = await json("POST", "/v1/teams", token, { slug: `bench-${tag}`, name: "Bench" });
const now = Date.now();
await database.db.execute(sql`
  insert into api_keys (id, team_id, name, purpose, digest, partial_key, created_by, created_at, active_at)
  select 'key_bench' || ${tag}::text || lpad(i::text, 6, '0'), ${team.id}::text, 'bulk ' || i, 'ai-gateway', md5(${tag}::text || i::text) || md5(i::text || ${tag}::text),
         right(md5(i::text), 4), ${user.id}::text, ${now}::bigint - i, ${now}::bigint - i
  from generate_series(1, ${KEYS}::int) as i`);
for (let i = 0; i < 20; i++) {
  const k = await json("POST", `/v1/api-keys?teamId=${team.id}`, token, { purpose: "ai-gateway", name: `budgeted ${i}`, aiGatewayQuota: { limitAmount: 100, refreshPeriod: "monthly" } });
  await json("POST", "/v1/gateway/usage", GATEWAY, { keyId: k.apiKey.id, requestId: `bench-${tag}-${i}`, model: `openai/gpt-${i % 3}`, costUsd: 0.5 });
}
await json("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, token, { scopeType: "team", limitAmount: 1000, refreshPeriod: "monthly" });

const signIn = await app.request("http://bench.test/dashboard/sign-in", {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ token }).toString(),
});
const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;

console.log(`dashboard pages, team with ${KEYS + 20} keys, ${RUNS} runs each (${database.kind}):`);
console.log("page".padEnd(12), "median ms".padStart(10), "p95 ms".padStart(8), "max ms".padStart(8));
let worst = 0;
for (const page of ["keys", "budgets", "rules", "byok", "usage", "audit", "members", "webhooks"]) {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    const res = await app.request(`http://bench.test/dashboard/teams/${team.id}/${page}`, { headers: { cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`${page}: ${res.status}`);
    if (i >= 2) times.push(performance.now() - t0); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  worst = Math.max(worst, p(0.95));
  console.log(page.padEnd(12), p(0.5).toFixed(1).padStart(10), p(0.95).toFixed(1).padStart(8), times[times.length - 1]!.toFixed(1).padStart(8));
}
console.log(worst < 300 ? `every page's p95 under 300 ms (worst ${worst.toFixed(1)} ms)` : `OVER 300 ms: worst p95 ${worst.toFixed(1)} ms`);
await gateway.close();
await database.close();
process.exit(worst < 300 ? 0 : 1);
