import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { budgets, spendCounters, type BudgetScope } from "../db/schema.js";
import { MAX_SPEND_MICROS, microsToDollars, saturatedMicros } from "./money.js";
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
  /** Micro-dollars held by gateway instances' leases in this period (hard budgets), when known. */
  reservedMicros?: number;
};

/** The spend a budget counts: BYOK included when it says so; saturated as each counter is. */
export function effectiveSpend(q: QuotaState): number {
  return q.budget.includeByok ? saturatedMicros(q.spendMicros + q.byokSpendMicros) : q.spendMicros;
}

/** Enforced: active, not archived, and its effective spend has reached the limit. */
export function isExceeded(q: QuotaState): boolean {
  return q.budget.active && !q.budget.archived && effectiveSpend(q) >= q.budget.limitMicros;
}

/** Counter as of `now`: a counter of an earlier period reads as zero in the current one. */
/** Each budget's current period, until it ends (budget rows are immutable snapshots). */
const periods = new WeakMap<Budget, { start: number; end: number | null }>();

function periodOf(budget: Budget, now: number) {
  const p = periods.get(budget);
  if (p && now >= p.start && (p.end === null || now < p.end)) return p;
  const fresh = currentPeriod(budget.refreshPeriod, now, budget.periodAnchor);
  periods.set(budget, fresh);
  return fresh;
}

/**
 * Whether a stored counter counts in a budget's current period: it is that period's, or it began
 * inside it (the budget's period was changed, e.g. none → daily, and the counter was not moved
 * yet). The usage statement's upsert moves such a counter into the period (record-usage.ts).
 */
export function counterInPeriod(counter: Counter, p: { start: number; end: number | null }): boolean {
  return counter.periodStart === p.start || (counter.periodStart > p.start && (p.end === null || counter.periodStart < p.end));
}

export function stateOf(entity: Entity, budget: Budget, counter: Counter | undefined, now: number): QuotaState {
  const p = periodOf(budget, now);
  const same = counter !== undefined && counterInPeriod(counter, p);
  return {
    entity,
    budget,
    periodStart: p.start,
    periodEnd: p.end,
    // Counters saturate below 2^53 (record-usage.ts); one stored before that was capped is read capped.
    spendMicros: same ? Math.min(counter.spendMicros, MAX_SPEND_MICROS) : 0,
    byokSpendMicros: same ? Math.min(counter.byokSpendMicros, MAX_SPEND_MICROS) : 0,
    alertsSent: same ? counter.alertsSent : [],
  };
}

/** Projects and users fall back to their team's default budget (`*`); keys and the team do not. */
const hasDefault = (e: Entity) => e.scopeType === "project" || e.scopeType === "user";

/**
 * For each entity, the budget that applies: its own (unless archived), else the team's default
 * for its kind (`*`, projects and users), else its own archived budget (spend keeps being
 * counted, so restoring an archived budget restores its spend; it is not enforced). The same
 * choice as the usage statement's `pick` and the gateway cache's `plan()`
 * (test/quotas/budgets-in-scope.property.test.ts).
 */
export function pickBudgets(entities: Entity[], rows: Budget[]): { entity: Entity; budget: Budget }[] {
  const out: { entity: Entity; budget: Budget }[] = [];
  for (const e of entities) {
    const own = rows.find((b) => b.scopeType === e.scopeType && b.scopeId === e.scopeId);
    const dflt = hasDefault(e) ? rows.find((b) => b.scopeType === e.scopeType && b.scopeId === DEFAULT_SCOPE_ID && !b.archived) : undefined;
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
            and(eq(budgets.scopeType, e.scopeType), inArray(budgets.scopeId, hasDefault(e) ? [e.scopeId, DEFAULT_SCOPE_ID] : [e.scopeId])),
          ),
        ),
      ),
    );
  return pickBudgets(entities, budgetRows);
}

export async function loadQuotaStates(db: Db, s: Subject, now: number): Promise<QuotaState[]> {
  return statesFor(db, s.teamId, await loadBudgetsInScope(db, s), now);
}

/** The states of the given budgets of a team, with their counters as stored (one query). */
export async function statesFor(db: Db, teamId: string, picked: { entity: Entity; budget: Budget }[], now: number): Promise<QuotaState[]> {
  if (picked.length === 0) return [];
  const counters = await db
    .select()
    .from(spendCounters)
    .where(
      and(
        eq(spendCounters.teamId, teamId),
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
    enforcement: q.budget.enforcement,
    reserved: microsToDollars(q.reservedMicros ?? 0),
    periodEnd: q.periodEnd,
  };
}

export function quotaEntityId(e: Entity): string {
  return `${e.scopeType}_id_${e.scopeId}`;
}
