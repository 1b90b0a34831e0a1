/**
 * `npm run bench -- --scale [--keys 1000000] [--teams 10000] [--rows 10000000] [--steps 1000,100000,1000000] [--duration 5] [--warmup 30]`
 *
 * Seeds DATABASE_URL (required: never the CI database) by bulk load (COPY): `--keys` gateway keys
 * across `--teams` teams, `--rows` raw usage reports spread over the last 31 days, and a year of
 * daily rollups for a team of 1,000 keys (and its team-level rollups, their sums). Then, at each key count of `--steps` (the keys seeded so
 * far; the usage rows are all there from the start), starts a fresh server and measures:
 * start-up time; Zipf (s = 1) authorize throughput for `--duration` s from the start (every key
 * and team cold), then, after `--warmup` s more of it (a server that has been running), a key's
 * first touch on the warm server (a key it was never sent, its team warm: one indexed read) and
 * authorize throughput and p99 over Zipf and uniformly random keys, each against the bare-Hono
 * ceiling in alternating one-second slices (the ratio is to the ceiling measured beside it),
 * the server's memory, usage reports/s, the yearly report, and (once) a retention pass.
 * The seed is resumable: a second run only adds what is missing. Machines here are noisy: the
 * ratios within one run are what counts.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import autocannon from "autocannon";
import postgres from "postgres";
import { encodeTime } from "ulidx";
import { usageIdBound } from "../src/reports/retention.js";
import { spawnServer, type SpawnedServer } from "../scripts/lib/spawn-server.js";
import { percentile } from "./lib.js";

export type ScaleArgs = {
  keys: number;
  teams: number;
  rows: number;
  steps: number[];
  duration: number;
  /** Seconds of Zipf traffic after the first figure, before the steady-state ones (a server that has been running). */
  warmup: number;
  connections: number;
  /** Tollgate from its TypeScript through tsx (`npm start`) instead of compiled (`dist/main.js`, what `npm run start:prod` runs). */
  tsx?: boolean;
};

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DAY = 86_400_000;
const REPORT_TEAM = "team_scale_report";
const REPORT_KEYS = 1000;
const children: ChildProcess[] = [];

const pad = (n: number, w = 8) => String(n).padStart(w, "0");
const keyId = (i: number) => `key_scale${pad(i)}`;
const teamId = (i: number) => `team_scale${pad(i)}`;
const teamOf = (i: number, teams: number) => i % teams;

/** The i-th seeded key's secret: deterministic, with a valid checksum (as `generateSecret`). */
function credential(i: number): string {
  const h = createHash("sha256").update(`tollgate-scale-${i}`).digest();
  let body = "";
  for (let j = 0; j < 43; j++) body += BASE62[h[j % 32]! % 62];
  let c = crc32(`tgk_${body}`);
  let sum = "";
  for (let j = 0; j < 6; j++) {
    sum = BASE62[c % 62] + sum;
    c = Math.floor(c / 62);
  }
  return `tgk_${body}${sum}`;
}

async function copyRows(sql: postgres.Sql, table: string, columns: string[], rows: Iterable<string>) {
  const stream = await sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
  async function* chunks() {
    let buf = "";
    for (const r of rows) {
      buf += r + "\n";
      if (buf.length > 1 << 20) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), stream);
}

async function seed(sql: postgres.Sql, a: ScaleArgs, ownerId: string, now: number) {
  const t0 = Date.now();
  await sql`insert into users (id, email, name, created_at) values (${ownerId}, 'scale-owner@example.test', 'scale', ${now}) on conflict do nothing`;
  const haveTeams = Number((await sql`select count(*)::int as n from teams where id like 'team\_scale0%'`)[0]!.n);
  if (haveTeams < a.teams) {
    const ids = Array.from({ length: a.teams - haveTeams }, (_, j) => haveTeams + j);
    await copyRows(sql, "teams", ["id", "slug", "name", "created_at"], ids.map((i) => `${teamId(i)}\tscale-${i}\tScale ${i}\t${now}`));
    await copyRows(sql, "memberships", ["team_id", "user_id", "role", "created_at"], ids.map((i) => `${teamId(i)}\t${ownerId}\tOWNER\t${now}`));
  }
  await sql`insert into teams (id, slug, name, created_at) values (${REPORT_TEAM}, 'scale-report', 'Scale report', ${now}) on conflict do nothing`;
  await sql`insert into memberships (team_id, user_id, role, created_at) values (${REPORT_TEAM}, ${ownerId}, 'OWNER', ${now}) on conflict do nothing`;
  const teamsAt = Date.now();

  const haveKeys = Number((await sql`select count(*)::int as n from api_keys where id like 'key\_scale%'`)[0]!.n);
  if (haveKeys < a.keys) {
    function* keyRows() {
      for (let i = haveKeys; i < a.keys; i++) {
        const cred = credential(i);
        const digest = createHash("sha256").update(cred).digest("hex");
        yield `${keyId(i)}\t${teamId(teamOf(i, a.teams))}\tscale\tai-gateway\t${digest}\t${cred.slice(-4)}\t${ownerId}\t${now}\t${now - DAY}`;
      }
    }
    await copyRows(sql, "api_keys", ["id", "team_id", "name", "purpose", "digest", "partial_key", "created_by", "created_at", "active_at"], keyRows());
  }
  const keysAt = Date.now();

  // Raw usage reports over the last 31 days (oldest first), ids time-sortable as the service makes them.
  // Resumable: the next row after the newest seeded one (retention may have removed the oldest).
  const last = (await sql`select max(request_id) as last from usage_events where request_id like 'scale-%'`)[0]!.last as string | null;
  const haveRows = last ? Number(String(last).slice(6)) + 1 : 0;
  if (haveRows < a.rows) {
    const span = 31 * DAY;
    const start = now - span;
    function* usageRows() {
      let lastMs = -1;
      let time = "";
      for (let g = haveRows; g < a.rows; g++) {
        const t = start + Math.floor((g / a.rows) * span);
        if (t !== lastMs) {
          lastMs = t;
          time = encodeTime(t, 10).toLowerCase();
        }
        const k = g % Math.max(1, a.keys);
        yield `use_${time}${pad(g, 16)}\tscale-${pad(g, 10)}\t${teamId(teamOf(k, a.teams))}\t${keyId(k)}\t${ownerId}\topenai/gpt-5-mini\t10000\tf\t100\t50\t${t}`;
      }
    }
    await copyRows(
      sql,
      "usage_events",
      ["id", "request_id", "team_id", "key_id", "user_id", "model", "cost_micros", "byok", "input_tokens", "output_tokens", "created_at"],
      usageRows(),
    );
  }
  const rowsAt = Date.now();

  // A year of daily rollups for a team of 1,000 keys: one hour a day per key, two models.
  const haveRollups = Number((await sql`select count(*)::int as n from usage_rollups where team_id = ${REPORT_TEAM}`)[0]!.n);
  if (haveRollups === 0) {
    const today = Math.floor(now / DAY) * DAY;
    function* rollupRows() {
      for (let d = 0; d < 365; d++)
        for (let k = 0; k < REPORT_KEYS; k++)
          yield `${REPORT_TEAM}\t${today - d * DAY + (k % 24) * 3_600_000}\tkey_report${pad(k)}\t${k % 2 ? "openai/gpt-5" : "openai/gpt-5-mini"}\t\t${ownerId}\t10\t100000\t0\t1000\t500`;
    }
    await copyRows(
      sql,
      "usage_rollups",
      ["team_id", "hour_start", "key_id", "model", "project_id", "user_id", "requests", "cost_micros", "byok_cost_micros", "input_tokens", "output_tokens"],
      rollupRows(),
    );
  }
  // The team-level rollups the usage statement keeps beside them (migration 0009 sums older ones the same way).
  const haveTeamRollups = Number((await sql`select count(*)::int as n from usage_rollups_team where team_id = ${REPORT_TEAM}`)[0]!.n);
  if (haveTeamRollups === 0) {
    await sql`insert into usage_rollups_team (team_id, hour_start, model, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens)
              select team_id, hour_start, model, sum(requests), sum(cost_micros), sum(byok_cost_micros), sum(input_tokens), sum(output_tokens)
                from usage_rollups where team_id = ${REPORT_TEAM} group by team_id, hour_start, model`;
  }
  await sql`analyze api_keys`;
  await sql`analyze usage_events`;
  await sql`analyze usage_rollups`;
  await sql`analyze usage_rollups_team`;
  console.log(
    `seed: ${a.teams} teams, ${a.keys} keys (${((keysAt - teamsAt) / 1000).toFixed(1)} s for ${Math.max(0, a.keys - haveKeys)} new), ` +
      `${a.rows} usage rows (${((rowsAt - keysAt) / 1000).toFixed(1)} s for ${Math.max(0, a.rows - haveRows)} new), ` +
      `${365 * REPORT_KEYS} rollup rows; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`,
  );
}

/**
 * A server in its own process, once /healthz answers (scripts/lib/spawn-server.ts): Tollgate, or
 * `script` (the bare-Hono ceiling). Tollgate runs compiled (`dist/main.js`, built by runScale), as
 * `npm run bench` and production run it, unless `tsx` (then as `npm start` does). BENCH_NODE_ARGS:
 * extra node flags for Tollgate, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
async function start(env: Record<string, string>, script?: string, tsx = false): Promise<SpawnedServer> {
  const extra = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const node = script ? ["--import", "tsx", script] : tsx ? [...extra, "--import", "tsx", "scripts/lib/serve.ts"] : [...extra, "dist/main.js"];
  const command = { command: () => [process.execPath, ...node] };
  const server = await spawnServer({ ...env, NODE_ENV: "production" }, { ...command, echoStderr: true });
  children.push(server.child);
  return server;
}

const rssMb = (pid: number | undefined) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Key indices drawn Zipf (s = 1) over n keys, the hottest spread over teams by a permutation. */
function zipfSampler(n: number): () => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) cdf[r] = acc += 1 / (r + 1);
  return () => {
    const u = Math.random() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return Number((BigInt(lo) * 7919n + 13n) % BigInt(n));
  };
}

type Run = { rps: number; p50: number; p99: number; non2xx: number };
type Slice = { requests: number; seconds: number; latencies: number[]; non2xx: number };

function drive(url: string, token: string, seconds: number, connections: number, body: () => string): Promise<Run> {
  return slice(url, token, seconds, connections, body).then((s) => summary([s]));
}

function summary(slices: Slice[]): Run {
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  const seconds = slices.reduce((a, s) => a + s.seconds, 0);
  return { rps: requests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), non2xx: slices.reduce((a, s) => a + s.non2xx, 0) };
}

/**
 * Two targets for `seconds` each, in alternating slices (A B, B A, A B, …) as `npm run bench`
 * does: the machines here swing by a third within a minute, and a ratio of two runs taken one
 * after the other measures the swing as much as the code.
 */
async function alternate(a: () => Promise<Slice>, b: () => Promise<Slice>, rounds: number): Promise<[Run, Run]> {
  const sa: Slice[] = [];
  const sb: Slice[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      sa.push(await a());
      sb.push(await b());
    } else {
      sb.push(await b());
      sa.push(await a());
    }
  }
  return [summary(sa), summary(sb)];
}

function slice(url: string, token: string, seconds: number, connections: number, body: () => string): Promise<Slice> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const inst = autocannon(
      {
        url,
        method: "POST",
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        requests: [{ setupRequest: (req: any) => ({ ...req, body: body() }) }],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({ requests: r.requests.total, seconds: r.duration, latencies, non2xx: r.non2xx + r.errors });
      },
    );
    inst.on("response", (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
  });
}

/** One request at a time on one keep-alive connection (node:http: `fetch` itself costs a millisecond here). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
/** Bursts of first touches: this many at once, this many times per step. */
const BURST = 32;
const BURSTS = 10;
/** For a burst: a connection each, kept open between bursts. */
const burstAgent = new Agent({ keepAlive: true, maxSockets: BURST });
function post(url: string, token: string, body: unknown, via = agent): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest(url, { method: "POST", agent: via, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve({ ms: performance.now() - t0, status: res.statusCode! }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

export async function runScale(a: ScaleArgs): Promise<void> {
  const DATABASE_URL = process.env.DATABASE_URL;
  if (!DATABASE_URL || /\/test$/.test(DATABASE_URL)) throw new Error("--scale seeds millions of rows: set DATABASE_URL to a database of your own (not the CI `test` database)");
  const ADMIN = `bench-admin-${randomBytes(8).toString("hex")}`;
  const GATEWAY = `bench-gateway-${randomBytes(8).toString("hex")}`;
  const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
  const ownerId = "user_scale_owner";
  const now = Date.now();
  const env = { DATABASE_URL, TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY, TOLLGATE_LOG_LEVEL: "error" };
  const cacheMax = Number(process.env.TOLLGATE_CACHE_MAX_KEYS || 100_000);
  const lines: string[] = [];
  try {
    // Migrate (a first start), then seed what is missing.
    // Compiled, as production runs it (`npm run build`: src/ -> dist/), unless --tsx.
    if (!a.tsx) execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
    await (await start(env, undefined, a.tsx)).stop();
    const steps = [...new Set(a.steps.filter((s) => s <= a.keys).concat(a.keys))].sort((x, y) => x - y);
    const bare = await start({}, "bench/bare-server.ts");
    for (const keys of steps) {
      await seed(sql, { ...a, keys }, ownerId, now);
      const server = await start(env, undefined, a.tsx);
      const authorizeUrl = `${server.url}/v1/gateway/authorize`;
      const body = (i: number) => JSON.stringify({ credential: credential(i), model: "openai/gpt-5-mini" });

      // Keys kept out of the traffic for the first touches measured once the server is warm.
      const sample = Math.min(300, Math.floor(keys / 10));
      const reserved = new Set<number>();
      while (reserved.size < sample) reserved.add(Math.floor(Math.random() * keys));
      // And for bursts of BURST concurrent first touches (the same keys again, warm, as their reference).
      const bursts: number[][] = [];
      for (let b = 0; b < BURSTS && keys >= 10 * (sample + BURST * (b + 1)); b++) {
        const burst: number[] = [];
        while (burst.length < BURST) {
          const i = Math.floor(Math.random() * keys);
          if (!reserved.has(i)) {
            reserved.add(i);
            burst.push(i);
          }
        }
        bursts.push(burst);
      }
      const zipfSample = zipfSampler(keys);
      const zipf = () => {
        for (;;) {
          const i = zipfSample();
          if (!reserved.has(i)) return i;
        }
      };
      const uniform = () => {
        for (;;) {
          const i = Math.floor(Math.random() * keys);
          if (!reserved.has(i)) return i;
        }
      };
      const d = a.duration;
      // Zipf traffic from the start (every key and team cold), then until the cache is in its steady state.
      const cold = await drive(authorizeUrl, GATEWAY, d, a.connections, () => body(zipf()));
      if (a.warmup > 0) await drive(authorizeUrl, GATEWAY, a.warmup, a.connections, () => body(zipf()));

      // First touch, on the warmed server: a key it was never sent (reserved), its team warm (by one of its other keys).
      const firstTouch: number[] = [];
      for (const i of [...reserved].slice(0, sample)) {
        const sibling = (i + a.teams) % keys;
        if (sibling !== i && !reserved.has(sibling)) await post(authorizeUrl, GATEWAY, JSON.parse(body(sibling)));
        const r = await post(authorizeUrl, GATEWAY, JSON.parse(body(i)));
        if (r.status !== 200) throw new Error(`first touch: ${r.status}`);
        firstTouch.push(r.ms);
      }
      firstTouch.sort((x, y) => x - y);
      // Bursts: BURST new keys at once (their teams warmed first, one request each by a sibling),
      // then the same keys at once again, now cached: the warm reference at the same concurrency.
      const burstCold: number[] = [];
      const burstWarm: number[] = [];
      for (const burst of bursts) {
        for (const i of burst) {
          const sibling = (i + a.teams) % keys;
          if (!reserved.has(sibling)) await post(authorizeUrl, GATEWAY, JSON.parse(body(sibling)));
        }
        const at = async (into: number[]) => {
          const rs = await Promise.all(burst.map((i) => post(authorizeUrl, GATEWAY, JSON.parse(body(i)), burstAgent)));
          for (const r of rs) {
            if (r.status !== 200) throw new Error(`burst: ${r.status}`);
            into.push(r.ms);
          }
        };
        await at(burstCold);
        await at(burstWarm);
      }
      burstCold.sort((x, y) => x - y);
      burstWarm.sort((x, y) => x - y);
      const warm = await post(authorizeUrl, GATEWAY, JSON.parse(body(0)));
      // Each against the ceiling in alternating slices of a second (Zipf first: uniform traffic
      // fills the cache with keys Zipf seldom sends).
      const rounds = Math.max(1, Math.round(d));
      const ceilingSlice = (pick: () => number) => () => slice(`${bare.url}/echo`, GATEWAY, d / rounds, a.connections, () => body(pick()));
      const authorizeSlice = (pick: () => number) => () => slice(authorizeUrl, GATEWAY, d / rounds, a.connections, () => body(pick()));
      const [ceiling1, z] = await alternate(ceilingSlice(zipf), authorizeSlice(zipf), rounds);
      const [ceiling2, u] = await alternate(ceilingSlice(uniform), authorizeSlice(uniform), rounds);
      const ceiling = { rps: (ceiling1.rps + ceiling2.rps) / 2, p99: (ceiling1.p99 + ceiling2.p99) / 2 };
      const rss = rssMb(server.child.pid);

      let n = 0;
      const tag = randomBytes(4).toString("hex");
      const usage = await drive(`${server.url}/v1/gateway/usage`, GATEWAY, d, a.connections, () =>
        JSON.stringify({ keyId: keyId(zipf()), requestId: `scaleuse-${tag}-${n++}`, model: "openai/gpt-5-mini", costUsd: 0.01 }),
      );

      // A year of daily rows for the team of 1,000 keys (the owner's token, made through the API).
      const made = await fetch(`${server.url}/v1/admin/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ email: `scale-${tag}@example.test` }),
      }).then((r) => r.json() as Promise<any>);
      await sql`insert into memberships (team_id, user_id, role, created_at) values (${REPORT_TEAM}, ${made.user.id}, 'DEVELOPER', ${now})`;
      const reportUrl = `${server.url}/v1/ai-gateway/usage?teamId=${REPORT_TEAM}&from=${now - 366 * DAY}&to=${now + DAY}&granularity=day&limit=1000`;
      const reportMs: number[] = [];
      let reportRows = 0;
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const res = await fetch(reportUrl, { headers: { authorization: `Bearer ${made.bearerToken}` } });
        const json = (await res.json()) as any;
        reportMs.push(performance.now() - t0);
        reportRows = json.rows?.length ?? -1;
      }
      reportMs.sort((x, y) => x - y);

      await server.stop();
      const f = (v: number) => v.toFixed(2);
      const line =
        `| ${keys.toLocaleString("en")} | ${(server.startMs / 1000).toFixed(2)} s | ${f(percentile(firstTouch, 50))} / ${f(percentile(firstTouch, 99))} ms | ` +
        `${cold.rps.toFixed(0)} (${(cold.rps / ceiling.rps).toFixed(2)}) | ${z.rps.toFixed(0)} (${(z.rps / ceiling1.rps).toFixed(2)}), p99 ${f(z.p99)} ms | ${u.rps.toFixed(0)} (${(u.rps / ceiling2.rps).toFixed(2)}), p99 ${f(u.p99)} ms | ` +
        `${ceiling.rps.toFixed(0)}, p99 ${f(ceiling.p99)} ms | ${rss.toFixed(0)} MB | ${usage.rps.toFixed(0)} | ${f(reportMs[3]!)} ms (${reportRows} rows) |`;
      lines.push(line);
      console.log(
        `keys ${keys}: start ${server.startMs.toFixed(0)} ms; warm authorize ${warm.ms.toFixed(2)} ms; first touch p50 ${f(percentile(firstTouch, 50))} p99 ${f(percentile(firstTouch, 99))} ms (n=${firstTouch.length});` +
          (burstCold.length > 0
            ? ` ${BURST} first touches at once: p99 ${f(percentile(burstCold, 99))} ms against ${f(percentile(burstWarm, 99))} ms for the same keys warm (${(percentile(burstCold, 99) / percentile(burstWarm, 99)).toFixed(2)}x, n=${burstCold.length});`
            : "") +
          ` zipf from start ${cold.rps.toFixed(0)} req/s p99 ${f(cold.p99)} ms; zipf after ${a.warmup} s more ${z.rps.toFixed(0)} req/s p99 ${f(z.p99)} ms (non-2xx ${z.non2xx}); uniform ${u.rps.toFixed(0)} req/s p99 ${f(u.p99)} ms (non-2xx ${u.non2xx});` +
          ` ceiling ${ceiling1.rps.toFixed(0)} req/s beside Zipf, ${ceiling2.rps.toFixed(0)} beside uniform; rss ${rss.toFixed(0)} MB (cache max ${cacheMax} keys); usage ${usage.rps.toFixed(0)} reports/s (non-2xx ${usage.non2xx});` +
          ` yearly report ${f(reportMs[0]!)}..${f(reportMs[6]!)} ms, median ${f(reportMs[3]!)} ms`,
      );
    }
    await bare.stop();

    // Retention over the seeded rows: the reports older than 30 days, in batches of 5,000.
    const { deleteUsageBatch } = await import("../src/reports/queries.js");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const db = drizzle(sql) as any;
    const cutoff = now - 30 * DAY;
    const t0 = performance.now();
    let batches = 0;
    let worst = 0;
    let deleted = 0;
    for (;;) {
      const b0 = performance.now();
      const n = await deleteUsageBatch(db, cutoff, usageIdBound(cutoff), 5000);
      worst = Math.max(worst, performance.now() - b0);
      deleted += n;
      batches++;
      if (n < 5000) break;
    }
    const retentionS = (performance.now() - t0) / 1000;
    console.log(`retention: ${deleted} rows older than 30 days deleted in ${retentionS.toFixed(1)} s (${(deleted / Math.max(retentionS, 0.001)).toFixed(0)} rows/s), ${batches} batches of 5,000, the longest ${worst.toFixed(0)} ms (each its own statement: no long lock)`);

    console.log(`\n${a.teams.toLocaleString("en")} teams, ${a.rows.toLocaleString("en")} usage rows, cache max ${cacheMax.toLocaleString("en")} keys, ${a.connections} connections, ${a.duration} s per figure`);
    console.log(
      `| keys | start-up | first touch p50 / p99 | Zipf, first ${a.duration} s after start (of ceiling) | Zipf, after ${a.warmup} s more (of the ceiling beside it) | uniform authorize req/s (of the ceiling beside it) | ceiling | server RSS | usage reports/s | yearly report (day) |`,
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const l of lines) console.log(l);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await sql.end();
  }
}
