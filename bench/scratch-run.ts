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

type Figures = { rps: number; p50: number; p99: number; non2xx: number; total: number };

async function load(url: string, body: () => string): Promise<Figures> {
  const opts = (duration: number) => ({
    url,
    method: "POST" as const,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: body() }) }],
  });
  if (WARMUP > 0) await autocannon(opts(WARMUP));
  const r = await autocannon(opts(DURATION));
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors,
    total: r["2xx"],
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
  const check = await api(tollgate, "POST", "/v1/gateway/authorize", GATEWAY, { credential: key.apiKeyString, model: "openai/gpt-4o" });
  if (check.quotas.length !== 1) throw new Error(`unexpected authorize answer ${JSON.stringify(check)}`);

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
    const got = await api(tollgate, "GET", `/v1/api-keys/${key.apiKey.id}`, bearerToken);
    const expectedMicros = n * 10_000; // every request sent was a distinct report of $0.01 (warm-up included)
    const recordedMicros = Math.round(got.apiKey.quota.currentSpend * 1e6);
    const answered = measured.total;
    console.log(`usage: ${n} reports sent, ${answered} answered 202 in the timed run; recorded $${got.apiKey.quota.currentSpend}`);
    console.log(recordedMicros === expectedMicros ? "totals: exact" : `totals: MISMATCH (expected $${expectedMicros / 1e6})`);
    if (recordedMicros !== expectedMicros) process.exitCode = 1;
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
