/**
 * `npm run bench` — authorize against the ceiling of a bare Hono JSON route, in one run.
 * `npm run bench -- --usage` — the same for usage reports, then checks the recorded total is exact.
 *
 * Each server runs in its own process; autocannon drives them one after the other from this
 * process with the same settings (32 keep-alive connections, 10 s, after a 2 s warm-up). Machines
 * here are noisy: only the ratio within one run means anything.
 * Needs Postgres: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";

const { values: args } = parseArgs({
  options: {
    usage: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    warmup: { type: "string", default: "2" },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
const GATEWAY = `bench-gateway-${randomBytes(8).toString("hex")}`;
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function start(script: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return url;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${script} did not start`);
}

async function api(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as any;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

type Figures = { rps: number; p50: number; p99: number; non2xx: number; acknowledged: number };

async function load(url: string, body: () => string): Promise<Figures> {
  const opts = (duration: number) => ({
    url,
    method: "POST" as const,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: body() }) }],
  });
  const warm = WARMUP > 0 ? await autocannon(opts(WARMUP)) : undefined;
  const r = await autocannon(opts(DURATION));
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors,
    acknowledged: r["2xx"] + (warm?.["2xx"] ?? 0),
  };
}

async function main() {
  const tollgate = await start("src/main.ts", {
    DATABASE_URL,
    TOLLGATE_ADMIN_TOKEN: ADMIN,
    TOLLGATE_GATEWAY_TOKEN: GATEWAY,
    TOLLGATE_LOG_LEVEL: "error",
  });
  const bare = await start("bench/bare-server.ts", {});

  // One key, one budget, one rewrite rule.
  const tag = randomBytes(4).toString("hex");
  const { bearerToken } = await api(tollgate, "POST", "/v1/admin/users", ADMIN, { email: `bench-${tag}@example.test` });
  const { team } = await api(tollgate, "POST", "/v1/teams", bearerToken, { slug: `bench-${tag}`, name: "Bench" });
  const key = await api(tollgate, "POST", `/v1/api-keys?teamId=${team.id}`, bearerToken, {
    purpose: "ai-gateway",
    name: "bench",
    aiGatewayQuota: { limitAmount: 1_000_000_000, refreshPeriod: "monthly" },
  });
  await api(tollgate, "POST", `/v1/ai-gateway/rules?teamId=${team.id}`, bearerToken, {
    type: "rewrite",
    match: { model: "openai/gpt-4o" },
    action: { rewriteModel: "openai/gpt-5-mini" },
  });
  const check = await api(tollgate, "POST", "/v1/gateway/authorize", GATEWAY, { credential: key.apiKeyString, model: "openai/gpt-4o" });
  if (check.model !== "openai/gpt-5-mini" || check.quotas.length !== 1) throw new Error(`unexpected authorize answer ${JSON.stringify(check)}`);

  const authorizeBody = JSON.stringify({ credential: key.apiKeyString, model: "openai/gpt-4o" });
  let n = 0;
  const usageBody = () => JSON.stringify({ keyId: key.apiKey.id, requestId: `bench-${tag}-${n++}`, model: "openai/gpt-5-mini", costUsd: 0.01 });
  const target = args.usage ? "usage" : "authorize";
  const ceiling = await load(`${bare}/echo`, () => authorizeBody);
  const measured = await load(`${tollgate}/v1/gateway/${target}`, args.usage ? usageBody : () => authorizeBody);

  const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms`;
  console.log(`\n${CONNECTIONS} keep-alive connections, ${DURATION} s each, after ${WARMUP} s of warm-up`);
  console.log(`bare hono (ceiling)  ${fmt(ceiling)}`);
  console.log(`tollgate ${target.padEnd(11)} ${fmt(measured)}`);
  console.log(`ratio: throughput ${(measured.rps / ceiling.rps).toFixed(2)} of the ceiling, p99 ${(measured.p99 / Math.max(ceiling.p99, 1)).toFixed(2)}x the ceiling's`);
  if (measured.non2xx > 0) console.log(`WARNING: ${measured.non2xx} non-2xx answers or errors`);

  if (args.usage) {
    // Reports cut off in flight when the load stopped may or may not have been recorded; every
    // report answered 202 must be, and the budget must hold exactly the recorded reports' cost.
    await new Promise((r) => setTimeout(r, 1000));
    const db = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const [events] = await db`select count(*)::int as n, coalesce(sum(cost_micros), 0)::bigint as micros from usage_events where key_id = ${key.apiKey.id}`;
    await db.end();
    const got = await api(tollgate, "GET", `/v1/api-keys/${key.apiKey.id}`, bearerToken);
    const budgetMicros = Math.round(got.apiKey.quota.currentSpend * 1e6);
    const recorded = events!.n as number;
    const exact = budgetMicros === Number(events!.micros) && budgetMicros === recorded * 10_000 && recorded >= measured.acknowledged && recorded <= n;
    console.log(
      `usage: ${n} reports sent, ${measured.acknowledged} answered 202, ${recorded} recorded; budget holds $${got.apiKey.quota.currentSpend} = ${recorded} x $0.01`,
    );
    console.log(exact ? "totals: exact" : "totals: MISMATCH");
    if (!exact) process.exitCode = 1;
    if (measured.rps < 5000) console.log(`target: ${measured.rps.toFixed(0)} reports/s is under the 5,000/s target`);
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill("SIGTERM");
  });
