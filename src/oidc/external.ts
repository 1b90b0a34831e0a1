import { eq, inArray, or } from "drizzle-orm";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import type { Db } from "../db/client.js";
import { teams } from "../db/schema.js";
import { invalidToken } from "../http/auth.js";
import type { ExternalPrincipal } from "../http/context.js";
import type { Logger } from "../lib/logger.js";
import { subjectMatcher, type TrustedIssuer } from "./trusted-config.js";

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;
type Mapping = TrustedIssuer & { teamId: string; match: RegExp };

/** A mapping of `TOLLGATE_TRUSTED_ISSUERS` names a team that does not exist: the server does not start. */
export class UnboundTrustedIssuerError extends Error {}

/**
 * Resolves each mapping's `team` (an id or a slug) to the team's id, once, at start: a mapping
 * then acts on that team only, whatever team later claims the slug. A mapping naming a team that
 * does not exist (yet) is refused (`UnboundTrustedIssuerError`, naming the entry), rather than
 * left to bind to whoever creates a team with that slug later.
 */
export async function bindTrustedIssuers(db: Db, issuers: TrustedIssuer[]): Promise<(TrustedIssuer & { teamId: string })[]> {
  if (issuers.length === 0) return [];
  const named = [...new Set(issuers.map((i) => i.team))];
  const rows = await db
    .select({ id: teams.id, slug: teams.slug })
    .from(teams)
    .where(or(inArray(teams.id, named), inArray(teams.slug, named)));
  return issuers.map((i, n) => {
    const team = i.team.startsWith("team_") ? rows.find((r) => r.id === i.team) : rows.find((r) => r.slug === i.team);
    if (!team) {
      throw new UnboundTrustedIssuerError(
        `TOLLGATE_TRUSTED_ISSUERS: entry ${n + 1}: the team "${i.team}" does not exist. Mappings are bound to teams when the server starts: create the team first (or fix the entry), then restart.`,
      );
    }
    return { ...i, teamId: team.id };
  });
}

/** Discovery documents and JWKS are fetched with this timeout. */
const FETCH_TIMEOUT_MS = 5000;
/** An unknown `kid` refetches the issuer's JWKS at most this often (jose's cooldown; its default is 30 s). */
const JWKS_COOLDOWN_MS = 1000;
/** A failed discovery is retried at most this often. */
const DISCOVERY_RETRY_MS = 30_000;

/**
 * Authenticates trusted external issuers' JWTs (e.g. GitHub Actions' OIDC tokens) on the management
 * API. Each configured issuer's keys are a jose remote key set: fetched once, cached, and fetched
 * again when a token names an unknown `kid`. The JWKS URL is the configured one, or `jwks_uri` of
 * the issuer's discovery document. A token must verify (an asymmetric algorithm of the mapping,
 * `iss`, `exp`, `nbf`), carry the mapping's audience, and have a `sub` matching its pattern; the
 * first matching mapping gives the team and role. Anything else is the same 401, whatever the
 * reason (the reason goes to the log, at info, without the token).
 */
export class ExternalVerifier {
  private readonly byIssuer = new Map<string, Mapping[]>();
  private readonly keySets = new Map<string, Promise<RemoteKeys>>();

  constructor(
    private readonly db: Db,
    issuers: TrustedIssuer[],
    private readonly log: Logger,
  ) {
    for (const i of issuers) {
      // Never a slug looked up per request: a team created later with that slug would receive the mapping.
      if (i.teamId === undefined) throw new Error(`trusted issuer ${i.issuer}: mapping not bound to a team id (bindTrustedIssuers at start)`);
      const list = this.byIssuer.get(i.issuer) ?? [];
      list.push({ ...i, teamId: i.teamId, match: subjectMatcher(i.subject) });
      this.byIssuer.set(i.issuer, list);
    }
  }

  get configured(): boolean {
    return this.byIssuer.size > 0;
  }

  verify = async (jwt: string): Promise<ExternalPrincipal> => {
    let iss: string | undefined;
    try {
      iss = decodeJwt(jwt).iss;
    } catch {
      throw invalidToken();
    }
    const mappings = iss === undefined ? undefined : this.byIssuer.get(iss);
    if (!iss || !mappings) throw this.refuse("unknown issuer");
    let payload: JWTPayload;
    try {
      const keys = await this.keysOf(iss, mappings[0]!.jwksUrl);
      const algorithms = [...new Set(mappings.flatMap((m) => m.algorithms))];
      ({ payload } = await jwtVerify(jwt, keys, { issuer: iss, algorithms, requiredClaims: ["sub", "exp", "aud"] }));
    } catch (err) {
      throw this.refuse((err as { code?: string }).code ?? (err as Error).message, iss);
    }
    const sub = payload.sub!;
    const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const alg = decodeProtectedHeader(jwt).alg ?? "";
    const mapping = mappings.find((m) => auds.includes(m.audience) && m.match.test(sub) && m.algorithms.includes(alg));
    if (!mapping) throw this.refuse("no mapping matches the audience and subject", iss, sub);
    const [team] = await this.db.select({ id: teams.id }).from(teams).where(eq(teams.id, mapping.teamId)).limit(1);
    if (!team) throw this.refuse(`the mapped team "${mapping.team}" (${mapping.teamId}) no longer exists`, iss, sub);
    return { kind: "external", id: `ext:${iss}#${sub}`, issuer: iss, subject: sub, teamId: team.id, role: mapping.role };
  };

  private refuse(reason: string, issuer?: string, subject?: string) {
    this.log.info("external OIDC token refused", { reason, issuer, subject });
    return invalidToken();
  }

  /** The issuer's remote key set (discovering its JWKS URL when not configured). */
  private keysOf(issuer: string, jwksUrl: string | null): Promise<RemoteKeys> {
    let set = this.keySets.get(issuer);
    if (!set) {
      set = (async () => {
        const url = jwksUrl ?? (await discoverJwksUri(issuer));
        return createRemoteJWKSet(new URL(url), { timeoutDuration: FETCH_TIMEOUT_MS, cooldownDuration: JWKS_COOLDOWN_MS });
      })();
      this.keySets.set(issuer, set);
      set.catch(() => setTimeout(() => this.keySets.delete(issuer), DISCOVERY_RETRY_MS).unref());
    }
    return set;
  }
}

/** `jwks_uri` of the issuer's discovery document (whose `issuer` must be the issuer itself). */
export async function discoverJwksUri(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`discovery: HTTP ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (doc.issuer !== issuer) throw new Error("discovery: the document names another issuer");
  if (typeof doc.jwks_uri !== "string") throw new Error("discovery: no jwks_uri");
  return doc.jwks_uri;
}
