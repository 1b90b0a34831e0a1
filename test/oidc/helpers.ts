import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { desc, isNull } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { oidcSigningKeys } from "../../src/db/schema.js";
import type { Config } from "../../src/config.js";
import type { App } from "../../src/http/context.js";
import type { TrustedIssuer } from "../../src/oidc/trusted-config.js";
import { ASYMMETRIC_ALGS } from "../../src/oidc/trusted-config.js";
import { bindTrustedIssuers } from "../../src/oidc/external.js";
import type { TeamFx } from "../helpers/fixtures.js";
import postgres from "postgres";
import { createApp } from "../../src/app.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { startGatewayState } from "../../src/gateway/state.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { call, getHarness, uniq } from "../helpers/harness.js";

/** Mints a project token through the API. */
export async function mintFx(team: TeamFx, projectId: string, environment?: string, token = team.owner.token, app?: App) {
  const r = await call("POST", `/v1/projects/${projectId}/oidc-token?teamId=${team.id}`, { token, app, body: environment ? { environment } : {} });
  if (r.status !== 201) throw new Error(`mint: ${r.status} ${r.text}`);
  return r.body as { token: string; expiresAt: number };
}

/** Tollgate's current signing key, read back from the database as an attacker with the key could use it. */
export async function currentSigningKey(): Promise<{ kid: string; key: CryptoKey; publicJwk: JWK }> {
  const h = await getHarness();
  const [row] = await h.database.db
    .select()
    .from(oidcSigningKeys)
    .where(isNull(oidcSigningKeys.retiredAt))
    .orderBy(desc(oidcSigningKeys.createdAt))
    .limit(1);
  if (!row) throw new Error("no signing key");
  const jwk = JSON.parse(h.keyring.open(row.privateJwkSealed, `oidc:${row.kid}`)) as JWK;
  return { kid: row.kid, key: (await importJWK(jwk, "ES256")) as CryptoKey, publicJwk: row.publicJwk as JWK };
}

/** Decodes a JWT's payload (no verification). */
export const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as JWTPayload & Record<string, unknown>;
export const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;

/** Re-signs a token's claims (changed by `edit`) with `key`, as `kid`. */
export async function resign(jwt: string, key: CryptoKey | Uint8Array, header: { alg: string; kid?: string }, edit: (p: Record<string, unknown>) => void = () => {}) {
  const p = payloadOf(jwt);
  edit(p);
  return new SignJWT(p).setProtectedHeader(header).sign(key);
}

/**
 * A local OIDC issuer: an HTTP server on 127.0.0.1 serving a discovery document and a JWKS, and a
 * signer for its tokens. `rotate()` switches to a new key (published alongside the old one).
 */
export async function localIssuer() {
  let keys: { kid: string; privateKey: CryptoKey; jwk: JWK }[] = [];
  const addKey = async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = `k${keys.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
    keys.push({ kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } });
    return kid;
  };
  await addKey();
  let jwksHits = 0;
  let discoveryHits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === "/.well-known/openid-configuration") {
      discoveryHits++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === "/keys") {
      jwksHits++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    get jwksHits() {
      return jwksHits;
    },
    get discoveryHits() {
      return discoveryHits;
    },
    rotate: addKey,
    /** A token of this issuer, signed with its newest key unless told otherwise. */
    sign(claims: JWTPayload & Record<string, unknown> = {}, opts: { kid?: string; aud?: string; sub?: string; exp?: number | string; iss?: string } = {}) {
      const k = keys.find((x) => x.kid === opts.kid) ?? keys[keys.length - 1]!;
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? k.kid })
        .setIssuer(opts.iss ?? issuer)
        .setAudience(opts.aud ?? "tollgate")
        .setSubject(opts.sub ?? "repo:acme/app:ref:refs/heads/main")
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? "5m")
        .sign(k.privateKey);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A trusted-issuer mapping for `team` (role MEMBER, subject `repo:acme/app:*`). */
export function mapping(issuer: string, team: TeamFx, over: Partial<TrustedIssuer> = {}): TrustedIssuer {
  return { issuer, audience: "tollgate", jwksUrl: null, subject: "repo:acme/app:*", team: team.slug, role: "MEMBER", algorithms: [...ASYMMETRIC_ALGS], ...over };
}

/** An app on the shared database that trusts the given issuers, bound to their teams' ids as at a server's start. */
export async function appTrusting(issuers: TrustedIssuer[], config: Partial<Config> = {}): Promise<App> {
  const h = await getHarness();
  return h.makeApp({ config: { trustedIssuers: await bindTrustedIssuers(h.database.db, issuers), ...config } });
}

/** Another instance: its own gateway cache (kept current by change notifications) and token verifier. */
export type Instance = { app: App; close(): Promise<void> };

/**
 * Another instance on `database` (default: the harness's), with the harness's configuration and
 * keyring. On Postgres it has its own pool and listening connection, as a second server would; on
 * PGlite it shares the in-process database, with its own cache and listener.
 */
export async function startInstance(database?: Database): Promise<Instance> {
  const h = await getHarness();
  const url = process.env.DATABASE_URL;
  const own = database ?? (url ? await openDatabase({ databaseUrl: url, poolSize: 3, applicationName: uniq("tollgate-oidc") }) : h.database);
  const gw = await startGatewayState(own);
  const app = createApp({ db: own.db, config: h.config, clock: systemClock, log: createLogger("silent"), gateway: gw.state, keyring: h.keyring });
  return {
    app,
    close: async () => {
      await gw.close();
      if (database === undefined && own !== h.database) await own.close();
    },
  };
}

/**
 * A migrated database of its own, for a test whose effect is instance-wide (revoking every signing
 * key would break the tokens of tests running meanwhile): a fresh database on DATABASE_URL's
 * server, or a fresh in-memory PGlite. `another()` connects a second time (on Postgres a pool of
 * its own, as another server would; PGlite is one in-process database); `close()` closes every
 * connection and drops the database.
 */
export async function isolatedDatabase(): Promise<{ database: Database; another(): Promise<Database>; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: "memory://" });
    await database.migrate();
    return { database, another: async () => database, close: () => database.close() };
  }
  const name = uniq("tollgate_oidc").replace(/-/g, "_");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  const opened = [await openDatabase({ databaseUrl: own.toString(), poolSize: 3, applicationName: uniq("tollgate-oidc") })];
  await opened[0]!.migrate();
  return {
    database: opened[0]!,
    another: async () => {
      const d = await openDatabase({ databaseUrl: own.toString(), poolSize: 3, applicationName: uniq("tollgate-oidc") });
      opened.push(d);
      return d;
    },
    close: async () => {
      await Promise.all(opened.map((d) => d.close()));
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
