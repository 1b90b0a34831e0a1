import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { createApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { startGatewayState } from "../../src/gateway/state.js";
import { createLogger } from "../../src/lib/logger.js";
import { systemClock } from "../../src/lib/clock.js";
import { apiKeys, auditEvents } from "../../src/db/schema.js";
import type { App } from "../../src/http/context.js";
import type { Clock } from "../../src/lib/clock.js";
import { generateSecret } from "../../src/lib/secrets.js";
import { call, getHarness } from "../helpers/harness.js";

export const COMPROMISED = "/external/compromised_secret";
export const GITHUB = "/external/github/secret-scanning";

/**
 * A fresh app on the shared database. Each has its own rate limiter, and trusts `X-Forwarded-For`
 * by default so every test can report from addresses of its own (see `newIp`).
 */
export async function leakApp(config: Partial<Config> = {}, clock?: Clock): Promise<App> {
  return (await getHarness()).makeApp({ config: { trustProxy: true, ...config }, ...(clock ? { clock } : {}) });
}

/**
 * Another Tollgate instance on the same database: its own gateway cache, kept current only by the
 * database's change notifications (as a second server process would be). Close it when done.
 */
export async function otherInstance(): Promise<{ app: App; close(): Promise<void> }> {
  const h = await getHarness();
  const gateway = await startGatewayState(h.database);
  const app = createApp({ db: h.database.db, config: h.config, clock: systemClock, log: createLogger("silent"), gateway: gateway.state, keyring: h.keyring });
  return { app, close: gateway.close };
}

/** Repeats `send` until it answers `status` (a notification from another instance takes a moment), at most ~3 s. */
export async function untilStatus(send: () => Promise<{ status: number }>, status: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 60; i++) {
    last = (await send()).status;
    if (last === status) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

/** A random documentation-range IPv4 address: a rate-limit bucket of its own. */
export function newIp(): string {
  const b = randomBytes(2);
  return `198.51.${b[0]}.${b[1]}`;
}

export function report(app: App, apiKey: unknown, ip = newIp()) {
  return call("POST", COMPROMISED, { app, body: { secret: { api_key: apiKey } }, headers: { "x-forwarded-for": ip } });
}

/** A string with a valid `tgk_` checksum that no key in the database has. */
export const unknownKey = () => generateSecret("tgk");

/** A `tgk_`-shaped string whose checksum is wrong (last character changed). */
export function badChecksum(key = generateSecret("tgk")): string {
  const last = key.at(-1) === "A" ? "B" : "A";
  return key.slice(0, -1) + last;
}

export async function keyRow(id: string) {
  const { db } = (await getHarness()).database;
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) throw new Error(`no api_keys row ${id}`);
  return row;
}

export async function leakEvents(keyId: string) {
  const { db } = (await getHarness()).database;
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, keyId), eq(auditEvents.action, "api_key.leak")));
}

// --- GitHub secret scanning -------------------------------------------------------------------

export type GithubSigner = { keyIdentifier: string; pem: string; privateKey: KeyObject };

/** A locally generated P-256 key pair standing in for one of GitHub's signing keys. */
export function githubSigner(keyIdentifier = randomBytes(32).toString("hex")): GithubSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { keyIdentifier, pem: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
}

export const githubKeysConfig = (...signers: GithubSigner[]): Partial<Config> => ({
  githubSecretScanningKeys: signers.map((s) => ({ keyIdentifier: s.keyIdentifier, key: s.pem })),
});

export function signRaw(raw: string, signer: GithubSigner): string {
  return sign("sha256", Buffer.from(raw, "utf8"), { key: signer.privateKey, dsaEncoding: "der" }).toString("base64");
}

export type Match = { token: string; type: string; url?: string; source?: string };

export const match = (token: string, url = `https://github.com/octo/repo/blob/${randomBytes(4).toString("hex")}/.env`): Match => ({
  token,
  type: "tollgate_api_key",
  url,
  source: "content",
});

/** POSTs `raw` (or `matches` serialized) signed by `signer`; `headers` override the signature headers. */
export function githubCall(
  app: App,
  body: Match[] | string,
  signer: GithubSigner | null,
  headers: Record<string, string> = {},
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const sig: Record<string, string> = signer
    ? { "github-public-key-identifier": signer.keyIdentifier, "github-public-key-signature": signRaw(raw, signer) }
    : {};
  return call("POST", GITHUB, { app, raw, headers: { "content-type": "application/json", ...sig, ...headers } });
}
