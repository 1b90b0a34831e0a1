/**
 * What the tests and scripts that run Tollgate in its own process (scripts/lib/spawn-server.ts)
 * do with it: the service tokens they start it with, a key made through its API, usage load, and
 * the rows it wrote read straight from its database.
 */
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";

export const ADMIN = "ops-test-admin-token-0123456789";
export const GATEWAY = "ops-test-gateway-token-0123456789";

export const freshDataDir = () => mkdtempSync(join(tmpdir(), "tollgate-ops-"));

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
