import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import type { Db } from "../db/client.js";
import { systemClock } from "../lib/clock.js";
import type { Keyring } from "../lib/keyring.js";
import type { Subject } from "../quotas/state.js";
import { loadPublicKeys, OIDC_ALG, signingKey, TOKEN_TTL_MS } from "./keys.js";

export const ENVIRONMENTS = ["development", "preview", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The claims of a Tollgate project token, beyond the registered ones. */
export type ProjectClaims = {
  owner: string;
  owner_id: string;
  project: string;
  project_id: string;
  environment: Environment;
  /**
   * The member who minted it and their membership's `token_epoch` then: authorize refuses the token
   * once the membership ends or its epoch changes (a demotion). Absent for a token minted by a
   * trusted external identity (its role comes from configuration).
   */
  minted_by?: string;
  minted_by_epoch?: string;
};

export const audienceOf = (issuer: string, teamSlug: string) => `${issuer}/${teamSlug}`;
export const subjectOf = (c: Pick<ProjectClaims, "owner" | "project" | "environment">) =>
  `owner:${c.owner}:project:${c.project}:environment:${c.environment}`;

/** Signs a project token valid 12 h: `{ token, expiresAt }` (ms) and its `jti` (for the audit log). */
export async function mintProjectToken(
  deps: { db: Db; keyring: Keyring | null; issuer: string; keyMaxAgeMs: number },
  claims: ProjectClaims,
  now: number,
): Promise<{ token: string; expiresAt: number; jti: string; kid: string }> {
  const key = await signingKey(deps.db, deps.keyring, now, deps.keyMaxAgeMs);
  const iat = Math.floor(now / 1000);
  const exp = iat + TOKEN_TTL_MS / 1000;
  const jti = randomUUID();
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: OIDC_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(deps.issuer)
    .setAudience(audienceOf(deps.issuer, claims.owner))
    .setSubject(subjectOf(claims))
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key.key);
  return { token, expiresAt: exp * 1000, jti, kid: key.kid };
}

/** A verified project token: whose spend it is (no key, no user) and until when it holds. */
export type VerifiedToken = Subject & {
  keyId: null;
  projectId: string;
  userId: null;
  environment: Environment;
  /** The signing key's id: a revoked key's tokens do not authorize. */
  kid: string;
  /** The member who minted it, and their membership's epoch then; null for an external identity's token. */
  mintedBy: { userId: string; epoch: string } | null;
  nbfMs: number;
  expMs: number;
  /** The start of authorize's answer, `{"teamId":…,"projectId":…,"keyId":null` (see v1_gateway_authorize.ts). */
  piece: string;
};

const MAX_CACHED = 50_000;
/** An unknown `kid` reloads the public keys at most this often (a rotation on another instance). */
const MIN_RELOAD_MS = 500;
/** Clock skew allowed between instances for `nbf` and `exp`. */
const CLOCK_TOLERANCE_S = 5;
/** Usage of a request admitted before its token expired is recorded this long after `exp`. */
export const USAGE_GRACE_MS = 60 * 60 * 1000;

const isEnvironment = (v: unknown): v is Environment => typeof v === "string" && (ENVIRONMENTS as readonly string[]).includes(v);

/**
 * Verifies Tollgate's own project tokens for the data plane: ES256 only, `iss` this instance's
 * public URL, `aud` `<iss>/<owner>`, `sub` consistent with the claims, `nbf` and `exp`. Keys come
 * from the database (public halves only: no encryption key needed) and are reloaded when a token
 * names an unknown `kid` (another instance rotated). A verified token is cached until it expires,
 * so a warm authorize verifies nothing: it is a map lookup. Whether the project still exists, the
 * signing key is not revoked and the minting member still holds the membership it was minted
 * under are the caller's checks (they change; the signature does not). Revoked keys still verify
 * here: usage of a request admitted before the revocation still counts.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, VerifiedToken>();
  private keys: Map<string, CryptoKey> | undefined;
  private reloading: Promise<void> | undefined;
  private lastReload = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly issuer: string,
  ) {}

  /** The token's subject if it is valid at `now`; synchronous on a cache hit. */
  verify(token: string, now: number): VerifiedToken | undefined | Promise<VerifiedToken | undefined> {
    const hit = this.cache.get(token);
    if (hit !== undefined) {
      if (now < hit.expMs) return now >= hit.nbfMs ? hit : undefined;
      this.cache.delete(token); // expired: refused without verifying again
      return undefined;
    }
    return this.verifyFully(token, now, 0);
  }

  /** For usage: the same, but a token that expired less than `USAGE_GRACE_MS` ago still counts. */
  verifyForUsage(token: string, now: number): VerifiedToken | undefined | Promise<VerifiedToken | undefined> {
    const hit = this.cache.get(token);
    if (hit !== undefined && now < hit.expMs + USAGE_GRACE_MS) return now >= hit.nbfMs ? hit : undefined;
    return this.verifyFully(token, now, USAGE_GRACE_MS / 1000);
  }

  private async verifyFully(token: string, now: number, graceS: number): Promise<VerifiedToken | undefined> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== OIDC_ALG || typeof header.kid !== "string") return undefined;
      kid = header.kid;
    } catch {
      return undefined;
    }
    let key = this.keys?.get(kid);
    if (!key) {
      await this.reload(now);
      key = this.keys?.get(kid);
      if (!key) return undefined;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [OIDC_ALG],
        issuer: this.issuer,
        currentDate: new Date(now),
        clockTolerance: CLOCK_TOLERANCE_S + graceS,
        requiredClaims: ["iss", "aud", "sub", "iat", "nbf", "exp", "jti"],
      }));
    } catch {
      return undefined;
    }
    const { owner, owner_id, project, project_id, environment, minted_by, minted_by_epoch, aud, sub, nbf, exp } = payload as JWTPayload &
      Partial<ProjectClaims>;
    if (
      (minted_by !== undefined || minted_by_epoch !== undefined) &&
      (typeof minted_by !== "string" || typeof minted_by_epoch !== "string")
    ) {
      return undefined;
    }
    if (
      typeof owner !== "string" ||
      typeof owner_id !== "string" ||
      typeof project !== "string" ||
      typeof project_id !== "string" ||
      !isEnvironment(environment) ||
      aud !== audienceOf(this.issuer, owner) ||
      sub !== subjectOf({ owner, project, environment })
    ) {
      return undefined;
    }
    const v: VerifiedToken = {
      teamId: owner_id,
      projectId: project_id,
      keyId: null,
      userId: null,
      environment,
      kid,
      mintedBy: minted_by === undefined ? null : { userId: minted_by, epoch: minted_by_epoch! },
      nbfMs: nbf! * 1000 - CLOCK_TOLERANCE_S * 1000,
      expMs: exp! * 1000 + CLOCK_TOLERANCE_S * 1000,
      piece: JSON.stringify({ teamId: owner_id, projectId: project_id, keyId: null }).slice(0, -1),
    };
    if (now < v.expMs) {
      if (this.cache.size >= MAX_CACHED) this.evict(now);
      this.cache.set(token, v);
    }
    return now >= v.nbfMs ? v : undefined; // the usage grace widened the tolerance for `exp` only
  }

  /** Drops expired entries; when none had expired, the oldest tenth. */
  private evict(now: number): void {
    for (const [t, v] of this.cache) if (now >= v.expMs) this.cache.delete(t);
    if (this.cache.size < MAX_CACHED) return;
    let n = Math.ceil(MAX_CACHED / 10);
    for (const t of this.cache.keys()) {
      if (n-- <= 0) break;
      this.cache.delete(t);
    }
  }

  /**
   * Reloads the public keys verifiable at `now` (the caller's clock); concurrent callers share one
   * load, and loads are at least MIN_RELOAD_MS of real time apart (a wait, so the system clock).
   */
  private reload(now: number): Promise<void> {
    this.reloading ??= (async () => {
      const wait = this.lastReload + MIN_RELOAD_MS - systemClock.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        this.keys = await loadPublicKeys(this.db, now);
      } finally {
        this.lastReload = systemClock.now();
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }
}
