import { and, eq, getTableColumns, inArray, or, sql } from "drizzle-orm";
import { writeAudit } from "../audit/write.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import type { Publish } from "../events/transact.js";
import type { Db } from "../db/client.js";
import { budgets, spendCounters, type BudgetScope } from "../db/schema.js";
import { microsToDollars } from "./money.js";
import { currentPeriod } from "./period.js";

export type Budget = typeof budgets.$inferSelect;
export type Counter = typeof spendCounters.$inferSelect;

/** Whose spend a gateway request counts against. */
export type Subject = { teamId: string; keyId: string | null; projectId: string | null; userId: string | null };

export type Entity = { scopeType: BudgetScope; scopeId: string };

/** The entities a request is in scope of, in a fixed order (also the lock order of usage writes). */
export function entitiesOf(s: Subject): Entity[] {
  const out: Entity[] = [];
  if (s.keyId) out.push({ scopeType: "api_key", scopeId: s.keyId });
  out.push({ scopeType: "team", scopeId: s.teamId });
  if (s.projectId) out.push({ scopeType: "project", scopeId: s.projectId });
  if (s.userId) out.push({ scopeType: "user", scopeId: s.userId });
  return out;
}

export const DEFAULT_SCOPE_ID = "*";

/** Spend of one entity in its budget's current period, rolled over when the period changed. */
export type QuotaState = {
  entity: Entity;
  budget: Budget;
  periodStart: number;
  periodEnd: number | null;
  spendMicros: number;
  byokSpendMicros: number;
  alertsSent: number[];
};

export function effectiveSpend(q: QuotaState): number {
  return q.spendMicros + (q.budget.includeByok ? q.byokSpendMicros : 0);
}

/** Enforced: active, not archived, and its effective spend has reached the limit. */
export function isExceeded(q: QuotaState): boolean {
  return q.budget.active && !q.budget.archived && effectiveSpend(q) >= q.budget.limitMicros;
}

/** Counter as of `now`: a counter of an earlier period reads as zero in the current one. */
export function stateOf(entity: Entity, budget: Budget, counter: Counter | undefined, now: number): QuotaState {
  const p = currentPeriod(budget.refreshPeriod, now, budget.periodAnchor);
  const same = counter !== undefined && counter.periodStart === p.start;
  return {
    entity,
    budget,
    periodStart: p.start,
    periodEnd: p.end,
    spendMicros: same ? counter.spendMicros : 0,
    byokSpendMicros: same ? counter.byokSpendMicros : 0,
    alertsSent: same ? counter.alertsSent : [],
  };
}

/**
 * For each entity, the budget that applies: its own (unless archived), else the team's default
 * for its kind (`*`, projects and users), else its own archived budget (spend keeps being
 * counted, so restoring an archived budget restores its spend; it is not enforced).
 */
export function pickBudgets(entities: Entity[], rows: Budget[]): { entity: Entity; budget: Budget }[] {
  const out: { entity: Entity; budget: Budget }[] = [];
  for (const e of entities) {
    const own = rows.find((b) => b.scopeType === e.scopeType && b.scopeId === e.scopeId);
    const dflt = rows.find((b) => b.scopeType === e.scopeType && b.scopeId === DEFAULT_SCOPE_ID && !b.archived);
    const budget = own && !own.archived ? own : (dflt ?? own);
    if (budget) out.push({ entity: e, budget });
  }
  return out;
}

/** The budgets in scope of a request and their spend now: two queries. */
/** For each entity in scope of a request, the budget that applies (one query). */
export async function loadBudgetsInScope(db: Db, s: Subject): Promise<{ entity: Entity; budget: Budget }[]> {
  const entities = entitiesOf(s);
  const budgetRows = await db
    .select()
    .from(budgets)
    .where(
      and(
        eq(budgets.teamId, s.teamId),
        or(
          ...entities.map((e) =>
            and(eq(budgets.scopeType, e.scopeType), inArray(budgets.scopeId, e.scopeType === "project" || e.scopeType === "user" ? [e.scopeId, DEFAULT_SCOPE_ID] : [e.scopeId])),
          ),
        ),
      ),
    );
  return pickBudgets(entities, budgetRows);
}

export async function loadQuotaStates(db: Db, s: Subject, now: number): Promise<QuotaState[]> {
  const picked = await loadBudgetsInScope(db, s);
  if (picked.length === 0) return [];
  const counters = await db
    .select()
    .from(spendCounters)
    .where(
      and(
        eq(spendCounters.teamId, s.teamId),
        or(...picked.map(({ entity }) => and(eq(spendCounters.scopeType, entity.scopeType), eq(spendCounters.scopeId, entity.scopeId)))),
      ),
    );
  return picked.map(({ entity, budget }) =>
    stateOf(
      entity,
      budget,
      counters.find((c) => c.scopeType === entity.scopeType && c.scopeId === entity.scopeId),
      now,
    ),
  );
}

export type SpendItem = { subject: Subject; micros: number; byok: boolean };

const subjectKey = (s: Subject) => `${s.teamId}|${s.keyId ?? ""}|${s.projectId ?? ""}|${s.userId ?? ""}`;
const entityKey = (teamId: string, e: Entity) => `${teamId}|${e.scopeType}|${e.scopeId}`;

/**
 * Adds the cost of one or many reported requests to every budget in their scope, in `tx`. Costs
 * are summed per spend counter, then each counter gets one atomic
 * `INSERT … ON CONFLICT DO UPDATE`, in a fixed order (no deadlocks between instances): it adds
 * within the same period and restarts from the new cost in a new one, never going back to an
 * older period. Crossing an alert threshold writes one `quota.threshold` audit event per
 * threshold per period. Publishes each counter's new value. Returns, per item, the states of its
 * budgets afterwards.
 */
export async function addSpend(tx: Db, items: SpendItem[], now: number, publish: Publish): Promise<QuotaState[][]> {
  // Only the budgets are read first: each counter's current value comes back from its upsert.
  const statesBySubject = new Map<string, QuotaState[]>();
  for (const it of items) {
    const k = subjectKey(it.subject);
    if (!statesBySubject.has(k)) {
      const picked = await loadBudgetsInScope(tx, it.subject);
      statesBySubject.set(k, picked.map(({ entity, budget }) => stateOf(entity, budget, undefined, now)));
    }
  }
  const deltas = new Map<string, { teamId: string; st: QuotaState; spend: number; byok: number }>();
  for (const it of items) {
    for (const st of statesBySubject.get(subjectKey(it.subject))!) {
      const k = entityKey(it.subject.teamId, st.entity);
      const d = deltas.get(k) ?? { teamId: it.subject.teamId, st, spend: 0, byok: 0 };
      if (it.byok) d.byok += it.micros;
      else d.spend += it.micros;
      deltas.set(k, d);
    }
  }
  const after = new Map<string, QuotaState>();
  for (const k of [...deltas.keys()].sort()) {
    const { teamId, st, spend, byok } = deltas.get(k)!;
    after.set(k, await addToCounter(tx, teamId, st, spend, byok, now, publish));
  }
  return items.map((it) =>
    statesBySubject.get(subjectKey(it.subject))!.map((st) => after.get(entityKey(it.subject.teamId, st.entity)) ?? st),
  );
}

async function addToCounter(
  tx: Db,
  teamId: string,
  st: QuotaState,
  spend: number,
  byok: number,
  now: number,
  publish: Publish,
): Promise<QuotaState> {
  const [row] = await tx
    .insert(spendCounters)
    .values({
      teamId,
      scopeType: st.entity.scopeType,
      scopeId: st.entity.scopeId,
      periodStart: st.periodStart,
      periodEnd: st.periodEnd,
      spendMicros: spend,
      byokSpendMicros: byok,
      alertsSent: [],
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [spendCounters.teamId, spendCounters.scopeType, spendCounters.scopeId],
      set: {
        spendMicros: sql.raw(
          `CASE WHEN "spend_counters"."period_start" = excluded.period_start THEN "spend_counters"."spend_micros" + excluded.spend_micros ELSE excluded.spend_micros END`,
        ),
        byokSpendMicros: sql.raw(
          `CASE WHEN "spend_counters"."period_start" = excluded.period_start THEN "spend_counters"."byok_spend_micros" + excluded.byok_spend_micros ELSE excluded.byok_spend_micros END`,
        ),
        alertsSent: sql.raw(`CASE WHEN "spend_counters"."period_start" = excluded.period_start THEN "spend_counters"."alerts_sent" ELSE '[]'::jsonb END`),
        periodStart: sql.raw("excluded.period_start"),
        periodEnd: sql.raw("excluded.period_end"),
        updatedAt: sql.raw("excluded.updated_at"),
      },
      setWhere: sql.raw(`"spend_counters"."period_start" <= excluded.period_start`),
    })
    // Every instance learns the new value from the same statement (delivered at commit).
    .returning({ ...getTableColumns(spendCounters), notified: spendNotification });
  // An older period than the counter's: not counted against the current one.
  if (!row || row.periodStart !== st.periodStart) return st;
  const next = stateOf(st.entity, st.budget, row, now);
  const limit = st.budget.limitMicros;
  const crossed = st.budget.alertThresholds.filter((t) => !next.alertsSent.includes(t) && limit > 0 && effectiveSpend(next) * 100 >= limit * t);
  if (crossed.length > 0) {
    next.alertsSent = [...next.alertsSent, ...crossed].sort((a, b) => a - b);
    await tx
      .update(spendCounters)
      .set({ alertsSent: next.alertsSent })
      .where(and(eq(spendCounters.teamId, teamId), eq(spendCounters.scopeType, st.entity.scopeType), eq(spendCounters.scopeId, st.entity.scopeId)));
    await publish(spendChange(teamId, st, next)); // with the alerts it now holds
    for (const threshold of crossed) {
      await writeAudit(tx, {
        teamId,
        actor: { type: "system", id: "quota" },
        action: "quota.threshold",
        target: { type: st.entity.scopeType, id: st.entity.scopeId },
        data: {
          threshold,
          budgetId: st.budget.id,
          limitAmount: microsToDollars(limit),
          currentSpend: microsToDollars(effectiveSpend(next)),
          periodStart: next.periodStart,
        },
        at: now,
      });
    }
  } else {
    await publish(spendChange(teamId, st, next), { notified: true });
  }
  return next;
}

const spendChange = (teamId: string, st: QuotaState, next: QuotaState): Change => ({
  t: "spend",
  teamId,
  scopeType: st.entity.scopeType,
  scopeId: st.entity.scopeId,
  periodStart: next.periodStart,
  periodEnd: next.periodEnd,
  spendMicros: next.spendMicros,
  byokSpendMicros: next.byokSpendMicros,
  alertsSent: next.alertsSent,
});

/** The `spend` change of the row an upsert returns, sent with `pg_notify` in the same statement. */
const spendNotification = sql<string>`pg_notify(${sql.raw(`'${CHANGES_CHANNEL}'`)}, json_build_object(
  't', 'spend', 'teamId', "spend_counters"."team_id", 'scopeType', "spend_counters"."scope_type",
  'scopeId', "spend_counters"."scope_id", 'periodStart', "spend_counters"."period_start",
  'periodEnd', "spend_counters"."period_end", 'spendMicros', "spend_counters"."spend_micros",
  'byokSpendMicros', "spend_counters"."byok_spend_micros", 'alertsSent', "spend_counters"."alerts_sent")::text)::text`;

/** The `quotas` entry of authorize and usage answers. */
export function quotaSummary(q: QuotaState) {
  const spent = effectiveSpend(q);
  return {
    scope: q.entity.scopeType,
    scopeId: q.entity.scopeId,
    quotaEntityId: quotaEntityId(q.entity),
    limitAmount: microsToDollars(q.budget.limitMicros),
    currentSpend: microsToDollars(spent),
    remaining: microsToDollars(Math.max(0, q.budget.limitMicros - spent)),
    enforced: q.budget.active && !q.budget.archived,
    periodEnd: q.periodEnd,
  };
}

export function quotaEntityId(e: Entity): string {
  return `${e.scopeType}_id_${e.scopeId}`;
}
