import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { apiKeys } from "../db/schema.js";
import { Millis } from "../http/schemas.js";

export const API_KEY_STATUSES = ["active", "expired", "deactivated", "leaked"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export const ApiKeyQuotaSchema = z
  .object({
    quotaEntityId: z.string().openapi({ example: "api_key_id_key_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    limitAmount: z.number().openapi({ description: "Budget in US dollars." }),
    currentSpend: z.number().openapi({ description: "Spend counted against the budget in the current period, in US dollars." }),
    currentByokSpend: z.number().openapi({ description: "BYOK spend in the current period (counted only when `includeByokInQuota`)." }),
    includeByokInQuota: z.boolean(),
    refreshPeriod: z.enum(["daily", "weekly", "monthly", "none"]),
    periodStart: Millis,
    periodEnd: Millis.nullable(),
    active: z.boolean(),
    archived: z.boolean(),
    alertThresholds: z.array(z.number().int()),
    enforcement: z.enum(["soft", "hard"]).openapi({ description: "`hard`: requests reserve their worst-case cost and the limit is a cap (see the budgets guide)." }),
    reserved: z.number().openapi({ description: "US dollars held by gateway instances for requests in flight (hard budgets; 0 for soft ones)." }),
    createdAt: Millis,
    updatedAt: Millis,
  })
  .openapi("ApiKeyQuota");
export type ApiKeyQuota = z.infer<typeof ApiKeyQuotaSchema>;

const MAX_METADATA_KEYS = 50;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A key's free-form metadata, kept exactly as parsed: the same object (no copy), so its keys keep
 * their order and an own `__proto__` key is not lost (zod's `record` rebuilds the object and drops
 * it). Stored as `json` (not `jsonb`, which reorders keys).
 */
export const MetadataSchema = z
  .custom<Record<string, unknown>>(isPlainObject, { message: "must be a JSON object" })
  .superRefine((m, ctx) => {
    const keys = Object.keys(m);
    if (keys.length > MAX_METADATA_KEYS) ctx.addIssue({ code: "custom", message: `at most ${MAX_METADATA_KEYS} keys` });
    for (const k of keys) {
      if (k.length < 1 || k.length > 128) ctx.addIssue({ code: "custom", path: [k], message: "keys must be 1 to 128 characters" });
    }
  })
  .openapi({
    type: "object",
    additionalProperties: true,
    description: `Free-form JSON object (at most ${MAX_METADATA_KEYS} keys of 1 to 128 characters), returned exactly as sent (same keys, same order).`,
  });

export const RateLimitSchema = z
  .strictObject({
    requestsPerMinute: z.number().int().min(1).max(1_000_000).optional().openapi({ description: "Authorize calls per minute (fixed 60 s windows)." }),
    tokensPerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .openapi({ description: "Tokens per minute, counted from usage reports (`inputTokens + outputTokens`)." }),
  })
  .refine((r) => r.requestsPerMinute !== undefined || r.tokensPerMinute !== undefined, "give requestsPerMinute, tokensPerMinute or both")
  .openapi("ApiKeyRateLimit");
export type RateLimit = z.infer<typeof RateLimitSchema>;

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    name: z.string().openapi({ description: "`default` when not given at creation.", example: "default" }),
    teamId: z.string(),
    purpose: z.literal("ai-gateway"),
    projectId: z.string().nullable(),
    partialKey: z.string().openapi({ description: "The key's last 4 characters.", example: "x9Qa" }),
    createdBy: z.string().openapi({ description: "The user id that created the key." }),
    createdByAppId: z.null().openapi({ description: "Always null (no app integrations)." }),
    createdAt: Millis,
    expiresAt: Millis.nullable(),
    activeAt: Millis.openapi({ description: "Time of the last use; equals `createdAt` until the first use." }),
    status: z.enum(API_KEY_STATUSES).openapi({
      description: "`leaked` (reported compromised) wins over `deactivated` (its creator left the team), which wins over `expired`.",
    }),
    leakedAt: Millis.nullable(),
    leakedUrl: z.string().nullable(),
    models: z.array(z.string()).openapi({ description: "Allow-list of model ids; empty means every model." }),
    metadata: z.record(z.string(), z.unknown()).openapi({ description: "As sent: the same keys in the same order." }),
    rateLimit: RateLimitSchema.nullable().openapi({ description: "Per-key rate limits; null when the key has none." }),
    previousSecretExpiresAt: Millis.nullable().openapi({
      description: "After `POST /v1/api-keys/{id}/roll` with a grace period: until when the previous secret is still accepted. Null when none is.",
    }),
    quota: ApiKeyQuotaSchema.nullable().openapi({ description: "The key's budget; null when the key is unlimited." }),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKeySchema>;

export type ApiKeyRow = InferSelectModel<typeof apiKeys>;

export function keyStatus(k: Pick<ApiKeyRow, "leakedAt" | "deactivatedAt" | "disabledAt" | "expiresAt">, now: number): ApiKeyStatus {
  if (k.leakedAt !== null) return "leaked";
  if (k.deactivatedAt !== null || k.disabledAt !== null) return "deactivated";
  if (k.expiresAt !== null && k.expiresAt <= now) return "expired";
  return "active";
}

export function toApiKey(k: ApiKeyRow, now: number, quota: ApiKeyQuota | null = null): ApiKey {
  return {
    id: k.id,
    name: k.name,
    teamId: k.teamId,
    purpose: "ai-gateway",
    projectId: k.projectId,
    partialKey: k.partialKey,
    createdBy: k.createdBy,
    createdByAppId: null,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    activeAt: k.activeAt,
    status: keyStatus(k, now),
    leakedAt: k.leakedAt,
    leakedUrl: k.leakedUrl,
    models: k.models,
    metadata: k.metadata,
    rateLimit: rateLimitOf(k),
    previousSecretExpiresAt: k.previousDigest !== null && k.previousDigestExpiresAt !== null && k.previousDigestExpiresAt > now ? k.previousDigestExpiresAt : null,
    quota,
  };
}

export function rateLimitOf(k: Pick<ApiKeyRow, "rateLimitRpm" | "rateLimitTpm">): RateLimit | null {
  if (k.rateLimitRpm === null && k.rateLimitTpm === null) return null;
  const r: RateLimit = {};
  if (k.rateLimitRpm !== null) r.requestsPerMinute = k.rateLimitRpm;
  if (k.rateLimitTpm !== null) r.tokensPerMinute = k.rateLimitTpm;
  return r;
}
