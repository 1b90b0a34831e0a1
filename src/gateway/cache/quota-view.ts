import type { ApiKeyRow } from "../../api-keys/schemas.js";
import type { Db } from "../../db/client.js";
import {
  DEFAULT_SCOPE_ID,
  entitiesOf,
  isExceeded,
  loadQuotaStates,
  quotaSummary,
  stateOf,
  type Budget,
  type Counter,
  type Entity,
  type QuotaState,
  type Subject,
} from "../../quotas/state.js";
import { budgetKey, type BudgetsCache } from "./budgets.js";
import { counterKey, type CountersCache } from "./counters.js";
import type { Leased, LeasedTotals } from "./leased.js";
import type { Trust } from "./unit.js";

/**
 * The budgets in scope of a key's requests and their state, as authorize answers them. Computed
 * once and reused while nothing it was computed from changed (see `QuotaViews.view`).
 */
export type QuotaView = {
  /** The answer's `quotas` array, as JSON text. */
  json: string;
  /** The first spent budget in scope (authorize refuses with 402), if any. */
  exceeded: QuotaState | undefined;
  /** The enforced hard budgets in scope: each request reserves its worst case on them (see src/quotas/leases.ts). */
  hard: { entity: Entity; budget: Budget }[];
};

type PlanItem = { entity: Entity; budget: Budget; counter: string };
/** A key's budgets and the counters they use, and the last view computed from them. */
type Plan = {
  /** The team's budgets this plan was worked out from: a reload of the budgets makes a new plan. */
  from: Map<string, Budget>;
  items: PlanItem[];
  /** The counters the view was computed from (by identity: a spend change stores a new object) and the span its periods hold. */
  last?: { counters: (Counter | null)[]; leased: (Leased | undefined)[] | null; from: number; until: number; view: QuotaView };
  /** Some budget of the plan is hard (its view shows the instances' leases as `reserved`). */
  hard: boolean;
};

/**
 * Quota views, from the budgets, counters and leased totals units: not a cache of its own (no
 * change names it), a view derived from theirs and kept by identity of what it used.
 */
export class QuotaViews {
  /** By key row (or OIDC token subject): a row is replaced when its key changes or the cache is emptied. */
  private plans = new WeakMap<object, Plan>();

  constructor(
    private readonly db: Db,
    private readonly trust: Trust,
    private readonly budgets: BudgetsCache,
    private readonly counters: CountersCache,
    private readonly leased: LeasedTotals,
  ) {}

  /**
   * The budgets in scope of a key's requests (the key's, its team's, its project's, its creator's)
   * and their spend now. From the cache, the last view is returned as it is (no work, no
   * allocation) while the counters it used are the same objects and `now` is within every
   * budget's current period; a spend or budget change, or a period's end, makes a new one.
   */
  view(key: ApiKeyRow | Subject, now: number): QuotaView | Promise<QuotaView> {
    if (!this.trust.trusted) return loadQuotaStates(this.db, subjectOf(key), now).then(viewOf);
    const cached = this.budgets.get(key.teamId);
    return cached ? this.viewFrom(cached, key, now) : this.budgets.load(key.teamId).then((b) => this.viewFrom(b, key, now));
  }

  private viewFrom(teamBudgets: Map<string, Budget>, key: ApiKeyRow | Subject, now: number): QuotaView | Promise<QuotaView> {
    if (teamBudgets.size === 0) return NO_QUOTAS;
    const plan = this.plan(teamBudgets, key);
    const last = plan.last;
    if (last !== undefined && now >= last.from && now < last.until) {
      let same = true;
      for (let i = 0; i < plan.items.length && same; i++) same = this.counters.get(plan.items[i]!.counter) === last.counters[i];
      if (plan.hard && last.leased) for (let i = 0; i < plan.items.length && same; i++) same = this.leased.get(plan.items[i]!.counter) === last.leased[i];
      if (same) return last.view;
    }
    for (const item of plan.items) {
      if (!this.counters.has(item.counter)) return this.counters.loadMissing(plan.items.map((i) => i.counter)).then((read) => this.computeView(plan, now, read));
    }
    return this.computeView(plan, now);
  }

  /** The view from the cached counters (or, for one the cache lost meanwhile, from `read`). */
  private computeView(plan: Plan, now: number, read?: Map<string, Counter | null>): QuotaView {
    const counters = plan.items.map((i) => this.counters.get(i.counter) ?? read?.get(i.counter) ?? null);
    const states = plan.items.map((i, n) => stateOf(i.entity, i.budget, counters[n] ?? undefined, now));
    const leased = plan.hard ? plan.items.map((i) => this.leased.get(i.counter)) : null;
    if (leased) {
      states.forEach((st, n) => {
        const l = leased[n];
        if (st.budget.enforcement === "hard") st.reservedMicros = l !== undefined && l.periodStart === st.periodStart ? l.micros : 0;
      });
    }
    const view = viewOf(states);
    // Stored only when every counter was known (a concurrent reset may have dropped one).
    if (plan.items.every((i) => this.counters.has(i.counter))) {
      let from = -Infinity;
      let until = Infinity;
      for (const st of states) {
        from = Math.max(from, st.periodStart);
        if (st.periodEnd !== null) until = Math.min(until, st.periodEnd);
      }
      plan.last = { counters, leased, from, until, view };
    }
    return view;
  }

  /** A key's budgets and counters, worked out once per key and kept until the team's budgets are reloaded. */
  private plan(teamBudgets: Map<string, Budget>, key: ApiKeyRow | Subject): Plan {
    const hit = this.plans.get(key);
    if (hit && hit.from === teamBudgets) return hit;
    const s = subjectOf(key);
    const items: PlanItem[] = [];
    for (const entity of entitiesOf(s)) {
      const own = teamBudgets.get(budgetKey(entity.scopeType, entity.scopeId));
      const dflt =
        entity.scopeType === "project" || entity.scopeType === "user" ? teamBudgets.get(budgetKey(entity.scopeType, DEFAULT_SCOPE_ID)) : undefined;
      const budget = own && !own.archived ? own : dflt && !dflt.archived ? dflt : own;
      if (budget) items.push({ entity, budget, counter: counterKey(s.teamId, entity.scopeType, entity.scopeId) });
    }
    const plan: Plan = { from: teamBudgets, items, hard: items.some((i) => i.budget.enforcement === "hard") };
    this.plans.set(key, plan);
    return plan;
  }
}

const NO_QUOTAS: QuotaView = { json: "[]", exceeded: undefined, hard: [] };

function viewOf(states: QuotaState[]): QuotaView {
  if (states.length === 0) return NO_QUOTAS;
  const hard = states.filter((s) => s.budget.enforcement === "hard" && s.budget.active && !s.budget.archived).map((s) => ({ entity: s.entity, budget: s.budget }));
  return { json: JSON.stringify(states.map(quotaSummary)), exceeded: states.find(isExceeded), hard };
}

/** A key row's subject, or the subject itself (an OIDC token's: team and project, no key). */
function subjectOf(k: ApiKeyRow | Subject): Subject {
  return "digest" in k ? subjectOfRow(k) : k;
}

/** Whose spend a key's requests count against. */
export function subjectOfRow(key: ApiKeyRow): Subject {
  return { teamId: key.teamId, keyId: key.id, projectId: key.projectId, userId: key.createdBy };
}
