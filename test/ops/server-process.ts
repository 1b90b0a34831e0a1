import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";

export const ADMIN = "ops-test-admin-token-0123456789";
export const GATEWAY = "ops-test-gateway-token-0123456789";

export type ServerProcess = {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
};

export const freshDataDir = () => mkdtempSync(join(tmpdir(), "tollgate-ops-"));

/**
 * Starts Tollgate as `npm start` runs it (src/main.ts, through test/ops/serve.ts; or `command` given) on a
 * random port; resolves once it logs "listening" (or rejects with its output if it exits first).
 */
export function startServer(env: Record<string, string>, command: string[] = [process.execPath, "--import", "tsx", "test/ops/serve.ts"]): Promise<ServerProcess> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: new URL("../..", import.meta.url).pathname,
    // Tests' servers share the tests' Postgres: they send no webhooks of other tests' teams unless asked.
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", TOLLGATE_LOG_LEVEL: "info", TOLLGATE_WEBHOOKS_DELIVER: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /"msg":"listening","url":"(http:\/\/localhost:\d+)"/.exec(out);
      if (m) {
        child.stdout!.off("data", onData);
        resolve({ child, url: m[1]!.replace("localhost", "127.0.0.1"), stdout: () => out, stderr: () => err, exited });
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

/** Runs Tollgate expecting it to exit (refusing to start): its exit code and output. */
export async function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/ops/serve.ts"], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { ...process.env, HOST: "127.0.0.1", TOLLGATE_LOG_LEVEL: "info", TOLLGATE_WEBHOOKS_DELIVER: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export async function api(url: string, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A team and a gateway key with a budget, made through the server's API. */
export async function keyOn(url: string): Promise<{ keyId: string; credential: string; owner: string }> {
  const tag = Math.random().toString(36).slice(2, 10);
  const { bearerToken } = await api(url, "POST", "/v1/admin/users", ADMIN, { email: `ops-${tag}@example.test` });
  const { team } = await api(url, "POST", "/v1/teams", bearerToken, { slug: `ops-${tag}`, name: "Ops" });
  const key = await api(url, "POST", `/v1/api-keys?teamId=${team.id}`, bearerToken, {
    purpose: "ai-gateway",
    name: "ops",
    aiGatewayQuota: { limitAmount: 100000, refreshPeriod: "monthly" },
  });
  return { keyId: key.apiKey.id, credential: key.apiKeyString, owner: bearerToken };
}

export type LoadResult = { acknowledged: Set<string>; sent: Set<string>; refused: number; failures: string[] };

/**
 * `writers` concurrent usage writers on keep-alive connections (node:http) until `stopWhen()` or
 * the server refuses connections. Connection refused is the server having stopped accepting
 * (expected once it drains); any other network error (a reset, a socket closed mid-request) is a
 * failure.
 */
export async function usageLoad(url: string, keyId: string, writers: number, stopWhen: () => boolean): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: new Set(), sent: new Set(), refused: 0, failures: [] };
  const agent = new http.Agent({ keepAlive: true });
  const u = new URL(url);
  const post = (requestId: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        { agent, host: u.hostname, port: u.port, path: "/v1/gateway/usage", method: "POST", headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
          res.on("error", reject);
        },
      );
      req.on("error", (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reused: req.reusedSocket })));
      req.end(JSON.stringify({ keyId, requestId, model: "openai/gpt-5", costUsd: 0.01 }));
    });
  const writer = async (w: number) => {
    for (let i = 0; !stopWhen(); i++) {
      const requestId = `ops-${keyId}-${w}-${i}`;
      result.sent.add(requestId);
      try {
        const status = await post(requestId);
        if (status === 202) result.acknowledged.add(requestId);
        else result.failures.push(`status ${status}`);
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { reused?: boolean };
        if (e.code === "ECONNREFUSED") result.refused++;
        else result.failures.push(`${e.code} (socket reused: ${e.reused}) ${e.message}`);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  agent.destroy();
  return result;
}

/** The request ids recorded for a key, read straight from the database the server used. */
export async function recordedIds(keyId: string, where: { databaseUrl?: string; dataDir?: string }): Promise<Set<string>> {
  if (where.databaseUrl) {
    const sql = postgres(where.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ request_id: string }[]>`select request_id from usage_events where key_id = ${keyId}`;
      return new Set(rows.map((r) => r.request_id));
    } finally {
      await sql.end();
    }
  }
  const db = await PGlite.create(where.dataDir!);
  try {
    const { rows } = await db.query<{ request_id: string }>("select request_id from usage_events where key_id = $1", [keyId]);
    return new Set(rows.map((r) => r.request_id));
  } finally {
    await db.close();
  }
}
