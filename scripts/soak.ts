/**
 * `npm run soak`: mixed traffic for a while (default 10 minutes) against a fresh Tollgate, printing
 * the server's RSS and heap every interval; fails when they keep growing.
 *
 *   npm run soak                          10 minutes, a sample a minute, embedded PGlite
 *   npm run soak -- --minutes 2 --interval 15
 *   DATABASE_URL=postgres://... npm run soak
 *
 * Traffic, from --workers concurrent loops: authorize (most), usage reports, and management calls
 * (create a project, list keys, read a key, update a key's budget). "Growing" means the lowest
 * of the last third of the samples is over the highest of the first third by more than 20%
 * (heap used after a GC-independent floor, so the sawtooth of garbage collection does not count).
 */
import { parseArgs } from "node:util";
import { ADMIN, GATEWAY, api, freshDataDir, keyOn } from "../test/ops/server-process.js";
import { spawnServer } from "./lib/spawn-server.js";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    interval: { type: "string", default: "60" },
    workers: { type: "string", default: "8" },
  },
});
const DURATION_MS = Number(args.minutes) * 60_000;
const INTERVAL_MS = Number(args.interval) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const env: Record<string, string> = { TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  else env.TOLLGATE_DATA_DIR = freshDataDir();
  const server = await spawnServer(env);
  const pid = server.child.pid!;
  let died = false;
  void server.exited.then((code) => {
    if (died) return;
    died = true;
    console.error(`the server exited (code ${code}, signal ${server.child.signalCode}) during the soak:\n${server.stdout().slice(-2000)}\n${server.stderr().slice(-4000)}`);
    process.exit(1);
  });
  try {
    const { keyId, credential, owner } = await keyOn(server.url);
    const teamId = (await api(server.url, "GET", `/v1/api-keys/${keyId}`, owner)).apiKey.teamId as string;
    let stop = false;
    const counts = { authorize: 0, usage: 0, management: 0, errors: 0 };
    const call = async (path: string, method: string, token: string, body?: unknown) => {
      try {
        await api(server.url, method, path, token, body);
      } catch {
        counts.errors++;
      }
    };
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const step = i % 20;
        if (step < 14) {
          await call("/v1/gateway/authorize", "POST", GATEWAY, { credential, model: "openai/gpt-5" });
          counts.authorize++;
        } else if (step < 18) {
          await call("/v1/gateway/usage", "POST", GATEWAY, { keyId, requestId: `soak-${w}-${i}-${Date.now()}`, model: "openai/gpt-5", costUsd: 0.000001 });
          counts.usage++;
        } else if (step === 18) {
          await call(`/v1/projects?teamId=${teamId}`, "POST", owner, { name: `soak-${w}-${i}-${Date.now()}` });
          await call(`/v1/api-keys?teamId=${teamId}`, "GET", owner);
          counts.management += 2;
        } else {
          await call(`/v1/api-keys/${keyId}`, "GET", owner);
          counts.management++;
        }
      }
    };
    const workers = Array.from({ length: Number(args.workers) }, (_, w) => worker(w));

    const samples: { rss: number; heap: number }[] = [];
    const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
    const started = performance.now();
    console.log(`soak: ${args.minutes} min, ${args.workers} workers, a sample every ${args.interval} s (server pid ${pid})`);
    while (performance.now() - started < DURATION_MS) {
      await sleep(Math.min(INTERVAL_MS, DURATION_MS - (performance.now() - started)));
      const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
      const value = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split("\n").find((l) => l.startsWith(name + " ")) ?? "")?.[2] ?? NaN);
      const s = { rss: value("tollgate_process_resident_memory_bytes"), heap: value("tollgate_nodejs_heap_size_used_bytes") };
      samples.push(s);
      const minute = ((performance.now() - started) / 60_000).toFixed(1).padStart(5);
      console.log(
        `${minute} min  rss ${mb(s.rss).padStart(9)}  heap ${mb(s.heap).padStart(9)}  requests: authorize ${counts.authorize}, usage ${counts.usage}, management ${counts.management}, errors ${counts.errors}`,
      );
    }
    stop = true;
    await Promise.all(workers);

    const third = Math.max(1, Math.floor(samples.length / 3));
    const growing = (k: "rss" | "heap") => {
      if (samples.length < 3) return false;
      const early = Math.max(...samples.slice(0, third).map((s) => s[k]));
      const late = Math.min(...samples.slice(-third).map((s) => s[k]));
      return late > early * 1.2;
    };
    const verdict = { rss: growing("rss"), heap: growing("heap") };
    if (samples.length < 3) console.log("too few samples to judge growth (use a longer --minutes or a shorter --interval)");
    console.log(`rss ${verdict.rss ? "GROWING" : "flat"}, heap ${verdict.heap ? "GROWING" : "flat"}; ${counts.errors} errors`);
    if (verdict.rss || verdict.heap || counts.errors > 0) process.exitCode = 1;
  } finally {
    died = true;
    server.child.kill("SIGTERM");
    await server.exited;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
