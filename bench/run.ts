/**
 * `npm run bench` — authorize against the ceiling of a bare Hono JSON route, in one run; and, in the
 * same run, authorize with a `requestId` and an `estimate` on a key whose budget is `hard` (each
 * request reserves its worst case) against the same on a key whose budget is `soft`.
 * `npm run bench -- --usage` — the same for usage reports, then checks the recorded total is exact.
 * `npm run bench -- --rate-limited` — authorize with a key that has a rate limit (high enough never
 * to refuse: the cost of counting), in memory; add `--redis redis://127.0.0.1:6379/5` for Redis.
 * `npm run bench -- --byok` — authorize with one BYOK credential (decrypted) in every answer.
 * `npm run bench -- --oidc` — authorize with a project OIDC token (team and project budgets) instead of a key.
 * `npm run bench -- --gateway` — the gateway (`/v1/chat/completions`) in front of a local fake
 * provider against the same fake provider called directly and through a bare proxy (the floor of
 * any Node proxy here); then, one request at a time, a whole answer and a stream's first chunk.
 * `npm run bench -- --scale` — keys, usage rows and rollups at scale (bench/scale.ts).
 * `--db pglite`: Tollgate on the embedded database (a fresh data dir) instead of Postgres.
 * `--baseline <git rev>`: the same Tollgate of another commit (a worktree under /tmp, sharing this
 * checkout's node_modules) measured in the same alternation: before/after in the same minutes.
 * `--gateway` also measures Portkey's open-source gateway (`@portkey-ai/gateway`) on the same fake.
 *
 * Each server runs in its own process; autocannon drives them from this process with the same
 * settings (32 keep-alive connections, 10 s each after a 2 s warm-up each), in alternating 2 s
 * slices so that a slow spell of the machine costs both alike. Percentiles are over every answer of
 * the 10 s. Machines here are noisy: only the ratio within one run means anything.
 * Needs Postgres: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Agent, request as httpRequest } from "node:http";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { spawnServer } from "../scripts/lib/spawn-server.js";
import { percentile } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    usage: { type: "boolean", default: false },
    byok: { type: "boolean", default: false },
    oidc: { type: "boolean", default: false },
    gateway: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    // 2 s per target by default; --scale: 30 s of Zipf traffic before its steady-state figures.
    warmup: { type: "string" },
    rounds: { type: "string", default: "5" },
    "rate-limited": { type: "boolean", default: false },
    redis: { type: "string" },
    // --scale (bench/scale.ts): bulk-seeded keys, teams and usage rows, measured at each step.
    scale: { type: "boolean", default: false },
    keys: { type: "string", default: "1000000" },
    teams: { type: "string", default: "10000" },
    rows: { type: "string", default: "10000000" },
    steps: { type: "string", default: "1000,100000,1000000" },
    db: { type: "string", default: "postgres" },
    baseline: { type: "string" },
    // --gateway: how many requests one at a time, each way (0: none).
    sequential: { type: "string", default: "2000" },
    // Tollgate from its TypeScript through tsx (`npm start`) instead of compiled (`npm run build`, then dist/: `npm run start:prod`, the Dockerfile's).
    tsx: { type: "boolean", default: false },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup ?? "2");
const ROUNDS = Math.max(1, Number(args.rounds));
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
if (args.db !== "postgres" && args.db !== "pglite") throw new Error("--db is postgres or pglite");
const PGLITE = args.db === "pglite";
const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
const GATEWAY = `bench-gateway-${randomBytes(8).toString("hex")}`;
const children: ChildProcess[] = [];

/** CPU time (user + system) a process has used so far, in microseconds; null off Linux. */
function cpuMicros(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return null;
  }
}

type Server = { url: string; pid: number | undefined; child: ChildProcess };

/** A process's resident memory, in MB; null off Linux. */
function rssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

type StartOpts = { cwd?: string; ready?: string; args?: (port: number) => string[] };

/** A server in its own process (scripts/lib/spawn-server.ts), `script` relative to `cwd` (default: this checkout). */
async function start(script: string, env: Record<string, string>, opts: StartOpts = {}): Promise<Server> {
  // BENCH_NODE_ARGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const path = resolve(opts.cwd ?? ".", script);
  const serverEnv: Record<string, string | undefined> = { NODE_ENV: "production", TOLLGATE_LOG_LEVEL: "error", ...env };
  for (const [k, v] of Object.entries(serverEnv)) if (v === "") serverEnv[k] = undefined; // "": unset
  const s = await spawnServer(serverEnv, { command: (port) => [process.execPath, ...extra, ...loader, path, ...(opts.args?.(port) ?? [])], ready: opts.ready, echoStderr: true });
  children.push(s.child);
  return { url: s.url, pid: s.child.pid, child: s.child };
}

/** A worktree of `rev` under /tmp sharing this checkout's node_modules: the baseline's code. */
function baselineDir(rev: string): string {
  const sha = execFileSync("git", ["rev-parse", "--short", rev], { encoding: "utf8" }).trim();
  const dir = join(tmpdir(), `tollgate-baseline-${sha}`);
  if (!existsSync(dir)) {
    execFileSync("git", ["worktree", "add", "--detach", dir, sha], { stdio: "ignore" });
    symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  }
  return dir;
}

/** The minor (young-generation) GC count and total seconds so far, from a Tollgate's /metrics. */
async function minorGc(base: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  const value = (name: string) => Number(new RegExp(`^tollgate_nodejs_gc_duration_seconds_${name}\\{kind="minor"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return { count: value("count"), seconds: value("sum") };
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

type Figures = {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** 2xx answers, warm-up included (usage: reports that must have been recorded). */
  acknowledged: number;
  /** Server CPU time (user + system) per request answered, in µs; null off Linux. */
  cpuPerRequest: number | null;
};

type Target = { server: Server; path: string; body: () => string; headers?: Record<string, string> };
type Tally = { requests: number; seconds: number; latencies: number[]; non2xx: number; ok: number; cpu: number | null };

/** One autocannon run against a target; every answer's latency is kept (ms). */
function drive(t: Target, seconds: number): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const cpuBefore = cpuMicros(t.server.pid);
    const instance = autocannon(
      {
        url: t.server.url + t.path,
        method: "POST",
        connections: CONNECTIONS,
        duration: seconds,
        headers: t.headers ?? { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" },
        requests: [{ setupRequest: (req: any) => ({ ...req, body: t.body() }) }],
      },
      (err, r) => {
        if (err) return reject(err);
        const cpuAfter = cpuMicros(t.server.pid);
        resolve({
          requests: r.requests.total,
          seconds: r.duration,
          latencies,
          non2xx: r.non2xx + r.errors,
          ok: r["2xx"],
          cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

function figures(tallies: Tally[], warm: Tally | undefined): Figures {
  const requests = tallies.reduce((a, t) => a + t.requests, 0);
  const seconds = tallies.reduce((a, t) => a + t.seconds, 0);
  const latencies = tallies.flatMap((t) => t.latencies).sort((a, b) => a - b);
  const cpu = tallies.every((t) => t.cpu !== null) ? tallies.reduce((a, t) => a + t.cpu!, 0) : null;
  return {
    rps: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: tallies.reduce((a, t) => a + t.non2xx, 0),
    acknowledged: tallies.reduce((a, t) => a + t.ok, 0) + (warm?.ok ?? 0),
    cpuPerRequest: cpu === null ? null : cpu / Math.max(requests, 1),
  };
}

/**
 * Every target gets the same load for the same total time, in alternating slices (A B, B A, A B, …;
 * with three, A B C, C B A, …) after a warm-up each: a slow spell of the machine then costs all
 * alike, instead of whichever happened to run during it.
 */
async function compareAll(targets: Target[]): Promise<Figures[]> {
  const warm: (Tally | undefined)[] = [];
  for (const t of targets) warm.push(WARMUP > 0 ? await drive(t, WARMUP) : undefined);
  const slice = DURATION / ROUNDS;
  const tallies: Tally[][] = targets.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    const order = targets.map((_, j) => j);
    if (i % 2 === 1) order.reverse();
    for (const j of order) tallies[j]!.push(await drive(targets[j]!, slice));
  }
  return tallies.map((t, j) => figures(t, warm[j]));
}

/** The checkouts already compiled by this run (`npm run build`: src/ -> dist/). */
const compiled = new Set<string>();

/**
 * Tollgate on Postgres (or, with `--db pglite`, on a fresh embedded data dir) with the bench's admin
 * and gateway tokens; `cwd`: another checkout's (the baseline).
 */
async function startTollgate(env: Record<string, string> = {}, cwd?: string): Promise<Server & { dataDir?: string }> {
  const dataDir = PGLITE ? mkdtempSync(join(tmpdir(), "tollgate-bench-")) : undefined;
  // What production runs (the Dockerfile's `npm run start:prod`): the compiled JavaScript, unless --tsx.
  const dir = resolve(cwd ?? ".");
  if (!args.tsx && !compiled.has(dir)) {
    execFileSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
    compiled.add(dir);
  }
  const server = await start(args.tsx ? "src/main.ts" : "dist/main.js", {
    ...(dataDir ? { DATABASE_URL: "", TOLLGATE_DATA_DIR: dataDir } : { DATABASE_URL }),
    TOLLGATE_ADMIN_TOKEN: ADMIN,
    TOLLGATE_GATEWAY_TOKEN: GATEWAY,
    TOLLGATE_LOG_LEVEL: "error",
    ...(args.redis ? { REDIS_URL: args.redis } : {}),
    // BYOK credentials and OIDC signing keys are stored encrypted: on Postgres they need a key.
    ...(PGLITE ? {} : { TOLLGATE_ENCRYPTION_KEY: process.env.TOLLGATE_ENCRYPTION_KEY || randomBytes(32).toString("base64") }),
    ...env,
  }, { cwd });
  return { ...server, dataDir };
}

/** A fresh user, team and gateway key with a (never reached) budget. */
async function benchKey(tollgate: string, enforcement: "soft" | "hard" = "soft") {
  const tag = randomBytes(4).toString("hex");
  const { bearerToken } = await api(tollgate, "POST", "/v1/admin/users", ADMIN, { email: `bench-${tag}@example.test` });
  const { team } = await api(tollgate, "POST", "/v1/teams", bearerToken, { slug: `bench-${tag}`, name: "Bench" });
  const key = await api(tollgate, "POST", `/v1/api-keys?teamId=${team.id}`, bearerToken, {
    purpose: "ai-gateway",
    name: "bench",
    aiGatewayQuota: { limitAmount: 1_000_000_000, refreshPeriod: "monthly", ...(enforcement === "hard" ? { enforcement } : {}) }, // soft: the default (and a baseline before hard budgets knows no `enforcement`)
    ...(args["rate-limited"] ? { rateLimit: { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000 } } : {}),
  });
  return { tag, bearerToken, team, key };
}

async function main() {
  if (args.scale) {
    const { runScale } = await import("./scale.js");
    const n = (v: string) => Number(v.replace(/_/g, ""));
    return runScale({
      keys: n(args.keys),
      teams: n(args.teams),
      rows: n(args.rows),
      steps: args.steps.split(",").map(n),
      duration: args.duration === "10" ? 5 : DURATION,
      warmup: args.warmup === undefined ? 30 : WARMUP,
      connections: CONNECTIONS,
      tsx: args.tsx,
    });
  }
  if (args.gateway) return gatewayMain();
  const tollgateServer = await startTollgate();
  const baselineServer = args.baseline ? await startTollgate({}, baselineDir(args.baseline)) : null;
  const bare = await start("bench/bare-server.ts", {});
  const bareNode = await start("bench/bare-node.ts", {});
  const tollgate = tollgateServer.url;

  /** One key, one budget, one rewrite rule (and the flags' BYOK credential or OIDC token) on `base`. */
  async function setUp(base: string) {
    const { tag, bearerToken, team, key } = await benchKey(base);
    await api(base, "POST", `/v1/ai-gateway/rules?teamId=${team.id}`, bearerToken, {
      type: "rewrite",
      match: { model: "openai/gpt-4o" },
      action: { rewriteModel: "openai/gpt-5-mini" },
    });
    if (args.byok) {
      await api(base, "POST", `/v1/ai-gateway/byok?teamId=${team.id}`, bearerToken, {
        provider: "openai",
        name: "bench",
        credentials: { apiKey: `sk-bench-${randomBytes(24).toString("base64url")}` },
      });
    }
    // --oidc: a project token instead of the key, with a team and a project budget (no key budget).
    let credential: string = key.apiKeyString;
    if (args.oidc) {
      const { project } = await api(base, "POST", `/v1/projects?teamId=${team.id}`, bearerToken, { name: "bench" });
      for (const body of [
        { scopeType: "team", limitAmount: 1_000_000_000, refreshPeriod: "monthly" },
        { scopeType: "project", projectId: project.id, limitAmount: 1_000_000_000, refreshPeriod: "monthly" },
      ]) {
        await api(base, "PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, bearerToken, body);
      }
      credential = (await api(base, "POST", `/v1/projects/${project.id}/oidc-token?teamId=${team.id}`, bearerToken, { environment: "production" })).token;
    }
    const check = await api(base, "POST", "/v1/gateway/authorize", GATEWAY, { credential, model: "openai/gpt-4o" });
    if (check.model !== "openai/gpt-5-mini" || check.quotas.length !== (args.oidc ? 2 : 1) || check.credentials.length !== (args.byok ? 1 : 0)) {
      throw new Error(`unexpected authorize answer ${JSON.stringify(check)}`);
    }
    let n = 0;
    const authorizeBody = JSON.stringify({ credential, model: "openai/gpt-4o" });
    const usageBody = () => JSON.stringify({ keyId: key.apiKey.id, requestId: `bench-${tag}-${n++}`, model: "openai/gpt-5-mini", costUsd: 0.01 });
    return { tag, bearerToken, key, authorizeBody, usageBody, sent: () => n };
  }
  const mine = await setUp(tollgate);
  const theirs = baselineServer ? await setUp(baselineServer.url) : null;
  const { tag, bearerToken, key } = mine;
  const target = args.usage ? "usage" : "authorize";
  if (args["rate-limited"]) console.log(`rate-limited key (requests and tokens per minute), counters ${args.redis ? "in Redis" : "in memory"}`);
  const label = args.usage ? target : [target, args.oidc ? "(oidc)" : "", args.byok ? "+byok" : ""].filter(Boolean).join(" ");
  const [ceiling, nodeCeiling, measured, before] = (await compareAll([
    { server: bare, path: "/echo", body: () => mine.authorizeBody },
    { server: bareNode, path: "/echo", body: () => mine.authorizeBody },
    { server: tollgateServer, path: `/v1/gateway/${target}`, body: args.usage ? mine.usageBody : () => mine.authorizeBody },
    ...(baselineServer && theirs
      ? [{ server: baselineServer, path: `/v1/gateway/${target}`, body: args.usage ? theirs.usageBody : () => theirs.authorizeBody }]
      : []),
  ])) as [Figures, Figures, Figures, Figures?];
  const n = mine.sent();

  // Hard against soft (plain authorize only), after the above and on their own (slices of other
  // keys on one server change what a plain key's figure measures): two more keys, each request
  // with a requestId and an estimate, the same body shape for both. The hard key's requests
  // reserve; none is reported, but requestIds cycle over 4,096, and a requestId authorized again
  // replaces its reservation: a steady state of 4,096 requests in flight (its budget is far from reached).
  const plain = !args.usage && !args.oidc && !args.byok && !args["rate-limited"] && !args.baseline;
  const soft = plain ? await benchKey(tollgate, "soft") : null;
  const hard = plain ? await benchKey(tollgate, "hard") : null;
  let r = 0;
  const reserving = (k: string) => () => JSON.stringify({ credential: k, model: "openai/gpt-4o", requestId: `bench-${tag}-${r++ % 4096}`, estimate: { inputTokens: 100, maxOutputTokens: 100 } });
  if (hard) {
    const h = await api(tollgate, "POST", "/v1/gateway/authorize", GATEWAY, JSON.parse(reserving(hard.key.apiKeyString)()));
    if (h.quotas[0]?.enforcement !== "hard") throw new Error(`unexpected authorize answer ${JSON.stringify(h)}`);
  }
  const [softF, hardF] =
    soft && hard
      ? ((await compareAll([
          { server: tollgateServer, path: "/v1/gateway/authorize", body: reserving(soft.key.apiKeyString) },
          { server: tollgateServer, path: "/v1/gateway/authorize", body: reserving(hard.key.apiKeyString) },
        ])) as [Figures, Figures])
      : [undefined, undefined];

  const ms = (v: number) => `${v.toFixed(2).padStart(6)} ms`;
  const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(8)} req/s   p50 ${ms(f.p50)}   p99 ${ms(f.p99)}`;
  console.log(
    `\n${CONNECTIONS} keep-alive connections, ${DURATION} s each in ${ROUNDS} alternating slices, after ${WARMUP} s of warm-up each`,
  );
  console.log(`bare hono (ceiling)  ${fmt(ceiling)}`);
  console.log(`raw node:http        ${fmt(nodeCeiling)}`);
  console.log(`tollgate ${label.padEnd(11)} ${fmt(measured)}   (${args.db})`);
  if (before) console.log(`baseline ${args.baseline!.padEnd(11)} ${fmt(before)}   (the same, at ${args.baseline})`);
  console.log(`ratio: throughput ${(measured.rps / ceiling.rps).toFixed(2)} of the ceiling, p99 ${(measured.p99 / ceiling.p99).toFixed(2)}x the ceiling's`);
  console.log(`ratio: throughput ${(measured.rps / nodeCeiling.rps).toFixed(2)} of raw node:http (target ≥ 0.9); bare hono is ${(ceiling.rps / nodeCeiling.rps).toFixed(2)} of it`);
  if (before) console.log(`baseline: ${(before.rps / ceiling.rps).toFixed(2)} of the ceiling; this commit ${(measured.rps / before.rps).toFixed(2)}x the baseline's throughput`);
  if (ceiling.cpuPerRequest !== null && measured.cpuPerRequest !== null) {
    console.log(
      `server CPU per request: ceiling ${ceiling.cpuPerRequest.toFixed(1)} µs, tollgate ${measured.cpuPerRequest.toFixed(1)} µs (${(measured.cpuPerRequest / ceiling.cpuPerRequest).toFixed(2)}x)` +
        (before?.cpuPerRequest != null ? `, baseline ${before.cpuPerRequest.toFixed(1)} µs` : ""),
    );
  }
  const mem = (s: Server | null) => (s && rssMb(s.pid) !== null ? `${rssMb(s.pid)!.toFixed(0)} MB` : "n/a");
  console.log(`resident memory after the run: tollgate ${mem(tollgateServer)}${baselineServer ? `, baseline ${mem(baselineServer)}` : ""}`);
  if (measured.non2xx > 0) console.log(`WARNING: ${measured.non2xx} non-2xx answers or errors`);
  if (softF && hardF) {
    console.log(`\nauthorize with requestId + estimate, same body shape:`);
    console.log(`soft budget          ${fmt(softF)}`);
    console.log(`hard budget          ${fmt(hardF)}`);
    console.log(`ratio: hard/soft throughput ${(hardF.rps / softF.rps).toFixed(2)} (target ≥ 0.9), p99 ${(hardF.p99 / softF.p99).toFixed(2)}x`);
    if (softF.cpuPerRequest !== null && hardF.cpuPerRequest !== null) {
      console.log(`server CPU per request: soft ${softF.cpuPerRequest.toFixed(1)} µs, hard ${hardF.cpuPerRequest.toFixed(1)} µs`);
    }
    if (softF.non2xx + hardF.non2xx > 0) console.log(`WARNING: ${softF.non2xx + hardF.non2xx} non-2xx answers or errors (soft/hard)`);
  }

  if (args.usage) {
    // Reports cut off in flight when the load stopped may or may not have been recorded; every
    // report answered 202 must be, and the budget must hold exactly the recorded reports' cost.
    await new Promise((r) => setTimeout(r, 1000));
    const got = await api(tollgate, "GET", `/v1/api-keys/${key.apiKey.id}`, bearerToken);
    const count = `select count(*)::int as n, coalesce(sum(cost_micros), 0)::bigint as micros from usage_events where key_id = $1`;
    let events: { n: number; micros: string | number } | undefined;
    if (tollgateServer.dataDir) {
      // The embedded database is the server's alone: stop it, then read its data dir.
      const exited = new Promise((r) => tollgateServer.child.once("exit", r));
      tollgateServer.child.kill("SIGTERM");
      await exited;
      const { PGlite } = await import("@electric-sql/pglite");
      const pg = await PGlite.create(tollgateServer.dataDir);
      events = (await pg.query<{ n: number; micros: string }>(count, [key.apiKey.id])).rows[0];
      await pg.close();
    } else {
      const db = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
      [events] = (await db.unsafe(count, [key.apiKey.id])) as unknown as { n: number; micros: string }[];
      await db.end();
    }
    const budgetMicros = Math.round(got.apiKey.quota.currentSpend * 1e6);
    const recorded = events!.n as number;
    const exact = budgetMicros === Number(events!.micros) && budgetMicros === recorded * 10_000 && recorded >= measured.acknowledged && recorded <= n;
    console.log(
      `usage: ${n} reports sent, ${measured.acknowledged} answered 202, ${recorded} recorded; budget holds $${got.apiKey.quota.currentSpend} = ${recorded} x $0.01`,
    );
    console.log(exact ? "totals: exact" : "totals: MISMATCH");
    if (!exact) process.exitCode = 1;
    if (measured.rps < 7000) console.log(`target: ${measured.rps.toFixed(0)} reports/s is under the 7,000/s of issue 18`);
  }
}

/**
 * The gateway against the provider it fronts: the same small chat completion sent to the fake
 * provider directly and through Tollgate (authorize in-process, the upstream call, metering), then
 * the time to a stream's first chunk, both ways, request by request in alternation.
 */
async function gatewayMain() {
  const fake = await start("bench/fake-provider.ts", { FAKE_PROVIDER_KEY: "sk-bench" });
  const upstream = { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: "sk-bench" };
  const tollgateServer = await startTollgate(upstream);
  const baselineServer = args.baseline ? await startTollgate(upstream, baselineDir(args.baseline)) : null;
  const bareProxy = await start("bench/bare-proxy.ts", { UPSTREAM: `${fake.url}/v1` });
  // Portkey's open-source gateway (no metering, no budgets), told the provider and its URL per request.
  const portkey = await start(resolve("node_modules/@portkey-ai/gateway/build/start-server.js"), {}, { ready: "/", args: (port) => [`--port=${port}`, "--headless"] });
  const messages = [{ role: "user", content: "Say hello." }];
  const viaTollgate = JSON.stringify({ model: "openai/gpt-4o-mini", messages });
  const direct = JSON.stringify({ model: "gpt-4o-mini", messages });
  const json = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
  const portkeyHeaders = { ...json("sk-bench"), "x-portkey-provider": "openai", "x-portkey-custom-host": `${fake.url}/v1` };

  /** `stream: null`: not measured streaming. */
  type Way = { name: string; server: Server; headers: Record<string, string>; body: string; stream: string | null; path?: string; streamHeaders?: Record<string, string> };
  const streamed = (body: string) => JSON.stringify({ ...JSON.parse(body), stream: true });
  const ways: Way[] = [
    { name: "fake provider, direct", server: fake, headers: json("sk-bench"), body: direct, stream: streamed(direct) },
    { name: "through a bare proxy", server: bareProxy, headers: json("sk-bench"), body: direct, stream: streamed(direct) },
    // Portkey 1.15.2 answers a stream 500 on Node 20 ("TypeError: immutable": it appends a header
    // to the upstream fetch Response's headers): measured without streams.
    { name: "through portkey", server: portkey, headers: portkeyHeaders, body: direct, stream: null },
  ];
  for (const [name, server] of [[`through tollgate (${args.db})`, tollgateServer], [`baseline ${args.baseline}`, baselineServer]] as const) {
    if (!server) continue;
    const { key } = await benchKey(server.url);
    ways.push({ name, server, headers: json(key.apiKeyString), body: viaTollgate, stream: streamed(viaTollgate) });
  }
  // The AI SDK's gateway protocol (what `createGateway({ baseURL: '<tollgate>/v4/ai' })` sends):
  // the same prompt, executed through @ai-sdk/openai on the server.
  {
    const { key } = await benchKey(tollgateServer.url);
    const sdk = { ...json(key.apiKeyString), "ai-language-model-id": "openai/gpt-4o-mini" };
    const prompt = JSON.stringify({ prompt: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }] });
    ways.push({ name: "tollgate, AI SDK protocol", server: tollgateServer, path: "/v4/ai/language-model", headers: sdk, body: prompt, stream: prompt, streamHeaders: { ...sdk, "ai-language-model-streaming": "true" } });
  }
  for (const w of ways) {
    const check = await fetch(`${w.server.url}${w.path ?? "/v1/chat/completions"}`, { method: "POST", headers: w.headers, body: w.body });
    if (check.status !== 200) throw new Error(`${w.name}: ${check.status} ${await check.text()}`);
  }

  // Young-generation collections of each Tollgate process over the run (prom-client's GC metric in
  // /metrics): their mean pause rises when something keeps requests' objects alive across them.
  const tollgates = [
    { name: "tollgate (chat and AI SDK calls)", server: tollgateServer },
    ...(baselineServer ? [{ name: `baseline ${args.baseline} (chat)`, server: baselineServer }] : []),
  ];
  const gcBefore = await Promise.all(tollgates.map((t) => minorGc(t.server.url)));
  const figs = await compareAll(ways.map((w) => ({ server: w.server, path: w.path ?? "/v1/chat/completions", body: () => w.body, headers: w.headers })));
  const gcAfter = await Promise.all(tollgates.map((t) => minorGc(t.server.url)));
  const [base, bare, , measured] = figs as [Figures, Figures, Figures, Figures];
  const ms = (v: number) => `${v.toFixed(2).padStart(6)} ms`;
  const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(8)} req/s   p50 ${ms(f.p50)}   p99 ${ms(f.p99)}`;
  const cpu = (f: Figures) => (f.cpuPerRequest === null ? "n/a" : `${f.cpuPerRequest.toFixed(1)} µs`);
  console.log(`\n${CONNECTIONS} keep-alive connections, ${DURATION} s each in ${ROUNDS} alternating slices, after ${WARMUP} s of warm-up each`);
  ways.forEach((w, i) => console.log(`${w.name.padEnd(28)} ${fmt(figs[i]!)}   server CPU/request ${cpu(figs[i]!)}   ${(figs[i]!.rps / bare.rps).toFixed(2)} of the bare proxy`));
  console.log(
    `tollgate: ${(measured.rps / base.rps).toFixed(2)} of direct, ${(measured.rps / bare.rps).toFixed(2)} of the bare proxy's throughput (target ≥ 0.8)`,
  );
  const errors = figs.map((f) => f.non2xx);
  if (errors.some((e) => e > 0)) console.log(`WARNING: non-2xx answers or errors: ${ways.map((w, i) => `${w.name} ${errors[i]}`).join(", ")}`);
  tollgates.forEach((t, i) => {
    const [b, a] = [gcBefore[i]!, gcAfter[i]!];
    const n = a.count - b.count;
    if (n > 0) console.log(`${t.name}: ${n} young-generation collections, mean pause ${(((a.seconds - b.seconds) / n) * 1000).toFixed(2)} ms`);
  });

  // One request at a time (no queueing), each way in turn: the whole answer of a small
  // non-streamed completion, then the first chunk of a stream.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const timed = (url: string, headers: Record<string, string>, body: string) =>
    new Promise<{ first: number; end: number }>((done, failed) => {
      const started = performance.now();
      const req = httpRequest(url, { method: "POST", agent, headers }, (res) => {
        if (res.statusCode !== 200) return failed(new Error(`${url}: ${res.statusCode}`));
        res.once("data", () => {
          const first = performance.now() - started;
          res.on("data", () => {});
          res.on("end", () => done({ first, end: performance.now() - started }));
        });
      });
      req.on("error", failed);
      req.end(body);
    });
  const SEQUENTIAL = Number(args.sequential);
  if (SEQUENTIAL <= 0) return;
  const sequential = async (pick: "first" | "end", stream: boolean) => {
    const out: number[][] = ways.map(() => []);
    for (let i = 0; i < SEQUENTIAL + Math.min(200, SEQUENTIAL); i++) {
      for (const [j, w] of ways.entries()) {
        if (stream && w.stream === null) continue;
        const t = await timed(`${w.server.url}${w.path ?? "/v1/chat/completions"}`, stream ? (w.streamHeaders ?? w.headers) : w.headers, stream ? w.stream! : w.body);
        if (i >= Math.min(200, SEQUENTIAL)) out[j]!.push(t[pick]); // after a warm-up
      }
    }
    return out.map((d) => d.sort((p, q) => p - q));
  };
  const report = (title: string, runs: number[][]) => {
    console.log(`\n${title} (${SEQUENTIAL} sequential requests each, each way in turn)`);
    const [d, b] = [percentile(runs[0]!, 50), percentile(runs[1]!, 50)];
    ways.forEach((w, i) => {
      if (runs[i]!.length === 0) return console.log(`${w.name.padEnd(28)} not measured`);
      const p50 = percentile(runs[i]!, 50);
      console.log(`${w.name.padEnd(28)} p50 ${ms(p50)}   p99 ${ms(percentile(runs[i]!, 99))}   added p50: ${(p50 - d).toFixed(2)} ms over direct, ${(p50 - b).toFixed(2)} ms over the bare proxy`);
    });
  };
  report("non-streamed, one request at a time: the whole answer", await sequential("end", false));
  report("streams, time to the first chunk", await sequential("first", true));
  agent.destroy();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    // Each server exits on its own (so that a --cpu-prof profile gets written), else is killed after 10 s.
    const exits = children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once("exit", r)));
    for (const c of children) c.kill("SIGTERM");
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 10_000).unref())]);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });
