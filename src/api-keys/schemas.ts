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
    createdAt: Millis,
    updatedAt: Millis,
  })
  .openapi("ApiKeyQuota");
export type ApiKeyQuota = z.infer<typeof ApiKeyQuotaSchema>;

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
    metadata: z.record(z.string(), z.unknown()),
    quota: ApiKeyQuotaSchema.nullable().openapi({ description: "The key's budget; null when the key is unlimited." }),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKeySchema>;

export type ApiKeyRow = InferSelectModel<typeof apiKeys>;

export function keyStatus(k: Pick<ApiKeyRow, "leakedAt" | "deactivatedAt" | "expiresAt">, now: number): ApiKeyStatus {
  if (k.leakedAt !== null) return "leaked";
  if (k.deactivatedAt !== null) return "deactivated";
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
    quota,
  };
}
