import type { QuotaState } from "../../quotas/state.js";
import { counterKey } from "./counters.js";
import { CacheUnit, type ChangeOf } from "./unit.js";

/** The Σ of a hard budget's leases as the last lease write (of any instance) published it. */
export type Leased = { periodStart: number; micros: number };

/**
 * Each hard budget's leased total by `counterKey`, as published (src/quotas/leases.ts): nothing
 * is read on a miss (none known: nothing reserved), a `leased` change carries the new value.
 */
export class LeasedTotals extends CacheUnit<string, Leased, ChangeOf<"leased">> {
  apply(change: ChangeOf<"leased">): void {
    if (this.trust.trusted) this.map.set(counterKey(change.teamId, change.scopeType, change.scopeId), { periodStart: change.periodStart, micros: change.micros });
  }

  /** Sets `reservedMicros` on hard budgets' states: their leased total, if of their period. */
  withLeased(states: QuotaState[]): QuotaState[] {
    for (const st of states) {
      if (st.budget.enforcement !== "hard") continue;
      const l = this.get(counterKey(st.budget.teamId, st.entity.scopeType, st.entity.scopeId));
      st.reservedMicros = l !== undefined && l.periodStart === st.periodStart ? l.micros : 0;
    }
    return states;
  }
}
