import { and, eq, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { spendCounters, type BudgetScope } from "../../db/schema.js";
import { BatchLoader } from "../../lib/batch-loader.js";
import type { Counter } from "../../quotas/state.js";
import { CacheUnit, type ChangeOf, type Trust } from "./unit.js";

/** A spend counter's (and a hard budget's leased total's) place in its cache. */
export const counterKey = (teamId: string, scopeType: string, scopeId: string) => `${teamId}\u0000${scopeType}\u0000${scopeId}`;

/**
 * Spend counters by `counterKey` (null: none yet). A spend change carries the counter's new value
 * (kept in place, the highest version seen); a budgets change empties its team's counters. Read
 * for every counter missed in one turn by one statement.
 *
 * The generation moves on with each budgets change: it is also where a writer stands before its
 * own spend write (`epoch`, see `emptiedSince`).
 */
export class CountersCache extends CacheUnit<string, Counter | null, ChangeOf<"budgets" | "spend">> {
  /** Counters being read, and those of them evicted meanwhile (such a read is not stored: see read). */
  private readonly loading = new Map<string, number>();
  private readonly evictedWhileLoading = new Set<string>();
  /**
   * The generation at each team's last budgets change (which empties that team's counters), and
   * below `floor` every team's (a clear, or this map grown past its bound): an own spend write is
   * skipped only when its own team's counters were emptied after it started.
   */
  private readonly changed = new Map<string, number>();
  private floor = 0;
  // Stores as it reads (not through `keep`): whether a counter was evicted meanwhile is known only
  // until the read is done.
  private readonly reads = new BatchLoader<string, Counter | null>(
    (keys) => this.read(keys),
    () => this.gen,
  );

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max, (k) => {
      if (this.loading.has(k)) this.evictedWhileLoading.add(k);
    });
  }

  /** Where a writer stands before its write (see `emptiedSince`). */
  get epoch(): number {
    return this.gen;
  }

  /** Whether a budgets change emptied the team's counters since `epoch`. */
  emptiedSince(teamId: string, epoch: number): boolean {
    return epoch < this.floor || (this.changed.get(teamId) ?? 0) > epoch;
  }

  /** A counter changed with its team's budgets (a budgets change empties all of them). */
  protected override changedSince(key: string, gen: number): boolean {
    return gen !== this.gen && this.emptiedSince(key.slice(0, key.indexOf("\u0000")), gen);
  }

  /** Drops a counter's entry (the next read goes to the database). */
  remove(teamId: string, scopeType: string, scopeId: string): void {
    this.map.delete(counterKey(teamId, scopeType, scopeId));
  }

  /**
   * Reads the counters of `keys` the cache lacks and keeps them (unless a spend notification
   * arrived meanwhile, which is newer, or a budgets change came). Returns what it read.
   */
  async loadMissing(keys: string[]): Promise<Map<string, Counter | null>> {
    const read = new Map<string, Counter | null>();
    const missing = keys.filter((k) => !this.map.has(k));
    if (missing.length === 0) return read;
    const values = await Promise.all(missing.map((k) => this.reads.load(k)));
    for (let i = 0; i < missing.length; i++) read.set(missing[i]!, values[i]!);
    return read;
  }

  private async read(keys: string[]): Promise<Map<string, Counter | null>> {
    const gen = this.gen;
    for (const k of keys) this.loading.set(k, (this.loading.get(k) ?? 0) + 1);
    try {
      const wanted = keys.map((k) => k.split("\u0000") as [string, BudgetScope, string]);
      const rows = await this.db
        .select()
        .from(spendCounters)
        .where(or(...wanted.map(([teamId, scopeType, scopeId]) => and(eq(spendCounters.teamId, teamId), eq(spendCounters.scopeType, scopeType), eq(spendCounters.scopeId, scopeId)))));
      const byKey = new Map(rows.map((r) => [counterKey(r.teamId, r.scopeType, r.scopeId), r]));
      const found = new Map<string, Counter | null>();
      for (const k of keys) {
        const row = byKey.get(k) ?? null;
        found.set(k, row);
        // Not stored when a newer value (a spend notification) was cached and then evicted meanwhile.
        if (!this.evictedWhileLoading.has(k) && !this.map.has(k)) this.store(k, row, gen);
      }
      return found;
    } finally {
      for (const k of keys) {
        const n = this.loading.get(k)! - 1;
        if (n > 0) this.loading.set(k, n);
        else {
          this.loading.delete(k);
          this.evictedWhileLoading.delete(k);
        }
      }
    }
  }

  apply(change: ChangeOf<"budgets" | "spend">): void {
    if (change.t === "budgets") {
      this.gen++;
      this.changed.delete(change.teamId);
      this.changed.set(change.teamId, this.gen);
      if (this.changed.size > 10_000) {
        this.changed.clear();
        this.floor = this.gen;
      }
      const prefix = change.teamId + "\u0000";
      for (const k of this.map.keys()) if (k.startsWith(prefix)) this.map.delete(k);
      return;
    }
    if (!this.trust.trusted) return;
    const k = counterKey(change.teamId, change.scopeType, change.scopeId);
    const cur = this.map.get(k);
    // Each instance's notifications come in commit order, but this instance applies its own
    // writes before their notifications arrive: keep the highest version of the row seen.
    if (cur && cur.version >= change.version) return;
    this.map.set(k, {
      teamId: change.teamId,
      scopeType: change.scopeType,
      scopeId: change.scopeId,
      periodStart: change.periodStart,
      periodEnd: change.periodEnd,
      spendMicros: change.spendMicros,
      byokSpendMicros: change.byokSpendMicros,
      alertsSent: change.alertsSent,
      updatedAt: 0,
      version: change.version,
    });
  }

  override clear(): void {
    super.clear();
    this.changed.clear();
    this.floor = this.gen;
  }
}
