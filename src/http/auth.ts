import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { memberships, teams, tokens, users, type Role } from "../db/schema.js";
import { hasValidChecksum, secretMatcher, sha256Hex } from "../lib/secrets.js";
import type { AppEnv, Deps, MemberPrincipal, Principal, UserPrincipal } from "./context.js";
import { ApiError, badRequest, forbidden, unauthorized } from "./errors.js";

/** Coarse `activeAt` for tokens: written at most once a minute per token. */
const ACTIVE_AT_GRANULARITY_MS = 60_000;

/** The token of an `Authorization: Bearer <token>` header; null when absent, "" when malformed. */
export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : "";
}

const ADMIN: Principal = { kind: "admin", id: "admin" };
const GATEWAY: Principal = { kind: "gateway", id: "gateway" };

/**
 * Resolves a request's `Authorization` header to a principal: the instance admin token, the
 * gateway service token, or a personal access token (`tgp_…`, looked up by SHA-256 digest).
 * Anything else is a 401. The configured tokens are answered without a promise (the gateway's data
 * plane calls this on every request); only a personal token needs the database.
 */
export function principalResolver(
  deps: Pick<Deps, "config" | "db" | "clock">,
  opts: {
    /** Trusted external issuers' JWTs (a three-part bearer token), when any are configured. */
    external?: (jwt: string) => Promise<Principal>;
  } = {},
): (authorization: string | undefined, path?: string) => Principal | Promise<Principal> {
  const isAdmin = secretMatcher(deps.config.adminToken);
  const isGateway = secretMatcher(deps.config.gatewayToken);
  return (authorization, path) => {
    const secret = bearer(authorization);
    if (secret === null) throw unauthorized("Missing bearer token: send `Authorization: Bearer <token>`.");
    if (secret === "") throw unauthorized("Malformed Authorization header: expected `Bearer <token>`.");
    if (secret.startsWith("tgp_")) return personalToken(deps, secret);
    if (isAdmin(secret)) return ADMIN;
    if (isGateway(secret)) return GATEWAY;
    if (opts.external && looksLikeJwt(secret)) return opts.external(secret);
    throw notConfigured(deps.config, path) ?? invalidToken();
  };
}

export const invalidToken = () => unauthorized("Invalid or expired token.");

/** A compact JWS: three base64url parts separated by dots (the first one, a JSON header, starts `eyJ`). */
export function looksLikeJwt(s: string): boolean {
  const first = s.indexOf(".");
  return s.startsWith("eyJ") && first > 0 && s.indexOf(".", first + 1) > first && s.split(".").length === 3;
}
/**
 * For a token that matched nothing on a route whose service token is not configured: a 401 that
 * says the feature is off and how to turn it on, rather than "invalid token".
 */
export function notConfigured(config: Pick<Deps["config"], "adminToken" | "gatewayToken">, path: string | undefined): ApiError | null {
  if (path === undefined) return null;
  if (!config.adminToken && path.startsWith("/v1/admin/")) {
    return unauthorized("The admin API is off: this instance was started without TOLLGATE_ADMIN_TOKEN. Set it (16+ characters) and restart to call /v1/admin/*.");
  }
  if (!config.gatewayToken && path.startsWith("/v1/gateway/")) {
    return unauthorized("The gateway API is off: this instance was started without TOLLGATE_GATEWAY_TOKEN. Set it (16+ characters) and restart to call /v1/gateway/*.");
  }
  return null;
}


async function personalToken({ db, clock }: Pick<Deps, "db" | "clock">, secret: string): Promise<Principal> {
  if (!hasValidChecksum(secret, "tgp")) throw invalidToken();
  const [row] = await db
    .select({ token: tokens, user: users })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(eq(tokens.digest, sha256Hex(secret)))
    .limit(1);
  const now = clock.now();
  if (!row || (row.token.expiresAt !== null && row.token.expiresAt <= now)) throw invalidToken();
  if (now - row.token.activeAt > ACTIVE_AT_GRANULARITY_MS) {
    await db.update(tokens).set({ activeAt: now }).where(eq(tokens.id, row.token.id));
  }
  return {
    kind: "user",
    id: row.token.id,
    user: { id: row.user.id, email: row.user.email, name: row.user.name },
    token: { id: row.token.id, teamId: row.token.teamId, expiresAt: row.token.expiresAt },
  };
}

export function requireUser(c: Context<AppEnv>): UserPrincipal {
  const p = c.get("principal");
  if (p.kind !== "user") {
    throw forbidden(
      p.kind === "admin"
        ? "The admin token only calls /v1/admin endpoints; use a personal access token."
        : p.kind === "external"
          ? "An external OIDC identity only calls its team's endpoints; this one needs a personal access token."
          : "The gateway service token only calls /v1/gateway endpoints.",
    );
  }
  return p;
}

/** A user, or a trusted external identity (which acts on its one team with its configured role). */
export function requireMember(c: Context<AppEnv>): MemberPrincipal {
  const p = c.get("principal");
  return p.kind === "external" ? p : requireUser(c);
}

/** The id recorded as a resource's creator (`createdBy`): the user's id, or `ext:<issuer>#<subject>`. */
export function creatorId(p: MemberPrincipal): string {
  return p.kind === "user" ? p.user.id : p.id;
}

export function requireAdmin(c: Context<AppEnv>): void {
  if (c.get("principal").kind !== "admin") {
    throw forbidden(
      c.get("deps").config.adminToken
        ? "This endpoint needs the instance admin token."
        : "This endpoint needs the instance admin token, and this instance was started without TOLLGATE_ADMIN_TOKEN: set it (16+ characters) and restart.",
    );
  }
}

export function requireGateway(principal: Principal): void {
  if (principal.kind !== "gateway") throw forbidden("This endpoint needs the gateway service token.");
}

/** What a role may do: DEVELOPER reads; MEMBER manages keys, budgets, rules, BYOK; OWNER everything. */
export type Permission = "read" | "write" | "owner";

export function roleAllows(role: Role, need: Permission): boolean {
  if (need === "read") return true;
  if (need === "write") return role === "OWNER" || role === "MEMBER";
  return role === "OWNER";
}

export type TeamScope = { team: { id: string; slug: string; name: string }; role: Role; principal: MemberPrincipal };

/**
 * Resolves `?teamId=` / `?slug=` for a team endpoint. Either may be omitted only when the token
 * is scoped to exactly one team. A team the caller is not a member of (or that does not exist)
 * is 403, so team existence does not leak.
 */
export async function resolveTeamScope(
  c: Context<AppEnv>,
  q: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<TeamScope> {
  const principal = requireMember(c);
  if (principal.kind === "external") return externalTeamScope(c, principal, q, need);
  const tokenTeam = principal.token.teamId;
  let where;
  if (q.teamId) where = eq(teams.id, q.teamId);
  else if (q.slug) where = eq(teams.slug, q.slug);
  else if (tokenTeam) where = eq(teams.id, tokenTeam);
  else throw badRequest("Pass ?teamId= or ?slug=: this token is not scoped to one team.", [
    { path: "teamId", message: "required unless the token is scoped to one team" },
  ]);

  const { db } = c.get("deps");
  const [row] = await db
    .select({ team: teams, role: memberships.role })
    .from(teams)
    .innerJoin(memberships, and(eq(memberships.teamId, teams.id), eq(memberships.userId, principal.user.id)))
    .where(where)
    .limit(1);
  if (!row || (tokenTeam && row.team.id !== tokenTeam)) {
    throw forbidden("You are not a member of this team, or this token is scoped to another team.");
  }
  if (!roleAllows(row.role, need)) throw roleError(row.role, need);
  return { team: { id: row.team.id, slug: row.team.slug, name: row.team.name }, role: row.role, principal };
}

/** An external identity's team: the one its issuer's configuration maps it to, with that role. */
async function externalTeamScope(
  c: Context<AppEnv>,
  principal: Extract<MemberPrincipal, { kind: "external" }>,
  q: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<TeamScope> {
  const [team] = await c.get("deps").db.select().from(teams).where(eq(teams.id, principal.teamId)).limit(1);
  if (!team || (q.teamId && q.teamId !== team.id) || (q.slug && q.slug !== team.slug)) {
    throw forbidden("This external identity is mapped to another team.");
  }
  if (!roleAllows(principal.role, need)) throw roleError(principal.role, need);
  return { team: { id: team.id, slug: team.slug, name: team.name }, role: principal.role, principal };
}

export function roleError(role: Role, need: Permission): ApiError {
  return forbidden(
    need === "owner"
      ? `Only a team OWNER can do this (your role: ${role}).`
      : `Your role ${role} is read-only for this resource.`,
  );
}

/**
 * For a resource addressed by id: the caller's role in the resource's team, or null when the
 * caller cannot see that team (the route then answers 404, never leaking the resource).
 */
export async function roleInTeam(
  c: Context<AppEnv>,
  teamId: string,
  named: { teamId?: string | undefined; slug?: string | undefined } = {},
): Promise<Role | null> {
  const principal = requireMember(c);
  // `?teamId=` or `?slug=` naming another team than the resource's: as if it did not exist.
  if (named.teamId !== undefined && named.teamId !== teamId) return null;
  if (principal.kind === "external") {
    if (principal.teamId !== teamId) return null;
    if (named.slug !== undefined) {
      const [t] = await c.get("deps").db.select({ slug: teams.slug }).from(teams).where(eq(teams.id, teamId)).limit(1);
      if (t?.slug !== named.slug) return null;
    }
    return principal.role;
  }
  if (principal.token.teamId && principal.token.teamId !== teamId) return null;
  const { db } = c.get("deps");
  const [m] = await db
    .select({ role: memberships.role, slug: teams.slug })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, principal.user.id)))
    .limit(1);
  if (m && named.slug !== undefined && named.slug !== m.slug) return null;
  return m?.role ?? null;
}
