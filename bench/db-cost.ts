/**
 * `npm run bench:db-cost` — what one Tollgate instance costs Postgres per request: transactions,
 * rows written and read, and bytes each way on the wire, for a gateway chat completion (authorize
 * from the cache, the upstream call, metering), an authorize alone, and a usage report.
 *
 * Tollgate reaches Postgres through a TCP relay in this process that counts the bytes; the rest is
 * `pg_stat_database` of the database, before and after N requests at 16 at a time, less what the
 * same instance does idle (its heartbeat) over as long. Other clients of the same database count
 * too: run it on a quiet one. Needs Postgres: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, connect, type Server as NetServer } from "node:net";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { spawnServer } from "../scripts/lib/spawn-server.js";

const { values: args } = parseArgs({ options: { requests: { type: "string", default: "4000" }, concurrency: { type: "string", default: "16" } } });
const N = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
const GATEWAY = `bench-gateway-${randomBytes(8).toString("hex")}`;
const children: ChildProcess[] = [];

/** A relay to Postgres counting the bytes each way. */
function relay(target: URL): Promise<{ server: NetServer; port: number; bytes: { up: number; down: number } }> {
  const bytes = { up: 0, down: 0 };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    client.on("data", (b) => (bytes.up += b.length));
    upstream.on("data", (b) => (bytes.down += b.length));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, bytes })));
}

/** A server in its own process (scripts/lib/spawn-server.ts): its URL. */
async function start(script: string, env: Record<string, string>): Promise<string> {
  const s = await spawnServer(
    { NODE_ENV: "production", TOLLGATE_LOG_LEVEL: "error", ...env },
    { command: () => [process.execPath, "--import", "tsx", script], echoStderr: true },
  );
  children.push(s.child);
  return s.url;
}

async function api(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as any;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

type Stats = { xact: number; inserted: number; updated: number; deleted: number; fetched: number; returned: number; up: number; down: number };

async function main() {
  const url = new URL(DATABASE_URL);
  const counted = await relay(url);
  const viaRelay = new URL(DATABASE_URL);
  viaRelay.hostname = "127.0.0.1";
  viaRelay.port = String(counted.port);
  const stats = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const dbName = url.pathname.slice(1) || "postgres";
  const snapshot = async (): Promise<Stats> => {
    await stats`select pg_stat_clear_snapshot()`;
    const [r] = await stats`select xact_commit + xact_rollback as xact, tup_inserted, tup_updated, tup_deleted, tup_fetched, tup_returned from pg_stat_database where datname = ${dbName}`;
    return { xact: Number(r!.xact), inserted: Number(r!.tup_inserted), updated: Number(r!.tup_updated), deleted: Number(r!.tup_deleted), fetched: Number(r!.tup_fetched), returned: Number(r!.tup_returned), up: counted.bytes.up, down: counted.bytes.down };
  };
  const minus = (a: Stats, b: Stats): Stats => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Stats] - b[k as keyof Stats]])) as Stats;
  // pg_stat_database is updated when a backend reports: at most once a second while busy, and a
  // backend that has gone idle reports what it still holds only after 10 s (PGSTAT_IDLE_INTERVAL).
  // With less, a run's last transactions land in the idle window after it and are subtracted.
  const SETTLE_MS = 11_000;
  const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

  const fake = await start("bench/fake-provider.ts", { FAKE_PROVIDER_KEY: "sk-bench" });
  const tollgate = await start("src/main.ts", {
    DATABASE_URL: viaRelay.toString(),
    TOLLGATE_ADMIN_TOKEN: ADMIN,
    TOLLGATE_GATEWAY_TOKEN: GATEWAY,
    TOLLGATE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    TOLLGATE_WEBHOOKS_DELIVER: "false",
    OPENAI_BASE_URL: `${fake}/v1`,
    OPENAI_API_KEY: "sk-bench",
  });
  const tag = randomBytes(4).toString("hex");
  const { bearerToken } = await api(tollgate, "POST", "/v1/admin/users", ADMIN, { email: `cost-${tag}@example.test` });
  const { team } = await api(tollgate, "POST", "/v1/teams", bearerToken, { slug: `cost-${tag}`, name: "Cost" });
  const key = await api(tollgate, "POST", `/v1/api-keys?teamId=${team.id}`, bearerToken, { purpose: "ai-gateway", name: "cost", aiGatewayQuota: { limitAmount: 1_000_000, refreshPeriod: "monthly" } });
  const chat = JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello." }] });

  const kinds: { name: string; send: (i: number) => Promise<Response> }[] = [
    { name: "chat completion (gateway)", send: () => fetch(`${tollgate}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${key.apiKeyString}`, "content-type": "application/json" }, body: chat }) },
    { name: "authorize", send: () => fetch(`${tollgate}/v1/gateway/authorize`, { method: "POST", headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" }, body: JSON.stringify({ credential: key.apiKeyString, model: "openai/gpt-4o-mini" }) }) },
    { name: "usage report", send: (i) => fetch(`${tollgate}/v1/gateway/usage`, { method: "POST", headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" }, body: JSON.stringify({ keyId: key.apiKey.id, requestId: `cost-${tag}-${i}`, model: "openai/gpt-4o-mini", costUsd: 0.0001 }) }) },
  ];
  for (const k of kinds) await (await k.send(-1)).arrayBuffer(); // warm: the key, its budget, the tokenizer
  await settle();

  const rows: string[] = [];
  for (const k of kinds) {
    // Idle: what the instance does on its own (heartbeat) over as long as the run takes.
    const started = performance.now();
    const s0 = await snapshot();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < N; i = next++) {
        const res = await k.send(i);
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`${k.name}: ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const took = performance.now() - started;
    await settle();
    const s1 = await snapshot();
    const i0 = await snapshot();
    await new Promise((r) => setTimeout(r, took + SETTLE_MS));
    const i1 = await snapshot();
    const d = minus(minus(s1, s0), minus(i1, i0));
    const per = (v: number) => (v / N).toFixed(3);
    rows.push(`| ${k.name} | ${per(d.xact)} | ${per(d.inserted)} | ${per(d.updated)} | ${per(d.fetched + d.returned)} | ${per(d.up)} | ${per(d.down)} |`);
  }
  console.log(`\n${N} requests of each kind, ${CONCURRENCY} at a time, one instance on Postgres; per request, less the instance's idle activity over as long:\n`);
  console.log("| request | transactions | rows inserted | rows updated | rows read | bytes to Postgres | bytes from Postgres |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);
  await stats.end();
  counted.server.close();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill("SIGTERM");
    setTimeout(() => process.exit(), 500).unref();
  });
