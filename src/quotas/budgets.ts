import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, ne, sql } from "drizzle-orm";
import type { ApiKeyQuota } from "../api-keys/schemas.js";
import type { Db } from "../db/client.js";
import { budgets, memberships, spendCounters, type BudgetScope } from "../db/schema.js";
import { newId } from "../lib/ids.js";
import { withReserved } from "./leases.js";
import { microsToDollars, usdAmountSchema } from "./money.js";
import { currentPeriod, REFRESH_PERIODS, type RefreshPeriod } from "./period.js";
import { DEFAULT_SCOPE_ID, pickBudgets, quotaEntityId, stateOf, type Budget, type Counter, type Entity, type QuotaState } from "./state.js";

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

export const ENFORCEMENTS = ["soft", "hard"] as const;
export const EnforcementSchema = z.enum(ENFORCEMENTS).openapi({
  description:
    "`soft` (default): a request is refused once the budget is spent; requests admitted before may cross the limit. `hard`: each request reserves its worst-case cost (input counted by tokenizer, output at `max_tokens` or the model's output limit, × the price table) and is refused (402) when that does not fit, so the limit is a cap; the reservation becomes the real cost when the request ends.",
});

/** `aiGatewayQuota` on key creation. */
export const KeyQuotaInputSchema = z
  .strictObject({
    limitAmount: usdAmountSchema({ min: 1 }).openapi({ description: "Budget in US dollars, at least 1 (at most 6 decimals)." }),
    refreshPeriod: RefreshPeriodSchema.default("none"),
    includeByokInQuota: z.boolean().optional().openapi({ description: "Count BYOK spend against this budget too (default false)." }),
    alertThresholds: AlertThresholdsSchema.optional(),
    enforcement: EnforcementSchema.optional(),
  })
  .openapi("ApiKeyQuotaInput");

export type BudgetPatch = {
  limitMicros?: number;
  refreshPeriod?: RefreshPeriod;
  includeByok?: boolean;
  alertThresholds?: number[];
  enforcement?: "soft" | "hard";
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
 * spend (see `changeBudgets`). `limitMicros` is required when there is no budget yet (the caller
 * checks). Returns the budget before (if any) and after.
 */
export async function upsertBudget(
  tx: Db,
  teamId: string,
  entity: Entity,
  patch: BudgetPatch,
  now: number,
): Promise<{ before: Budget | undefined; after: Budget }> {
  return changeBudgets(tx, teamId, entity, now, async () => {
    const before = await findBudget(tx, teamId, entity.scopeType, entity.scopeId);
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
          enforcement: patch.enforcement ?? "soft",
          active: patch.active ?? true,
          archived: patch.archived ?? false,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return { before, after: row! };
    }
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
        enforcement: patch.enforcement ?? before.enforcement,
        active: patch.active ?? before.active,
        archived: patch.archived ?? false, // any edit that does not archive restores an archived budget
        updatedAt: now,
      })
      .where(eq(budgets.id, before.id))
      .returning();
    return { before, after: row! };
  });
}

/**
 * Runs `change` (a write of one budget: create, edit, archive, delete) so that spend keeps being
 * counted across it. The budgets it concerns are locked first (the usage
 * statement reads them `for key share`, so usage and budget edits serialize); after the change,
 * every counter the change concerns (the entity's, or for a team default `*` every counter of
 * that scope type) is moved into the current period of the budget that applies to it now, with
 * the spend it had in the current period of the budget that applied before (no budget before:
 * from zero; no budget after: left as it is, since nothing is counted then).
 */
export async function changeBudgets<T>(tx: Db, teamId: string, entity: Entity, now: number, change: () => Promise<T>): Promise<T> {
  // A team default concerns every entity of its kind; an entity's own budget, only that entity
  // (its own row and the default it may fall back to): lock no more rows than that.
  const scope = and(
    eq(budgets.teamId, teamId),
    eq(budgets.scopeType, entity.scopeType),
    entity.scopeId === DEFAULT_SCOPE_ID ? undefined : inArray(budgets.scopeId, [entity.scopeId, DEFAULT_SCOPE_ID]),
  );
  const before = await tx.select().from(budgets).where(scope).orderBy(budgets.id).for("update");
  const result = await change();
  const after = await tx.select().from(budgets).where(scope);
  const counters = await tx
    .select()
    .from(spendCounters)
    .where(
      and(
        eq(spendCounters.teamId, teamId),
        eq(spendCounters.scopeType, entity.scopeType),
        entity.scopeId === DEFAULT_SCOPE_ID ? undefined : eq(spendCounters.scopeId, entity.scopeId),
      ),
    )
    .orderBy(spendCounters.scopeId)
    .for("update");
  const moved: object[] = [];
  for (const counter of counters) {
    const e: Entity = { scopeType: entity.scopeType, scopeId: counter.scopeId };
    const was = pickBudgets([e], before)[0]?.budget;
    const now_ = pickBudgets([e], after)[0]?.budget;
    if (!now_) continue;
    if (was && was.id === now_.id && was.refreshPeriod === now_.refreshPeriod && was.periodAnchor === now_.periodAnchor) continue;
    const old = was ? stateOf(e, was, counter, now) : undefined;
    const p = currentPeriod(now_.refreshPeriod, now, now_.periodAnchor);
    moved.push({
      scope_id: counter.scopeId,
      period_start: p.start,
      period_end: p.end,
      spend_micros: old?.spendMicros ?? 0,
      byok_spend_micros: old?.byokSpendMicros ?? 0,
      alerts_sent: old?.alertsSent ?? [],
    });
  }
  if (moved.length > 0) {
    await tx.execute(sql`
      update spend_counters c
         set period_start = m.period_start, period_end = m.period_end, spend_micros = m.spend_micros,
             byok_spend_micros = m.byok_spend_micros, alerts_sent = m.alerts_sent, updated_at = ${now}::bigint,
             version = c.version + 1
        from jsonb_to_recordset(${JSON.stringify(moved)}::jsonb)
          as m(scope_id text, period_start bigint, period_end bigint, spend_micros bigint, byok_spend_micros bigint, alerts_sent jsonb)
       where c.team_id = ${teamId} and c.scope_type = ${entity.scopeType} and c.scope_id = m.scope_id`);
  }
  return result;
}

/** Deletes the team's budget of `entity`; returns the deleted rows' ids (none when there was no such budget). */
export async function deleteBudget(tx: Db, teamId: string, entity: Entity): Promise<{ id: string }[]> {
  return tx
    .delete(budgets)
    .where(and(eq(budgets.teamId, teamId), eq(budgets.scopeType, entity.scopeType), eq(budgets.scopeId, entity.scopeId)))
    .returning({ id: budgets.id });
}

/** A page of the team's live budgets other than key quotas, oldest first, after `cursor` when given (`limit` rows at most). */
export async function listTeamBudgets(db: Db, teamId: string, cursor: string | undefined, limit: number): Promise<Budget[]> {
  return db
    .select()
    .from(budgets)
    .where(and(eq(budgets.teamId, teamId), ne(budgets.scopeType, "api_key"), eq(budgets.archived, false), cursor ? gt(budgets.id, cursor) : undefined))
    .orderBy(asc(budgets.id))
    .limit(limit);
}

/** The team's spend counters (other than key quotas') of the entities with these scope ids (non-empty). */
export async function findCountersOfScopeIds(db: Db, teamId: string, scopeIds: string[]): Promise<Counter[]> {
  return db
    .select()
    .from(spendCounters)
    .where(and(eq(spendCounters.teamId, teamId), ne(spendCounters.scopeType, "api_key"), inArray(spendCounters.scopeId, scopeIds)));
}

/** The team's spend counter of `entity`, or undefined. */
export async function findCounter(db: Db, teamId: string, entity: Entity): Promise<Counter | undefined> {
  const [counter] = await db
    .select()
    .from(spendCounters)
    .where(and(eq(spendCounters.teamId, teamId), eq(spendCounters.scopeType, entity.scopeType), eq(spendCounters.scopeId, entity.scopeId)));
  return counter;
}

/** The user id when `userId` is a member of the team, else undefined (a user budget must name a member). */
export async function findMemberUserId(db: Db, teamId: string, userId: string): Promise<{ id: string } | undefined> {
  const [m] = await db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return m;
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
    enforcement: b.enforcement,
    reserved: microsToDollars(q.reservedMicros ?? 0),
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
  const states = rows.map((b) => stateOf({ scopeType: "api_key", scopeId: b.scopeId }, b, counters.find((c) => c.scopeId === b.scopeId), now));
  for (const st of await withReserved(db, teamId, states, now)) out.set(st.entity.scopeId, toApiKeyQuota(st));
  return out;
}

