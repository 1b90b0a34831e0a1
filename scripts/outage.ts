/**
 * `npm run outage`: takes Postgres away under load and prints how Tollgate came back.
 *
 * Starts Tollgate (src/main.ts) on DATABASE_URL, runs 16 usage writers (a 503 is retried with the
 * same requestId, as a gateway should) and an authorize loop, then either
 *   --restart "<command>"  runs a real restart (e.g. "sudo systemctl restart postgresql" or
 *                          "docker compose restart postgres"), or
 *   --proxy                (default) puts a TCP proxy between Tollgate and Postgres and cuts it
 *                          for --down seconds (a restart that touches nobody else's Postgres).
 * It prints the answers by status, the time from Postgres accepting connections again to the first
 * 202 and the first authorize 200, and checks that every acknowledged report is recorded and
 * nothing else is. Exit 1 on a 500, a lost or invented report, or a recovery over 1 s.
 */
import { execSync } from "node:child_process";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { startTcpProxy, throughProxy, type TcpProxy } from "../test/helpers/tcp-proxy.js";
import { ADMIN, GATEWAY, keyOn } from "../test/ops/server-process.js";
import { spawnServer } from "./lib/spawn-server.js";

const { values: args } = parseArgs({
  options: {
    restart: { type: "string" },
    down: { type: "string", default: "3" },
    writers: { type: "string", default: "16" },
  },
});
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.error("DATABASE_URL is required (the outage is Postgres's).");
  process.exit(1);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  let proxy: TcpProxy | undefined;
  if (!args.restart) proxy = await startTcpProxy(hostPort(DATABASE_URL!));
  const url = proxy ? throughProxy(DATABASE_URL!, proxy) : DATABASE_URL!;
  const server = await spawnServer({ DATABASE_URL: url, TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_GATEWAY_TOKEN: GATEWAY });
  const direct = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 1, backoff: () => 0.02 });
  try {
    const { keyId, credential } = await keyOn(server.url);
    const statuses = new Map<string, number>();
    const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    let stop = false;
    let backAt = 0;
    let first202 = 0;
    let first200 = 0;
    const post = async (path: string, body: unknown) => {
      try {
        const res = await fetch(server.url + path, {
          method: "POST",
          headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await res.text();
        return res.status;
      } catch {
        return 0;
      }
    };
    const writer = async (w: number) => {
      for (let i = 0; !stop; ) {
        const requestId = `outage-${keyId}-${w}-${i}`;
        sent.add(requestId);
        const status = await post("/v1/gateway/usage", { keyId, requestId, model: "openai/gpt-5", costUsd: 0.01 });
        count(`usage ${status || "network error"}`);
        if (status === 202) {
          acknowledged.add(requestId);
          if (backAt && !first202) first202 = performance.now();
          i++;
        } else await sleep(20); // retry the same requestId
      }
    };
    const authorizer = async () => {
      while (!stop) {
        const status = await post("/v1/gateway/authorize", { credential, model: "openai/gpt-5" });
        count(`authorize ${status || "network error"}`);
        if (status === 200 && backAt && !first200) first200 = performance.now();
        if (status !== 200) await sleep(20);
      }
    };
    const load = [...Array.from({ length: Number(args.writers) }, (_, w) => writer(w)), authorizer()];
    await sleep(2000);

    if (proxy) {
      console.log(`cutting Postgres (TCP proxy) for ${args.down} s`);
      proxy.cut();
      await sleep(Number(args.down) * 1000);
      proxy.restore();
      backAt = performance.now();
    } else {
      console.log(`running: ${args.restart}`);
      execSync(args.restart!, { stdio: "inherit" });
      // Postgres is back when a fresh connection answers.
      for (;;) {
        try {
          await direct`select 1`;
          break;
        } catch {
          await sleep(20);
        }
      }
      backAt = performance.now();
    }
    for (let i = 0; i < 300 && !(first202 && first200); i++) await sleep(50);
    await sleep(1000);
    stop = true;
    await Promise.all(load);

    await sleep(500);
    const rows = await direct<{ request_id: string }[]>`select request_id from usage_events where key_id = ${keyId}`;
    const recorded = new Set(rows.map((r) => r.request_id));
    const lost = [...acknowledged].filter((id) => !recorded.has(id));
    const invented = [...recorded].filter((id) => !sent.has(id));

    const ms = (t: number) => (t ? `${Math.round(t - backAt)} ms` : "never");
    console.log(`answers: ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(", ")}`);
    console.log(`Postgres accepting again → first usage 202 after ${ms(first202)}, first authorize 200 after ${ms(first200)}`);
    console.log(`usage: ${acknowledged.size} acknowledged, ${recorded.size} recorded, ${lost.length} lost, ${invented.length} invented`);
    const fivehundreds = [...statuses].filter(([k]) => / 5\d\d$/.test(k) && !k.endsWith(" 503"));
    const ok = fivehundreds.length === 0 && lost.length === 0 && invented.length === 0 && first202 > 0 && first202 - backAt < 1000 && first200 > 0 && first200 - backAt < 1000;
    console.log(ok ? "OK" : "FAILED");
    if (!ok) process.exitCode = 1;
  } finally {
    await direct.end({ timeout: 1 });
    server.child.kill("SIGTERM");
    await server.exited;
    await proxy?.close();
  }
}

function hostPort(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return { host: u.hostname, port: Number(u.port || 5432) };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
