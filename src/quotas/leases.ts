import { and, eq, gt, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { budgetLeases, budgets, spendCounters } from "../db/schema.js";
import { ApiError } from "../http/errors.js";
import { systemClock, type Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { notifyChange, type Change } from "../events/changes.js";
import type { TokenHold } from "../ratelimit/limits.js";
import { microsToDollars } from "./money.js";
import { effectiveSpend, quotaEntityId, stateOf, type Budget, type Entity } from "./state.js";

/**
 * Hard budgets by reservation, across instances, without a database round trip per request.
 *
 * Each instance holds a LEASE on each hard budget it serves: an amount of the budget written in
 * `budget_leases`. The database keeps, for every hard budget,
 *
 *     spend + Σ(unexpired leases of the current period) ≤ limit
 *
 * because a lease is only written under the budget row's lock (`FOR NO KEY UPDATE`: lease writes
 * of every instance serialize; usage writes, which take `FOR KEY SHARE`, do not wait), with an
 * amount no larger than `limit − spend − Σ(other instances' unexpired leases)`.
 *
 * An instance admits a request, in memory and synchronously, only if the request's worst case
 * fits in what its lease has free: `granted − reserved − spent since the last write`. When it
 * ends, the reservation is replaced by the real cost, which stays counted against the lease
 * (`spentPending`, then `spentCommitted` once the usage statement committed) until the next
 * lease write subtracts the committed part from the lease: between the usage commit and that
 * write the cost counts twice (in spend and in the lease), which only errs on the safe side.
 * So at every instant: Σ(worst cases admitted and not yet recorded) + spend ≤ spend +
 * Σ leases ≤ limit. See docs/budgets.md for the whole argument and its assumptions.
 *
 * Lease writes happen when a lease runs short (refill: at least what the request needs and half
 * of what is left), when it nears expiry (renewal), and when it has been idle (return). While a
 * write is under way, admissions on that lease wait for it. A lease expires `LEASE_TTL_MS` after
 * its last write: an instance that dies frees its leases within that time.
 */

/** A lease is valid this long after its last write. */
export const LEASE_TTL_MS = 30_000;
/** A lease is renewed once less than this is left of it (before admitting on it). */
export const LEASE_RENEW_BEFORE_MS = LEASE_TTL_MS / 2;
/** A refill takes at least what is needed and this share of what the budget has left. */
export const LEASE_FRACTION = 0.5;
/** A lease unused this long is given back. */
export const LEASE_IDLE_MS = 10_000;
/** A reservation never settled (a data plane that never reported its usage) is released after this. */
export const RESERVATION_TTL_MS = 15 * 60_000;
/** How often the background sweep runs (real time). */
const SWEEP_MS = 2_000;

type Lease = {
  teamId: string;
  entity: Entity;
  /** The budget row the lease was last written under (a reload of the team's budgets replaces it: the next admission writes again). */
  budget: Budget;
  periodStart: number | null;
  /** The end of that period (null: never): past it, the lease is written again before any admission. */
  periodEnd: number | null;
  /** The amount as written in the database. */
  granted: number;
  /** Worst cases of requests admitted and not yet ended. */
  reserved: number;
  /** Real costs of ended requests whose usage write has not committed yet. */
  spentPending: number;
  /** Real costs committed to spend and not yet subtracted from `granted`. */
  spentCommitted: number;
  expiresAt: number;
  lastUsed: number;
  /** The budget is no longer hard (edited or removed): nothing to reserve until the budget cache reloads. */
  open: boolean;
  syncing: Promise<void> | null;
  /** Removed from the instance's leases (idle): a new one is made on the next use. */
  dropped: boolean;
  /** The last refill found less room in the budget than it needed. */
  exhausted: boolean;
  /** The budget's spend as the last write read it (for the 402's message). */
  spent: number | null;
};

/** The same budget row, unchanged (the cache may hand out a fresh object for the same row). */
const sameBudget = (a: Budget, b: Budget) => a === b || (a.id === b.id && a.updatedAt === b.updatedAt && a.limitMicros === b.limitMicros && a.enforcement === b.enforcement);

const free = (l: Lease) => (l.open ? Infinity : l.granted - l.reserved - l.spentPending - l.spentCommitted);

/** One request's reservation on its hard budgets. */
export type Reservation = {
  teamId: string;
  requestId: string | null;
  micros: number;
  /** The leases it holds `micros` on (one per hard budget in scope)... */
  leases: Lease[];
  /** ...but not those that were open when it was taken (bit i: `leases[i]` holds `micros`; at most four budgets are in scope). */
  charged: number;
  createdAt: number;
  done: boolean;
  /** Its index in the open reservations (-1 once ended). */
  slot: number;
  /** Tokens reserved on the key's `tokensPerMinute` under the same request (settled by the usage report). */
  tokens: TokenHold | null;
};

/** 402 for a request whose worst case does not fit in a hard budget. */
export function worstCaseError(entity: Entity, budget: Budget, micros: number, spent: number | null): ApiError {
  return new ApiError(
    "quota_for_entity_exceeded",
    `This request's worst case ($${microsToDollars(micros)}: its input and the most output it may produce) does not fit in what is left of the ${entity.scopeType.replace("_", " ")}'s hard budget.`,
    {
      param: {
        scope: entity.scopeType,
        quotaEntityId: quotaEntityId(entity),
        limitAmount: microsToDollars(budget.limitMicros),
        ...(spent === null ? {} : { currentSpend: microsToDollars(spent) }),
        worstCase: microsToDollars(micros),
        enforcement: "hard",
      },
    },
  );
}

export class BudgetLeases {
  private leases = new Map<string, Lease>();
  private byItem = new WeakMap<object, Lease>();
  /** Reservations by team, then by requestId (no key string made per request). */
  private byRequest = new Map<string, Map<string, Reservation>>();
  /** The open reservations, each at its `slot` (removed by moving the last into its place: no hashing per request). */
  private open: Reservation[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private clock: Clock | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    readonly instanceId: string,
    private readonly log?: Logger,
  ) {}

  /** Reservations not yet settled nor released (every request ends its own: tests check none is left behind). */
  get openReservations(): number {
    return this.open.length;
  }

  /**
   * Reserves `micros` on each hard budget of `items` (all or none), under `requestId` when given
   * (settled later by `settleRequest`). Synchronous while every lease has room; throws the 402 of
   * the first budget it does not fit.
   */
  reserve(teamId: string, items: { entity: Entity; budget: Budget }[], micros: number, requestId: string | null, clock: Clock): Reservation | Promise<Reservation> {
    this.clock ??= clock;
    const now = clock.now();
    if (requestId !== null) {
      // The same requestId authorized again (a retry): its older reservation goes first, so that
      // the new one needs room for itself only.
      const prior = this.byRequest.get(teamId)?.get(requestId);
      if (prior) this.release(prior);
    }
    const leases: Lease[] = new Array(items.length);
    let fits = true;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      // The view's items are stable objects while the view is cached: their lease is found without a key.
      let l = this.byItem.get(item);
      if (l === undefined || l.dropped) {
        l = this.leaseFor(teamId, item.entity, item.budget, now);
        this.byItem.set(item, l);
      }
      leases[i] = l;
      fits &&= this.usable(l, item, now) && free(l) >= micros;
    }
    if (fits) return this.take(teamId, leases, micros, requestId, now);
    return this.reserveSlow(teamId, items, leases, micros, requestId, clock);
  }

  private async reserveSlow(teamId: string, items: { entity: Entity; budget: Budget }[], leases: Lease[], micros: number, requestId: string | null, clock: Clock): Promise<Reservation> {
    for (let attempt = 0; attempt < 16; attempt++) {
      for (let n = 0; n < leases.length; n++) {
        const l = leases[n]!;
        const item = items[n]!;
        if (l.syncing) await l.syncing.catch(() => {});
        const now = clock.now();
        if (this.usable(l, item, now) && free(l) >= micros) continue;
        l.budget = item.budget;
        await this.sync(l, { need: micros }, now);
        // Refused only when the budget itself has no room left for it (not when other requests
        // took this lease's refill first: then it is refilled again).
        if (free(l) < micros && l.exhausted) throw worstCaseError(l.entity, l.budget, micros, l.spent);
      }
      const now = clock.now();
      if (leases.every((l, n) => this.usable(l, items[n]!, now) && free(l) >= micros)) return this.take(teamId, leases, micros, requestId, now);
    }
    throw worstCaseError(leases[0]!.entity, leases[0]!.budget, micros, null);
  }

  private usable(l: Lease, item: { budget: Budget }, now: number): boolean {
    return (
      l.syncing === null &&
      sameBudget(l.budget, item.budget) &&
      (l.open || (now < l.expiresAt - LEASE_RENEW_BEFORE_MS && (l.periodEnd === null || now < l.periodEnd)))
    );
  }

  private take(teamId: string, leases: Lease[], micros: number, requestId: string | null, now: number): Reservation {
    // Few objects per reservation (it lives as long as the request, so it outlives the young
    // generation): the leases array is the one `reserve` built, the charged ones a bit mask.
    let charged = 0;
    for (let i = 0; i < leases.length; i++) {
      const l = leases[i]!;
      if (!l.open) {
        l.reserved += micros;
        charged |= 1 << i;
      }
      l.lastUsed = now;
    }
    const r: Reservation = { teamId, requestId, micros, leases, charged, createdAt: now, done: false, slot: this.open.length, tokens: null };
    this.open.push(r);
    if (requestId !== null) {
      let team = this.byRequest.get(teamId);
      if (team === undefined) this.byRequest.set(teamId, (team = new Map()));
      const prior = team.get(requestId);
      team.set(requestId, r);
      if (prior) this.release(prior); // the same requestId authorized again: its older reservation goes
    }
    this.startSweeper();
    return r;
  }

  /**
   * Replaces a reservation by the request's real cost. `committed` resolves once the usage write
   * that adds `costMicros` to spend committed (or failed: then it counts as committed too, which
   * errs on the safe side). Idempotent.
   */
  settle(r: Reservation, costMicros: number, committed: Promise<unknown>): void {
    if (r.done) return;
    this.finish(r);
    const cost = Math.max(0, costMicros);
    const charged = r.leases.filter((l) => !l.open);
    for (const l of charged) l.spentPending += cost;
    const move = () => {
      for (const l of charged) {
        l.spentPending -= cost;
        l.spentCommitted += cost;
      }
    };
    committed.then(move, move);
  }

  /** Releases a reservation that cost nothing (the request never reached the provider). */
  release(r: Reservation): void {
    if (r.done) return;
    this.finish(r);
  }

  /**
   * Settles the reservation made under `requestId` on this instance, if any: the usage report of
   * an external data plane. Another instance's reservation is settled by its own notification.
   */
  settleRequest(teamId: string, requestId: string, costMicros: number, committed: Promise<unknown>): Reservation | null {
    const r = this.byRequest.get(teamId)?.get(requestId);
    if (!r) return null;
    this.settle(r, costMicros, committed);
    return r;
  }

  private finish(r: Reservation): void {
    r.done = true;
    for (let i = 0; i < r.leases.length; i++) if (r.charged & (1 << i)) r.leases[i]!.reserved -= r.micros;
    const last = this.open.pop()!;
    if (last !== r) {
      this.open[r.slot] = last;
      last.slot = r.slot;
    }
    r.slot = -1;
    if (r.requestId !== null) {
      const team = this.byRequest.get(r.teamId);
      if (team !== undefined && team.get(r.requestId) === r) {
        team.delete(r.requestId);
        if (team.size === 0) this.byRequest.delete(r.teamId);
      }
    }
  }

  private leaseFor(teamId: string, entity: Entity, budget: Budget, now: number): Lease {
    const k = leaseKey(teamId, entity);
    let l = this.leases.get(k);
    if (!l) {
      l = { teamId, entity, budget, periodStart: null, periodEnd: null, granted: 0, reserved: 0, spentPending: 0, spentCommitted: 0, expiresAt: -Infinity, lastUsed: now, open: false, syncing: null, exhausted: false, spent: null, dropped: false };
      this.leases.set(k, l);
    }
    return l;
  }

  private sync(l: Lease, mode: { need: number } | "renew" | "return", now: number): Promise<void> {
    if (l.syncing) return l.syncing;
    const p = this.write(l, mode, now).finally(() => {
      l.syncing = null;
    });
    l.syncing = p;
    return p;
  }

  /** One lease write, in one transaction under the budget row's lock (see the class comment). */
  private async write(l: Lease, mode: { need: number } | "renew" | "return", now: number): Promise<void> {
    const committed = l.spentCommitted;
    const outcome = await this.db.transaction(async (tx) => {
      const [b] = await tx.select().from(budgets).where(eq(budgets.id, l.budget.id)).for("no key update");
      const key = and(eq(budgetLeases.teamId, l.teamId), eq(budgetLeases.scopeType, l.entity.scopeType), eq(budgetLeases.scopeId, l.entity.scopeId));
      const mine = and(key, eq(budgetLeases.instanceId, this.instanceId));
      if (!b || b.enforcement !== "hard" || !b.active || b.archived) {
        await tx.delete(budgetLeases).where(mine);
        return { open: true as const };
      }
      const [counter] = await tx
        .select()
        .from(spendCounters)
        .where(and(eq(spendCounters.teamId, l.teamId), eq(spendCounters.scopeType, l.entity.scopeType), eq(spendCounters.scopeId, l.entity.scopeId)));
      const st = stateOf(l.entity, b, counter, now);
      const [others] = await tx
        .select({ sum: sql<string>`coalesce(sum(${budgetLeases.amountMicros}), 0)` })
        .from(budgetLeases)
        .where(and(key, ne(budgetLeases.instanceId, this.instanceId), eq(budgetLeases.periodStart, st.periodStart), gt(budgetLeases.expiresAt, now)));
      // Decided on the values as they are now (admissions on this lease wait for this write).
      const inflight = l.reserved + l.spentPending;
      const samePeriod = l.periodStart === st.periodStart && l.expiresAt > now;
      const held = samePeriod ? l.granted - committed : inflight;
      const avail = b.limitMicros - effectiveSpend(st) - Number(others!.sum);
      // A refill the budget has no room for takes nothing more (a refused request must not hoard).
      const exhausted = typeof mode === "object" && avail - inflight < mode.need;
      const target =
        mode === "return" ? inflight : mode === "renew" || exhausted ? held : Math.max(held, inflight + Math.max(mode.need, Math.ceil((avail - inflight) * LEASE_FRACTION)));
      const amount = Math.max(inflight, Math.min(avail, target));
      const expiresAt = now + LEASE_TTL_MS;
      if (amount === 0 && mode === "return") await tx.delete(budgetLeases).where(mine);
      else
        await tx
          .insert(budgetLeases)
          .values({ teamId: l.teamId, scopeType: l.entity.scopeType, scopeId: l.entity.scopeId, instanceId: this.instanceId, periodStart: st.periodStart, amountMicros: amount, expiresAt })
          .onConflictDoUpdate({
            target: [budgetLeases.teamId, budgetLeases.scopeType, budgetLeases.scopeId, budgetLeases.instanceId],
            set: { periodStart: st.periodStart, amountMicros: amount, expiresAt },
          });
      const leased: Change = { t: "leased", teamId: l.teamId, scopeType: l.entity.scopeType, scopeId: l.entity.scopeId, periodStart: st.periodStart, micros: Number(others!.sum) + amount };
      await notifyChange(tx, leased);
      return { open: false as const, amount, expiresAt, periodStart: st.periodStart, periodEnd: st.periodEnd, exhausted, spent: effectiveSpend(st) };
    });
    l.spentCommitted -= committed;
    if (outcome.open) {
      l.open = true;
      l.granted = 0;
      l.expiresAt = -Infinity;
      return;
    }
    l.open = false;
    l.exhausted = outcome.exhausted;
    l.spent = outcome.spent;
    l.granted = outcome.amount;
    l.expiresAt = outcome.expiresAt;
    l.periodStart = outcome.periodStart;
    l.periodEnd = outcome.periodEnd;
  }

  /** Renews leases in use that near their expiry, gives back idle ones, releases reservations never settled. */
  async sweep(now: number = (this.clock ?? systemClock).now()): Promise<void> {
    // From the end: a release moves the last one into its place, which was seen already.
    for (let i = this.open.length - 1; i >= 0; i--) {
      const r = this.open[i]!;
      if (now - r.createdAt > RESERVATION_TTL_MS) this.release(r);
    }
    for (const [k, l] of this.leases) {
      if (l.syncing || l.open) {
        if (l.open && l.reserved === 0 && now - l.lastUsed > LEASE_IDLE_MS) this.drop(k, l);
        continue;
      }
      const inUse = l.reserved + l.spentPending > 0;
      try {
        if (!inUse && now - l.lastUsed > LEASE_IDLE_MS) {
          if (l.granted > 0 || l.spentCommitted > 0) await this.sync(l, "return", now);
          if (l.reserved + l.spentPending === 0 && !l.syncing) this.drop(k, l);
        } else if (inUse && now >= l.expiresAt - LEASE_RENEW_BEFORE_MS) {
          await this.sync(l, "renew", now);
        } else if (l.spentCommitted > 0 && now >= l.expiresAt - LEASE_RENEW_BEFORE_MS) {
          await this.sync(l, "renew", now);
        }
      } catch (err) {
        this.log?.error("budget lease write failed", { error: String(err) });
      }
    }
    if (this.open.length === 0 && this.leases.size === 0) this.stopSweeper();
  }

  private drop(k: string, l: Lease): void {
    l.dropped = true;
    this.leases.delete(k);
  }

  private startSweeper(): void {
    if (this.sweeper || this.closed) return;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Stops every background write without giving anything back: what a killed instance does (tests). */
  halt(): void {
    this.closed = true;
    this.stopSweeper();
  }

  /** Gives back every lease not in use (shutdown); in-use ones expire. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopSweeper();
    const now = (this.clock ?? systemClock).now();
    for (const l of this.leases.values()) {
      if (l.open || l.syncing || l.reserved + l.spentPending > 0) continue;
      try {
        await this.sync(l, "return", now);
      } catch {
        // expires by itself
      }
    }
  }
}

const leaseKey = (teamId: string, e: Entity) => `${teamId}\u0000${e.scopeType}\u0000${e.scopeId}`;

/**
 * Sets `reservedMicros` on the states of hard budgets: Σ of the unexpired leases of their current
 * period (one query, only when one of them is hard).
 */
export async function withReserved<T extends { entity: Entity; budget: Budget; periodStart: number; reservedMicros?: number }>(db: Db, teamId: string, states: T[], now: number): Promise<T[]> {
  const hard = states.filter((s) => s.budget.enforcement === "hard");
  if (hard.length === 0) return states;
  const sums = await reservedMicros(db, teamId, hard, now);
  for (const s of hard) s.reservedMicros = sums.get(`${s.entity.scopeType}\u0000${s.entity.scopeId}`) ?? 0;
  return states;
}

/** Σ of unexpired leases of each budget's current period, for the quota views (one query). */
export async function reservedMicros(db: Db, teamId: string, entities: { entity: Entity; periodStart: number }[], now: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (entities.length === 0) return out;
  const rows = await db
    .select({ scopeType: budgetLeases.scopeType, scopeId: budgetLeases.scopeId, periodStart: budgetLeases.periodStart, amount: budgetLeases.amountMicros })
    .from(budgetLeases)
    .where(and(eq(budgetLeases.teamId, teamId), gt(budgetLeases.expiresAt, now)));
  for (const { entity, periodStart } of entities) {
    const sum = rows.filter((r) => r.scopeType === entity.scopeType && r.scopeId === entity.scopeId && r.periodStart === periodStart).reduce((a, r) => a + r.amount, 0);
    out.set(`${entity.scopeType}\u0000${entity.scopeId}`, sum);
  }
  return out;
}
