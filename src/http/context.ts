import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../config.js";
import type { Role } from "../db/schema.js";
import type { Db } from "../db/client.js";
import type { GatewayState } from "../gateway/state.js";
import type { Clock } from "../lib/clock.js";
import type { Keyring } from "../lib/keyring.js";
import type { Logger } from "../lib/logger.js";
import type { RateLimits } from "../ratelimit/limits.js";

/** Everything a handler needs, injected through the Hono context (never imported as a global). */
export type Deps = {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  /** The authorize path's cache, kept current by change notifications. */
  gateway: GatewayState;
  /**
   * Encryption at rest (src/lib/keyring.ts); null on Postgres without TOLLGATE_ENCRYPTION_KEY, where
   * features that must encrypt answer an error naming the variable.
   */
  keyring: Keyring | null;
  /** Per-key rate limit counters (Redis with REDIS_URL); in memory, per app, when not given. */
  rateLimits?: RateLimits;
};

export type UserPrincipal = {
  kind: "user";
  /** Idempotency keys are scoped per token. */
  id: string;
  user: { id: string; email: string; name: string | null };
  /** The personal token used; a team-scoped token acts only in its team and mints nothing that outlives it. */
  token: { id: string; teamId: string | null; expiresAt: number | null };
};

/**
 * A workload of a trusted external OIDC issuer (e.g. a CI pipeline), mapped by configuration to
 * one team and a role. It may call that team's endpoints; audit events name its issuer and subject.
 */
export type ExternalPrincipal = {
  kind: "external";
  /** `ext:<issuer>#<subject>`: scopes idempotency keys, and stands for the caller where a user id would. */
  id: string;
  issuer: string;
  subject: string;
  teamId: string;
  role: Role;
};

/** Who may act on a team's resources: a user (by membership) or a trusted external identity. */
export type MemberPrincipal = UserPrincipal | ExternalPrincipal;

export type Principal =
  | UserPrincipal
  | ExternalPrincipal
  | { kind: "admin"; id: "admin" }
  | { kind: "gateway"; id: "gateway" };

export type AppEnv = {
  Variables: {
    deps: Deps;
    principal: Principal;
    /** Set when first needed: by an error answer or the request log. */
    requestId: string;
  };
};

export type App = OpenAPIHono<AppEnv>;
