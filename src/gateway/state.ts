import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { ApiKeyRow } from "../api-keys/schemas.js";
import type { Database, Db } from "../db/client.js";
import { apiKeys, budgets, spendCounters } from "../db/schema.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import { hasValidChecksum, sha256Hex } from "../lib/secrets.js";
import { DEFAULT_SCOPE_ID, entitiesOf, loadQuotaStates, stateOf, type Budget, type Counter, type Entity, type QuotaState, type Subject } from "../quotas/state.js";
import { loadTeamRules } from "../rules/queries.js";
import type { CompiledRules } from "../rules/resolve.js";

const MAX_KEYS = 100_000;

type Plan = { from: Map<string, Budget>; items: { entity: Entity; budget: Budget; counter: string }[] };
const counterKey = (teamId: string, scopeType: string, scopeId: string) => `${teamId}\u0000${scopeType}\u0000${scopeId}`;
const budgetKey = (scopeType: string, scopeId: string) => `${scopeType}\u0000${scopeId}`;

/**
 * What authorize reads on every request, cached in-process: keys by digest, each team's compiled
 * rules, budgets and spend counters. Every instance applies the changes every other instance
 * publishes (Postgres LISTEN/NOTIFY; in-process on PGlite): invalidations for keys, rules and
 * budgets, new values for spend. While the notification connection is down the cache is not
 * trusted: every read goes to the database, until it listens again and starts from empty.
 *
 * A read that raced with an invalidation of the same kind is not stored (generation check), so
 * the cache never keeps a value older than the last change it was told about.
 */
export class GatewayState {
  private keys = new Map<string, ApiKeyRow>();
  private rules = new Map<string, CompiledRules>();
  private budgets = new Map<string, Map<string, Budget>>();
  private counters = new Map<string, Counter | null>();
  private gen = { keys: 0, rules: 0, budgets: 0 };
  private lastTouch = new Map<string, number>();
  private plans = new Map<string, Plan>();
  /** Whose spend a key's usage counts against: fixed at creation, so cached without invalidation. */
  private subjects = new Map<string, Subject>();
  private trusted = false;
  private listening: boolean;
  private lastBeat = 0;
  private readonly cacheEnabled: boolean;
  /** With a heartbeat: the cache is trusted only while this instance's own pings come back this fast. */
  private readonly staleAfterMs: number | null;
  /** Identifies this instance's heartbeat among every instance's. */
  readonly instanceId = randomUUID();

  constructor(
    private readonly db: Db,
    opts: { cache: boolean; trusted?: boolean; staleAfterMs?: number } = { cache: true },
  ) {
    this.cacheEnabled = opts.cache;
    this.listening = opts.trusted ?? false;
    this.staleAfterMs = opts.staleAfterMs ?? null;
    this.recheck();
  }

  /** True while reads may be served from memory. */
  get isTrusted(): boolean {
    return this.trusted;
  }

  /** From the notification listener: `false` when it lost its connection, `true` when it listens again. */
  setListening(listening: boolean): void {
    this.listening = listening;
    if (!listening) this.lastBeat = 0;
    this.recheck();
  }

  /**
   * Trust the cache only while the listener is connected and (with a heartbeat) its last ping came
   * back recently: a connection that went silent without closing is caught within `staleAfterMs`.
   * Every switch empties the cache, so nothing learned before a gap is served after it.
   */
  recheck(now = Date.now()): void {
    const ok = this.cacheEnabled && this.listening && (this.staleAfterMs === null || now - this.lastBeat <= this.staleAfterMs);
    if (ok !== this.trusted) {
      this.clear();
      this.trusted = ok;
    }
  }

  clear(): void {
    this.keys.clear();
    this.rules.clear();
    this.budgets.clear();
    this.counters.clear();
    this.plans.clear();
    this.gen.keys++;
    this.gen.rules++;
    this.gen.budgets++;
  }

  /** Applies a change published by any instance (including this one). */
  apply(change: Change): void {
    switch (change.t) {
      case "ping":
        if (change.instance === this.instanceId) {
          this.lastBeat = Date.now();
          this.recheck(this.lastBeat);
        }
        return;
      case "key":
        this.gen.keys++;
        this.keys.delete(change.digest);
        return;
      case "rules":
        this.gen.rules++;
        this.rules.delete(change.teamId);
        return;
      case "budgets":
        this.gen.budgets++;
        this.budgets.delete(change.teamId);
        for (const k of this.counters.keys()) if (k.startsWith(change.teamId + "\u0000")) this.counters.delete(k);
        return;
      case "spend": {
        if (!this.trusted) return;
        const k = counterKey(change.teamId, change.scopeType, change.scopeId);
        const cur = this.counters.get(k);
        // Notifications come in commit order; never step back to an older period.
        if (cur && cur.periodStart > change.periodStart) return;
        this.counters.set(k, {
          teamId: change.teamId,
          scopeType: change.scopeType,
          scopeId: change.scopeId,
          periodStart: change.periodStart,
          periodEnd: change.periodEnd,
          spendMicros: change.spendMicros,
          byokSpendMicros: change.byokSpendMicros,
          alertsSent: change.alertsSent,
          updatedAt: 0,
        });
        return;
      }
    }
  }

  onPayload = (payload: string): void => {
    try {
      this.apply(JSON.parse(payload) as Change);
    } catch {
      this.clear(); // an unreadable change: forget everything rather than risk serving stale state
    }
  };

  /**
   * The live (not deleted) key for a presented credential; checksum-checked before any lookup.
   * A cache hit is answered synchronously (no promise), as are `teamRules` and `quotaStates`:
   * authorize runs on every gateway request.
   */
  keyByCredential(credential: string): ApiKeyRow | undefined | Promise<ApiKeyRow | undefined> {
    const digest = sha256Hex(credential);
    if (this.trusted) {
      const hit = this.keys.get(digest);
      if (hit) return hit; // only stored keys are cached: no checksum needed on a hit
    }
    // The checksum spares the database a lookup for a mistyped or invented key.
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    return this.loadKey(digest);
  }

  private async loadKey(digest: string): Promise<ApiKeyRow | undefined> {
    const gen = this.gen.keys;
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.digest, digest), isNull(apiKeys.deletedAt)))
      .limit(1);
    if (row && this.trusted && gen === this.gen.keys) {
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(digest, row);
    }
    return row;
  }

  teamRules(teamId: string): CompiledRules | Promise<CompiledRules> {
    if (this.trusted) {
      const hit = this.rules.get(teamId);
      if (hit) return hit;
    }
    return this.loadRules(teamId);
  }

  private async loadRules(teamId: string): Promise<CompiledRules> {
    const gen = this.gen.rules;
    const compiled = await loadTeamRules(this.db, teamId);
    if (this.trusted && gen === this.gen.rules) this.rules.set(teamId, compiled);
    return compiled;
  }

  /**
   * The budget subject (team, project, creator) of a key by id, deleted keys included: usage of a
   * request admitted before the key was deleted still counts. These fields never change.
   */
  subjectOfKey(keyId: string): Subject | undefined | Promise<Subject | undefined> {
    return this.subjects.get(keyId) ?? this.loadSubject(eq(apiKeys.id, keyId));
  }

  /** The same, for a presented credential (checksum-checked first; deleted keys included). */
  subjectOfCredential(credential: string): Subject | undefined | Promise<Subject | undefined> {
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    return this.loadSubject(eq(apiKeys.digest, sha256Hex(credential)));
  }

  private async loadSubject(where: SQL): Promise<Subject | undefined> {
    const [k] = await this.db
      .select({ keyId: apiKeys.id, teamId: apiKeys.teamId, projectId: apiKeys.projectId, userId: apiKeys.createdBy })
      .from(apiKeys)
      .where(where)
      .limit(1);
    if (!k) return undefined;
    if (this.subjects.size >= MAX_KEYS) this.subjects.delete(this.subjects.keys().next().value!);
    this.subjects.set(k.keyId, k);
    return k;
  }

  /** The budgets in scope of a request and their spend now. */
  quotaStates(s: Subject, now: number): QuotaState[] | Promise<QuotaState[]> {
    if (!this.trusted) return loadQuotaStates(this.db, s, now);
    const cached = this.budgets.get(s.teamId);
    return cached ? this.statesFrom(cached, s, now) : this.teamBudgets(s.teamId).then((b) => this.statesFrom(b, s, now));
  }

  /**
   * The budgets of a subject and the counters they use, worked out once per subject and kept until
   * the team's budgets are reloaded (the plan holds the budgets map it was built from).
   */
  private plan(teamBudgets: Map<string, Budget>, s: Subject): Plan {
    const key = `${s.teamId}|${s.keyId}|${s.projectId}|${s.userId}`;
    const hit = this.plans.get(key);
    if (hit && hit.from === teamBudgets) return hit;
    const items: Plan["items"] = [];
    for (const entity of entitiesOf(s)) {
      const own = teamBudgets.get(budgetKey(entity.scopeType, entity.scopeId));
      const dflt =
        entity.scopeType === "project" || entity.scopeType === "user" ? teamBudgets.get(budgetKey(entity.scopeType, DEFAULT_SCOPE_ID)) : undefined;
      const budget = own && !own.archived ? own : dflt && !dflt.archived ? dflt : own;
      if (budget) items.push({ entity, budget, counter: counterKey(s.teamId, entity.scopeType, entity.scopeId) });
    }
    const plan = { from: teamBudgets, items };
    if (this.plans.size >= MAX_KEYS) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, plan);
    return plan;
  }

  private statesFrom(teamBudgets: Map<string, Budget>, s: Subject, now: number): QuotaState[] | Promise<QuotaState[]> {
    if (teamBudgets.size === 0) return [];
    const { items } = this.plan(teamBudgets, s);
    const result = () => items.map((i) => stateOf(i.entity, i.budget, this.counters.get(i.counter) ?? undefined, now));
    const missing = items.filter((i) => !this.counters.has(i.counter));
    if (missing.length === 0) return result();
    return this.loadCounters(s.teamId, missing).then(result);
  }

  private async loadCounters(teamId: string, missing: { entity: Entity }[]): Promise<void> {
    const rows = await this.db
      .select()
      .from(spendCounters)
      .where(
        and(
          eq(spendCounters.teamId, teamId),
          or(...missing.map(({ entity }) => and(eq(spendCounters.scopeType, entity.scopeType), eq(spendCounters.scopeId, entity.scopeId)))),
        ),
      );
    for (const { entity } of missing) {
      const k = counterKey(teamId, entity.scopeType, entity.scopeId);
      // A spend notification that arrived meanwhile is newer than this read: keep it.
      if (!this.counters.has(k) && this.trusted) {
        this.counters.set(k, rows.find((r) => r.scopeType === entity.scopeType && r.scopeId === entity.scopeId) ?? null);
      }
    }
  }

  private async teamBudgets(teamId: string): Promise<Map<string, Budget>> {
    const hit = this.budgets.get(teamId);
    if (hit) return hit;
    const gen = this.gen.budgets;
    const rows = await this.db.select().from(budgets).where(eq(budgets.teamId, teamId));
    const map = new Map(rows.map((b) => [budgetKey(b.scopeType, b.scopeId), b]));
    if (this.trusted && gen === this.gen.budgets) this.budgets.set(teamId, map);
    return map;
  }

  /**
   * Keeps `activeAt` current without a write on every call: at most one write a minute per key
   * per instance, not awaited by the request.
   */
  touch(key: ApiKeyRow, now: number, granularityMs: number, onError: (e: unknown) => void): void {
    const last = Math.max(key.activeAt, this.lastTouch.get(key.id) ?? 0);
    if (now - last < granularityMs) return;
    this.lastTouch.set(key.id, now);
    this.db
      .update(apiKeys)
      .set({ activeAt: now })
      .where(and(eq(apiKeys.id, key.id), lt(apiKeys.activeAt, now)))
      .then(
        () => {},
        (e) => onError(e),
      );
  }
}

/**
 * A cached GatewayState kept current by the database's change notifications. Until the listener
 * is up (and whenever it is down) the state reads through to the database.
 */
export const HEARTBEAT_MS = 20;
export const STALE_AFTER_MS = 100;

/**
 * A cached GatewayState kept current by the database's change notifications. Until the listener
 * is up (and whenever it is down) the state reads through to the database. On Postgres a
 * heartbeat (a ping this instance sends itself through NOTIFY every 20 ms) must come back within
 * 100 ms, or the cache stops being trusted: a silently dead listening connection is caught as
 * fast as a closed one. PGlite is in-process and needs none.
 */
export async function startGatewayState(
  database: Database,
  opts: { heartbeatMs?: number; staleAfterMs?: number } = {},
): Promise<{ state: GatewayState; close(): Promise<void> }> {
  const heartbeat = database.kind === "postgres";
  const staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  const state = new GatewayState(database.db, { cache: true, trusted: false, staleAfterMs: heartbeat ? staleAfterMs : undefined });
  const sub = await database.listen(CHANGES_CHANNEL, state.onPayload, (listening) => state.setListening(listening));
  let timer: NodeJS.Timeout | undefined;
  if (heartbeat) {
    const ping = JSON.stringify({ t: "ping", instance: state.instanceId } satisfies Change);
    const beat = () => {
      state.recheck();
      database.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${ping})`).catch(() => state.recheck());
    };
    beat();
    timer = setInterval(beat, opts.heartbeatMs ?? HEARTBEAT_MS);
    timer.unref();
    // Start trusted as soon as the first ping is back, rather than at the next tick.
    for (let i = 0; i < 50 && !state.isTrusted; i++) await new Promise((r) => setTimeout(r, 2));
  }
  return {
    state,
    close: async () => {
      if (timer) clearInterval(timer);
      await sub.close();
    },
  };
}
