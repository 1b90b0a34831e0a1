import { z } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import type { ApiKeyQuota } from "../api-keys/schemas.js";
import type { Db } from "../db/client.js";
import { budgets, spendCounters, type BudgetScope } from "../db/schema.js";
import { newId } from "../lib/ids.js";
import { microsToDollars, usdAmountSchema } from "./money.js";
import { currentPeriod, REFRESH_PERIODS, type RefreshPeriod } from "./period.js";
import { quotaEntityId, stateOf, type Budget, type Entity, type QuotaState } from "./state.js";

export const ALERT_THRESHOLDS = [50, 75, 100] as const;
export const DEFAULT_ALERT_THRESHOLDS = [50, 75, 100];

export const RefreshPeriodSchema = z.enum(REFRESH_PERIODS).openapi({
  description: "When spend resets, at UTC boundaries: `daily` 00:00, `weekly` Monday 00:00, `monthly` the 1st 00:00; `none` never.",
});

export const AlertThresholdsSchema = z
  .array(z.union([z.literal(50), z.literal(75), z.literal(100)]))
  .max(3)
  .refine((a) => new Set(a).size === a.length, "thresholds must be distinct")
  .openapi({
    description:
      "Percentages of the limit at which a `quota.threshold` audit event is written, once per threshold per period. Default: [50, 75, 100].",
  });

/** `aiGatewayQuota` on key creation. */
export const KeyQuotaInputSchema = z
  .strictObject({
    limitAmount: usdAmountSchema({ min: 1 }).openapi({ description: "Budget in US dollars, at least 1 (at most 6 decimals)." }),
    refreshPeriod: RefreshPeriodSchema.default("none"),
    includeByokInQuota: z.boolean().optional().openapi({ description: "Count BYOK spend against this budget too (default false)." }),
    alertThresholds: AlertThresholdsSchema.optional(),
  })
  .openapi("ApiKeyQuotaInput");

export type BudgetPatch = {
  limitMicros?: number;
  refreshPeriod?: RefreshPeriod;
  includeByok?: boolean;
  alertThresholds?: number[];
  active?: boolean;
  archived?: boolean;
};

export async function findBudget(db: Db, teamId: string, scopeType: BudgetScope, scopeId: string): Promise<Budget | undefined> {
  const [row] = await db
    .select()
    .from(budgets)
    .where(and(eq(budgets.teamId, teamId), eq(budgets.scopeType, scopeType), eq(budgets.scopeId, scopeId)))
    .for("update");
  return row;
}

/**
 * Creates or edits a budget in `tx`. Editing keeps the spend counted in the current period: when
 * the refresh period changes, the entity's counter moves to the new current period with its
 * spend. `limitMicros` is required when there is no budget yet (the caller checks).
 * Returns the budget before (if any) and after.
 */
export async function upsertBudget(
  tx: Db,
  teamId: string,
  entity: Entity,
  patch: BudgetPatch,
  now: number,
): Promise<{ before: Budget | undefined; after: Budget }> {
  const before = await findBudget(tx, teamId, entity.scopeType, entity.scopeId);
  let after: Budget;
  if (!before) {
    const [row] = await tx
      .insert(budgets)
      .values({
        id: newId("budget"),
        teamId,
        scopeType: entity.scopeType,
        scopeId: entity.scopeId,
        limitMicros: patch.limitMicros!,
        refreshPeriod: patch.refreshPeriod ?? "none",
        periodAnchor: now,
        includeByok: patch.includeByok ?? false,
        alertThresholds: patch.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS,
        active: patch.active ?? true,
        archived: patch.archived ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    after = row!;
  } else {
    const refreshPeriod = patch.refreshPeriod ?? before.refreshPeriod;
    const periodAnchor = refreshPeriod === "none" && before.refreshPeriod !== "none" ? now : before.periodAnchor;
    const [row] = await tx
      .update(budgets)
      .set({
        limitMicros: patch.limitMicros ?? before.limitMicros,
        refreshPeriod,
        periodAnchor,
        includeByok: patch.includeByok ?? before.includeByok,
        alertThresholds: patch.alertThresholds ?? before.alertThresholds,
        active: patch.active ?? before.active,
        archived: patch.archived ?? false, // any edit that does not archive restores an archived budget
        updatedAt: now,
      })
      .where(eq(budgets.id, before.id))
      .returning();
    after = row!;
    if (entity.scopeId !== "*" && (after.refreshPeriod !== before.refreshPeriod || after.periodAnchor !== before.periodAnchor)) {
      await carrySpend(tx, teamId, entity, before, after, now);
    }
  }
  return { before, after };
}

/** Moves the spend of the old current period into the new current period (same entity). */
async function carrySpend(tx: Db, teamId: string, entity: Entity, before: Budget, after: Budget, now: number) {
  const where = and(eq(spendCounters.teamId, teamId), eq(spendCounters.scopeType, entity.scopeType), eq(spendCounters.scopeId, entity.scopeId));
  const [counter] = await tx.select().from(spendCounters).where(where).for("update");
  if (!counter) return;
  const old = stateOf(entity, before, counter, now);
  const p = currentPeriod(after.refreshPeriod, now, after.periodAnchor);
  await tx
    .update(spendCounters)
    .set({
      periodStart: p.start,
      periodEnd: p.end,
      spendMicros: old.spendMicros,
      byokSpendMicros: old.byokSpendMicros,
      alertsSent: old.alertsSent,
      updatedAt: now,
    })
    .where(where);
}

/** The key's quota in the ApiKeyQuota shape. */
export function toApiKeyQuota(q: QuotaState): ApiKeyQuota {
  const b = q.budget;
  return {
    quotaEntityId: quotaEntityId(q.entity),
    limitAmount: microsToDollars(b.limitMicros),
    currentSpend: microsToDollars(q.spendMicros),
    currentByokSpend: microsToDollars(q.byokSpendMicros),
    includeByokInQuota: b.includeByok,
    refreshPeriod: b.refreshPeriod,
    periodStart: q.periodStart,
    periodEnd: q.periodEnd,
    active: b.active,
    archived: b.archived,
    alertThresholds: b.alertThresholds,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

/** The quotas of many keys of one team (archived ones are omitted: the key is unlimited). */
export async function loadKeyQuotas(db: Db, teamId: string, keyIds: string[], now: number): Promise<Map<string, ApiKeyQuota>> {
  const out = new Map<string, ApiKeyQuota>();
  if (keyIds.length === 0) return out;
  const rows = await db
    .select()
    .from(budgets)
    .where(and(eq(budgets.teamId, teamId), eq(budgets.scopeType, "api_key"), inArray(budgets.scopeId, keyIds), eq(budgets.archived, false)));
  if (rows.length === 0) return out;
  const counters = await db
    .select()
    .from(spendCounters)
    .where(
      and(
        eq(spendCounters.teamId, teamId),
        eq(spendCounters.scopeType, "api_key"),
        inArray(
          spendCounters.scopeId,
          rows.map((r) => r.scopeId),
        ),
      ),
    );
  for (const b of rows) {
    const entity: Entity = { scopeType: "api_key", scopeId: b.scopeId };
    out.set(b.scopeId, toApiKeyQuota(stateOf(entity, b, counters.find((c) => c.scopeId === b.scopeId), now)));
  }
  return out;
}

