import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, json, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/** Milliseconds since the Unix epoch, as the API speaks them. */
const ms = (name: string) => bigint(name, { mode: "number" });

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

export const teams = pgTable(
  "teams",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("teams_slug_uq").on(t.slug)],
);

export const ROLES = ["OWNER", "MEMBER", "DEVELOPER"] as const;
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
  "memberships",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<Role>().notNull(),
    createdAt: ms("created_at").notNull(),
    /**
     * Random, new for each membership and replaced when the role is lowered. The OIDC project
     * tokens a member mints carry it (`minted_by_epoch`): authorize refuses them once it changed or
     * the membership is gone, so a removal or a demotion ends what the member minted.
     */
    tokenEpoch: text("token_epoch").notNull().default(sql`gen_random_uuid()::text`),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/** Personal access tokens (`tgp_…`). Only the SHA-256 digest of the secret is stored. */
export const tokens = pgTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: text("team_id").references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    expiresAt: ms("expires_at"),
    createdAt: ms("created_at").notNull(),
    activeAt: ms("active_at").notNull(),
  },
  (t) => [uniqueIndex("tokens_digest_uq").on(t.digest), index("tokens_user_idx").on(t.userId, t.id)],
);

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: ms("created_at").notNull(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [uniqueIndex("projects_team_name_uq").on(t.teamId, t.name)],
);

/** Gateway API keys (`tgk_…`). Only the SHA-256 digest of the key is stored. Deletion is soft. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    purpose: text("purpose").notNull(),
    digest: text("digest").notNull(),
    partialKey: text("partial_key").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at"),
    activeAt: ms("active_at").notNull(),
    deactivatedAt: ms("deactivated_at"),
    leakedAt: ms("leaked_at"),
    leakedUrl: text("leaked_url"),
    deletedAt: ms("deleted_at"),
    models: jsonb("models").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** `json`, not `jsonb`: returned exactly as sent (key order, duplicate-free `__proto__` included). */
    metadata: json("metadata").$type<Record<string, unknown>>().notNull().default(sql`'{}'::json`),
    /** Switched off by `PATCH {enabled:false}` (a member's removal sets `deactivatedAt` instead). */
    disabledAt: ms("disabled_at"),
    /** The digest of the secret before the last roll, accepted until `previousDigestExpiresAt`. */
    previousDigest: text("previous_digest"),
    previousDigestExpiresAt: ms("previous_digest_expires_at"),
    rateLimitRpm: integer("rate_limit_rpm"),
    rateLimitTpm: integer("rate_limit_tpm"),
  },
  (t) => [
    uniqueIndex("api_keys_digest_uq").on(t.digest),
    index("api_keys_previous_digest_idx").on(t.previousDigest),
    index("api_keys_team_idx").on(t.teamId, t.id),
    index("api_keys_creator_idx").on(t.teamId, t.createdBy),
    // The expiry notices' sweep (src/webhooks): keys expiring in the next 7 days.
    index("api_keys_expires_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null and ${t.deletedAt} is null`),
  ],
);

/** Audit log: every mutation, written in the same transaction as the mutation. Never a secret. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id"),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("audit_team_idx").on(t.teamId, t.id)],
);

/** Stored first responses for `Idempotency-Key`, per principal (token). */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    principal: text("principal").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    body: text("body"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index("idempotency_created_idx").on(t.createdAt)],
);

/** Routing rules (Vercel AI Gateway shape). At most one enabled rule per `match_model` per team. */
export const rules = pgTable(
  "rules",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    type: text("type").$type<"rewrite" | "deny">().notNull(),
    matchModel: text("match_model").notNull(),
    rewriteModel: text("rewrite_model"),
    reason: text("reason"),
    enabled: boolean("enabled").notNull().default(true),
    description: text("description"),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    index("rules_team_idx").on(t.teamId, t.id),
    uniqueIndex("rules_team_match_enabled_uq").on(t.teamId, t.matchModel).where(sql`${t.enabled}`),
  ],
);

export type BudgetScope = "api_key" | "team" | "project" | "user";
export type RefreshPeriodCol = "daily" | "weekly" | "monthly" | "none";
/** `soft`: spend is checked before a request (it may cross the limit); `hard`: worst cases are reserved, the limit is a cap. */
export type Enforcement = "soft" | "hard";

/**
 * Spending limits. A key's quota is scope `api_key`; team budgets are `team`, `project`, `user`.
 * `scope_id` is the entity id, or `*` for the team's default budget of every project / user
 * without one of its own. Money in integer micro-dollars.
 */
export const budgets = pgTable(
  "budgets",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    scopeType: text("scope_type").$type<BudgetScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    limitMicros: bigint("limit_micros", { mode: "number" }).notNull(),
    refreshPeriod: text("refresh_period").$type<RefreshPeriodCol>().notNull(),
    /** Start of the `none` period (creation, or when the budget was switched to `none`). */
    periodAnchor: ms("period_anchor").notNull(),
    includeByok: boolean("include_byok").notNull().default(false),
    alertThresholds: jsonb("alert_thresholds").$type<number[]>().notNull().default(sql`'[]'::jsonb`),
    active: boolean("active").notNull().default(true),
    archived: boolean("archived").notNull().default(false),
    enforcement: text("enforcement").$type<Enforcement>().notNull().default("soft"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("budgets_scope_uq").on(t.teamId, t.scopeType, t.scopeId)],
);

/**
 * A share of a hard budget held by one gateway instance (see src/quotas/leases.ts): the database
 * keeps spend + Σ(unexpired leases of the period) ≤ limit, under the budget row's lock; an
 * instance admits requests against its lease in memory.
 */
export const budgetLeases = pgTable(
  "budget_leases",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    scopeType: text("scope_type").$type<BudgetScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    instanceId: text("instance_id").notNull(),
    periodStart: ms("period_start").notNull(),
    amountMicros: bigint("amount_micros", { mode: "number" }).notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.scopeType, t.scopeId, t.instanceId] })],
);

/** Spend of one entity in its budget's current period; rolled over by the first write of a new period. */
export const spendCounters = pgTable(
  "spend_counters",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    scopeType: text("scope_type").$type<BudgetScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    periodStart: ms("period_start").notNull(),
    periodEnd: ms("period_end"),
    spendMicros: bigint("spend_micros", { mode: "number" }).notNull().default(sql`0`),
    byokSpendMicros: bigint("byok_spend_micros", { mode: "number" }).notNull().default(sql`0`),
    /** Alert thresholds (percent) already reported in this period. */
    alertsSent: jsonb("alerts_sent").$type<number[]>().notNull().default(sql`'[]'::jsonb`),
    updatedAt: ms("updated_at").notNull(),
    /**
     * Bumped by every write of the row (row locks order them), and carried by its change
     * notifications: a cache applies a counter's notifications only in increasing version.
     */
    version: bigint("version", { mode: "number" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.scopeType, t.scopeId] })],
);

/** One row per reported gateway request; `request_id` makes usage reports idempotent. */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id").notNull(),
    teamId: text("team_id").notNull(),
    keyId: text("key_id"),
    projectId: text("project_id"),
    userId: text("user_id"),
    model: text("model").notNull(),
    costMicros: bigint("cost_micros", { mode: "number" }).notNull(),
    byok: boolean("byok").notNull(),
    /** Every input token, cache reads and writes included. */
    inputTokens: integer("input_tokens"),
    /** Every output token, reasoning included. */
    outputTokens: integer("output_tokens"),
    /** Of the input: read from the provider's prompt cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`). */
    cacheReadTokens: integer("cache_read_tokens"),
    /** Of the input: written to the prompt cache (Anthropic `cache_creation_input_tokens`). */
    cacheWriteTokens: integer("cache_write_tokens"),
    /** Of the output: reasoning tokens (OpenAI `reasoning_tokens`). */
    reasoningTokens: integer("reasoning_tokens"),
    /** The AI SDK's `providerOptions.gateway.user`: the app's end user (null: none sent). */
    endUser: text("end_user"),
    /** The AI SDK's `providerOptions.gateway.tags`, in the order sent, without repeats (null: none sent). */
    tags: text("tags").array(),
    createdAt: ms("created_at").notNull(),
  },
  // A `requestId` is unique per team: another team's report can never shadow this team's. The
  // reports read the rollups and retention goes by id, so the only other index is partial: the
  // reports by end user or tag read raw rows that carry one (a report without either writes nothing to it).
  (t) => [
    uniqueIndex("usage_team_request_uq").on(t.teamId, t.requestId),
    index("usage_attributed_idx").on(t.teamId, t.createdAt).where(sql`${t.endUser} is not null or ${t.tags} is not null`),
  ],
);

/**
 * BYOK provider credentials. `sealed` holds the provider's fields as JSON, encrypted with the
 * keyring (src/lib/keyring.ts; the key id is part of the sealed text) and bound to its team and id
 * as additional data. `hint` is the last 4 characters of the main secret. Order within a provider
 * is `position` (then id).
 */
export const byokCredentials = pgTable(
  "byok_credentials",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    apiKeyIds: jsonb("api_key_ids").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    hint: text("hint").notNull(),
    sealed: text("sealed").notNull(),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("byok_team_idx").on(t.teamId, t.provider, t.position)],
);

/**
 * Tollgate's OIDC signing keys (ES256). The private JWK is sealed with the keyring (additional data
 * `oidc:<kid>`); the public JWK is kept in clear, so verifying needs no encryption key. The newest
 * key not retired signs; a retired key stays published until every token it signed has expired.
 */
export const oidcSigningKeys = pgTable("oidc_signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: json("public_jwk").$type<Record<string, unknown>>().notNull(),
  privateJwkSealed: text("private_jwk_sealed").notNull(),
  createdAt: ms("created_at").notNull(),
  /** When it stopped signing (a newer key took over); null while it signs. */
  retiredAt: ms("retired_at"),
  /**
   * When a rotation with `revokePrevious` revoked it: it leaves the JWKS at once and the tokens it
   * signed stop authorizing (usage of requests admitted before still counts). Null otherwise.
   */
  revokedAt: ms("revoked_at"),
});

/**
 * Spend per UTC hour, per key, model, project and user (`''` where a report had none): kept by the
 * usage statement in the same statement that adds spend to the budget counters, so reports equal
 * the counters exactly. Never touched by the retention of raw `usage_events`.
 */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    teamId: text("team_id").notNull(),
    hourStart: ms("hour_start").notNull(),
    keyId: text("key_id").notNull(),
    model: text("model").notNull(),
    projectId: text("project_id").notNull(),
    userId: text("user_id").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    costMicros: bigint("cost_micros", { mode: "number" }).notNull(),
    byokCostMicros: bigint("byok_cost_micros", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(sql`0`),
    cacheWriteTokens: bigint("cache_write_tokens", { mode: "number" }).notNull().default(sql`0`),
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.hourStart, t.keyId, t.model, t.projectId, t.userId] })],
);

/**
 * The same spend per UTC hour and model for the whole team (no key, project or user): what a
 * report not grouped by key, project or user reads, so a year of a team's spend is at most
 * 8,760 rows per model whatever its number of keys. Kept by the same statement, equal to the sum
 * of `usage_rollups` for each team, hour and model.
 */
export const usageRollupsTeam = pgTable(
  "usage_rollups_team",
  {
    teamId: text("team_id").notNull(),
    hourStart: ms("hour_start").notNull(),
    model: text("model").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    costMicros: bigint("cost_micros", { mode: "number" }).notNull(),
    byokCostMicros: bigint("byok_cost_micros", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(sql`0`),
    cacheWriteTokens: bigint("cache_write_tokens", { mode: "number" }).notNull().default(sql`0`),
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.hourStart, t.model] })],
);

/**
 * Webhook endpoints (src/webhooks): where a team's alerts are POSTed. `sealed_secret` holds the
 * `whsec_…` signing secret, sealed with the keyring (additional data `webhook:<team>:<id>`).
 * `failing_since`: the first failed attempt since the last success (3 days of it disables it).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: jsonb("events").$type<string[]>().notNull(),
    format: text("format").$type<"standard" | "slack">().notNull(),
    description: text("description"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: ms("disabled_at"),
    failingSince: ms("failing_since"),
    sealedSecret: text("sealed_secret").notNull(),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_team_idx").on(t.teamId, t.id)],
);

/**
 * The outbox: one row per event, written in the transaction of the change that causes it (only
 * for a team with an endpoint that wants it). `data` is `json`: sent with its keys in the order
 * written. `dedupe_key` makes an event that must happen once (a key's expiry notice) unique.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: json("data").$type<Record<string, unknown>>().notNull(),
    dedupeKey: text("dedupe_key"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("webhook_events_dedupe_uq").on(t.teamId, t.dedupeKey), index("webhook_events_created_idx").on(t.createdAt)],
);

/**
 * One event to one endpoint: `pending` until delivered (2xx) or given up (`failed`). A worker
 * claims a due row (`FOR UPDATE SKIP LOCKED`) by moving `next_attempt_at` past its attempt, so
 * one instance sends it; the result then sets the next try (backoff) or ends it.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
    state: text("state").$type<"pending" | "delivered" | "failed">().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ms("next_attempt_at"),
    lastAttemptAt: ms("last_attempt_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    /** Every attempt so far, oldest first: `{at, status, error}` (status null when no HTTP answer). */
    attemptLog: jsonb("attempt_log").$type<{ at: number; status: number | null; error: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
    deliveredAt: ms("delivered_at"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.endpointId, t.eventId] }),
    index("webhook_deliveries_event_idx").on(t.eventId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
  ],
);

/**
 * A signed-in dashboard browser (src/dashboard/). The cookie holds a random secret; the row is
 * found by the secret's SHA-256 (`id`), and the personal access token the user signed in with is
 * sealed under a key derived from that secret, so the database alone opens no session and holds
 * no usable token. Deleting the token (or the user) ends its sessions.
 */
export const dashboardSessions = pgTable(
  "dashboard_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenId: text("token_id")
      .notNull()
      .references(() => tokens.id, { onDelete: "cascade" }),
    sealedToken: text("sealed_token").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("dashboard_sessions_expires_idx").on(t.expiresAt), index("dashboard_sessions_token_idx").on(t.tokenId)],
);
