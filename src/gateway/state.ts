import { randomUUID } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { ApiKeyRow } from "../api-keys/schemas.js";
import { executePrepared, preparedPer, type Database, type Db } from "../db/client.js";
import { apiKeys, budgets, memberships, oidcSigningKeys, projects, spendCounters } from "../db/schema.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import { systemClock } from "../lib/clock.js";
import { hasValidChecksum, sha256Hex } from "../lib/secrets.js";
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
} from "../quotas/state.js";
import { BoundedMap } from "../lib/bounded-map.js";
import type { Logger } from "../lib/logger.js";
import { TeamByok } from "../byok/cache.js";
import { loadTeamsGatewayCredentials, type CredentialOpener } from "../byok/queries.js";
import { loadTeamsRules } from "../rules/queries.js";
import { BatchLoader } from "../lib/batch-loader.js";
import { anyOf } from "../db/any-of.js";
import type { CompiledRules } from "../rules/resolve.js";
import { BudgetLeases } from "../quotas/leases.js";

/** The default of `TOLLGATE_CACHE_MAX_KEYS`. */
export const MAX_KEYS = 100_000;

/**
 * The budgets in scope of a key's requests and their state, as authorize answers them. Computed
 * once and reused while nothing it was computed from changed (see `quotaView`).
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
/** The Σ of a hard budget's leases as the last lease write (of any instance) published it. */
type Leased = { periodStart: number; micros: number };
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
const memberKey = (teamId: string, userId: string) => `${teamId}\u0000${userId}`;
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
  // Each bounded (TOLLGATE_CACHE_MAX_KEYS, least recently used out): memory does not grow with the
  // number of keys, teams or counters in the database.
  private keys: BoundedMap<string, ApiKeyRow>;
  private rules: BoundedMap<string, CompiledRules>;
  private budgets: BoundedMap<string, Map<string, Budget>>;
  private counters: BoundedMap<string, Counter | null>;
  private leased: BoundedMap<string, Leased>;
  private gen = { keys: 0, rules: 0, budgets: 0, byok: 0, members: 0, oidcKeys: 0 };
  /**
   * The budgets generation at each team's last budgets change (which empties that team's counters),
   * and below `budgetsFloor` every team's (a clear, or this map grown past its bound): an own spend
   * write is skipped only when its own team's counters were emptied after it started.
   */
  private budgetsChanged = new Map<string, number>();
  private budgetsFloor = 0;
  /** Each team's enabled BYOK credentials, decrypted: the only place decrypted secrets live. */
  private byok: BoundedMap<string, TeamByok>;
  /** A key's current digest → its previous secret's digest, for the keys cached under the latter (grace period of a roll). */
  private previousOf: BoundedMap<string, string>;
  /** The team of each live project (OIDC tokens name a project; a deleted one stops authorizing). */
  private projectTeams: BoundedMap<string, string>;
  /**
   * Each membership's `token_epoch` by team and user, null for no membership: an OIDC token a
   * member minted authorizes only while its epoch is the membership's (see `memberEpoch`).
   */
  private memberEpochs: BoundedMap<string, string | null>;
  /** The kids of revoked OIDC signing keys (a rotation with `revokePrevious`), once read. */
  private revokedKids: Set<string> | undefined;
  /** Counters being read, and those of them evicted meanwhile (such a read is not stored: see loadCounters). */
  private countersLoading = new Map<string, number>();
  private countersEvictedWhileLoading = new Set<string>();
  private lastTouch: BoundedMap<string, number>;
  /** activeAt writes waiting for the next batched UPDATE (see touch). */
  private pendingTouches = new Map<string, number>();
  private touchFlush: NodeJS.Timeout | undefined;
  /** Keys to read in the next batched lookup (see loadKey), with whoever waits for each. */
  private keyLoads = new Map<string, { now: number; resolve(row: ApiKeyRow | undefined): void; reject(e: unknown): void }[]>();
  private keyReadsInFlight = 0;
  private keyReadScheduled = false;
  /**
   * A team's first touch: its rules, budgets and BYOK credentials, each read for every team missed
   * in one event-loop turn by one statement (and, for a key read from the database, started as
   * soon as the key is known, all three at once), a read under way shared by whoever needs it.
   */
  private readonly rulesLoader = new BatchLoader<string, CompiledRules>(async (teamIds) => {
    const gen = this.gen.rules;
    const found = await loadTeamsRules(this.db, teamIds);
    if (this.trusted && gen === this.gen.rules) for (const [teamId, compiled] of found) this.rules.set(teamId, compiled);
    return found;
  }, () => this.gen.rules);
  private readonly budgetsLoader = new BatchLoader<string, Map<string, Budget>>(async (teamIds) => {
    const gen = this.gen.budgets;
    const rows = await teamsBudgets(this.db).execute({ teams: JSON.stringify(teamIds) });
    const found = new Map<string, Map<string, Budget>>(teamIds.map((t) => [t, new Map()]));
    for (const b of rows) found.get(b.teamId)?.set(budgetKey(b.scopeType, b.scopeId), b);
    if (this.trusted && gen === this.gen.budgets) for (const [teamId, map] of found) this.budgets.set(teamId, map);
    return found;
  }, () => this.gen.budgets);
  /** What BYOK reads decrypt with (the app's keyring and log), from the first caller. */
  private byokDeps: CredentialOpener | undefined;
  private readonly byokLoader = new BatchLoader<string, TeamByok>(async (teamIds) => {
    const gen = this.gen.byok;
    const loaded = await loadTeamsGatewayCredentials(this.db, this.byokDeps!, teamIds);
    const found = new Map([...loaded].map(([teamId, list]) => [teamId, new TeamByok(list)]));
    if (this.trusted && gen === this.gen.byok) for (const [teamId, team] of found) this.byok.set(teamId, team);
    return found;
  }, () => this.gen.byok);
  /** By key row (or OIDC token subject): a row is replaced when its key changes or the cache is emptied. */
  private plans = new WeakMap<object, Plan>();
  /** Whose spend a key's usage counts against: fixed at creation, so cached without invalidation. */
  private subjects: BoundedMap<string, Subject>;
  private trusted = false;
  private listening: boolean;
  private lastBeat = 0;
  private readonly cacheEnabled: boolean;
  /** With a heartbeat: the cache is trusted only while this instance's own pings come back this fast. */
  private readonly staleAfterMs: number | null;
  /** Identifies this instance's heartbeat among every instance's. */
  readonly instanceId = randomUUID();
  /** This instance's leases on hard budgets and the reservations made on them. */
  readonly leases: BudgetLeases;
  /** Key lookups answered from memory and from the database (for /metrics). */
  readonly cacheStats = { hits: 0, misses: 0 };

  constructor(
    private readonly db: Db,
    opts: { cache: boolean; trusted?: boolean; staleAfterMs?: number; maxKeys?: number } = { cache: true },
  ) {
    const max = opts.maxKeys ?? MAX_KEYS;
    this.keys = new BoundedMap(max);
    this.rules = new BoundedMap(max);
    this.budgets = new BoundedMap(max);
    this.counters = new BoundedMap(max * 2, (k) => {
      if (this.countersLoading.has(k)) this.countersEvictedWhileLoading.add(k);
    });
    this.subjects = new BoundedMap(max);
    this.leased = new BoundedMap(max);
    this.byok = new BoundedMap(max);
    this.previousOf = new BoundedMap(max);
    this.projectTeams = new BoundedMap(max);
    this.memberEpochs = new BoundedMap(max);
    this.lastTouch = new BoundedMap(max);
    this.cacheEnabled = opts.cache;
    this.leases = new BudgetLeases(db, this.instanceId);
    this.listening = opts.trusted ?? false;
    this.staleAfterMs = opts.staleAfterMs ?? null;
    this.recheck();
  }

  /** True while the change listener is connected. */
  get isListening(): boolean {
    return this.listening;
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
   * Every switch empties the cache, so nothing learned before a gap is served after it. Measured
   * on the system clock: a connection's liveness is real elapsed time, whatever clock the app uses.
   */
  recheck(now = systemClock.now()): void {
    const ok = this.cacheEnabled && this.listening && (this.staleAfterMs === null || now - this.lastBeat <= this.staleAfterMs);
    if (ok !== this.trusted) {
      this.clear();
      this.trusted = ok;
    }
  }

  clear(): void {
    this.keys.clear();
    this.previousOf.clear();
    this.rules.clear();
    this.budgets.clear();
    this.counters.clear();
    this.leased.clear();
    this.byok.clear();
    this.gen.byok++;
    this.projectTeams.clear();
    this.memberEpochs.clear();
    this.revokedKids = undefined;
    this.gen.members++;
    this.gen.oidcKeys++;
    this.gen.keys++;
    this.gen.rules++;
    this.gen.budgets++;
    this.budgetsChanged.clear();
    this.budgetsFloor = this.gen.budgets;
  }

  /**
   * Sets `reservedMicros` on hard budgets' states: Σ of their leases as the last lease write this
   * instance learned of published it (what authorize's answer shows too).
   */
  withLeased(states: QuotaState[]): QuotaState[] {
    for (const st of states) {
      if (st.budget.enforcement !== "hard") continue;
      const l = this.leased.get(counterKey(st.budget.teamId, st.entity.scopeType, st.entity.scopeId));
      st.reservedMicros = l !== undefined && l.periodStart === st.periodStart ? l.micros : 0;
    }
    return states;
  }

  /** Applies a change published by any instance (including this one). */
  /** Where a writer stands before its write: pass it to `applyOwn` once the write committed. */
  get spendEpoch(): number {
    return this.gen.budgets;
  }

  /**
   * Applies this instance's own committed spend write at once (its notification comes later, for
   * the other instances). Skipped when a budgets change emptied the team's counters meanwhile: the
   * notifications of everything committed after this write may already have been applied, and an
   * own write applied late would put an older value back (the next read goes to the database).
   * Only that team's change counts (another team's leaves this team's cached counter in place), and
   * a skipped write drops the counter's entry, so it is never left at its value before the spend.
   */
  applyOwn(change: Change, epoch: number): void {
    if (change.t === "spend" && (epoch < this.budgetsFloor || (this.budgetsChanged.get(change.teamId) ?? 0) > epoch)) {
      this.counters.delete(counterKey(change.teamId, change.scopeType, change.scopeId)); // read afresh
      return;
    }
    this.apply(change);
  }

  apply(change: Change): void {
    switch (change.t) {
      case "ping":
        if (change.instance === this.instanceId) {
          this.lastBeat = systemClock.now();
          this.recheck(this.lastBeat);
        }
        return;
      case "key": {
        this.gen.keys++;
        this.keys.delete(change.digest);
        if (change.keyId !== undefined) this.subjects.delete(change.keyId);
        // Every change of a key names its current digest: drop its previous secret's entry too.
        const previous = this.previousOf.get(change.digest);
        if (previous !== undefined) {
          this.keys.delete(previous);
          this.previousOf.delete(change.digest);
        }
        return;
      }
      case "project":
        this.gen.keys++;
        this.projectTeams.delete(change.projectId);
        return;
      case "member":
        this.gen.members++;
        this.memberEpochs.delete(memberKey(change.teamId, change.userId));
        return;
      case "oidc_keys":
        this.gen.oidcKeys++;
        this.revokedKids = undefined;
        return;
      case "rules":
        this.gen.rules++;
        this.rules.delete(change.teamId);
        return;
      case "byok":
        this.gen.byok++;
        this.byok.delete(change.teamId);
        return;
      case "budgets":
        this.gen.budgets++;
        this.budgetsChanged.delete(change.teamId);
        this.budgetsChanged.set(change.teamId, this.gen.budgets);
        if (this.budgetsChanged.size > 10_000) {
          this.budgetsChanged.clear();
          this.budgetsFloor = this.gen.budgets;
        }
        this.budgets.delete(change.teamId);
        for (const k of this.counters.keys()) if (k.startsWith(change.teamId + "\u0000")) this.counters.delete(k);
        return;
      case "leased":
        if (this.trusted) this.leased.set(counterKey(change.teamId, change.scopeType, change.scopeId), { periodStart: change.periodStart, micros: change.micros });
        return;
      case "settled":
        // Committed before it was published: the reservation becomes that cost.
        this.leases.settleRequest(change.teamId, change.requestId, change.micros, Promise.resolve());
        return;
      case "spend": {
        if (!this.trusted) return;
        const k = counterKey(change.teamId, change.scopeType, change.scopeId);
        const cur = this.counters.get(k);
        // Each instance's notifications come in commit order, but this instance applies its own
        // writes before their notifications arrive: keep the highest version of the row seen.
        if (cur && cur.version >= change.version) return;
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
          version: change.version,
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
   * The live (not deleted) key for a presented credential at `now` (the app's clock); checksum-checked
   * before any lookup. A cache hit is answered synchronously (no promise), as are `teamRules` and
   * `quotaStates`: authorize runs on every gateway request.
   */
  keyByCredential(credential: string, now: number = systemClock.now()): ApiKeyRow | undefined | Promise<ApiKeyRow | undefined> {
    const digest = sha256Hex(credential);
    if (this.trusted) {
      const hit = this.keys.get(digest);
      if (hit) {
        this.cacheStats.hits++;
        // Only stored keys are cached: no checksum needed on a hit. A previous secret (kept after a
        // roll) is accepted until its grace period ends, to the millisecond, with no notification.
        return hit.digest === digest || hit.previousDigestExpiresAt! > now ? hit : undefined;
      }
    }
    this.cacheStats.misses++;
    // The checksum spares the database a lookup for a mistyped or invented key.
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    return this.loadKey(digest, now);
  }

  /**
   * A key's first touch: one indexed read by digest. Misses share reads as commits share a group
   * commit: the misses of one event-loop turn go in one read (`digest = any(…)`), and while
   * KEY_READS_IN_FLIGHT reads are under way the next misses wait for one of them to finish and go
   * together in the next. Under a burst of new keys a read then carries many keys, not one each.
   */
  private loadKey(digest: string, now: number): Promise<ApiKeyRow | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.keyLoads.get(digest);
      if (waiting) waiting.push({ now, resolve, reject });
      else this.keyLoads.set(digest, [{ now, resolve, reject }]);
      if (!this.keyReadScheduled && this.keyReadsInFlight < KEY_READS_IN_FLIGHT) {
        this.keyReadScheduled = true;
        setImmediate(() => {
          this.keyReadScheduled = false;
          this.nextKeyRead();
        });
      }
    });
  }

  private nextKeyRead(): void {
    if (this.keyLoads.size === 0 || this.keyReadsInFlight >= KEY_READS_IN_FLIGHT) return;
    this.keyReadsInFlight++;
    // A read that takes longer than KEY_READ_SLOT_MS gives up its place: one stuck on a dead
    // connection must not hold every other first touch behind it.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.keyReadsInFlight--;
      this.nextKeyRead();
    };
    const timer = setTimeout(release, KEY_READ_SLOT_MS);
    void this.loadKeys().finally(release);
  }

  private async loadKeys(): Promise<void> {
    const loads = this.keyLoads;
    this.keyLoads = new Map();
    const gen = this.gen.keys;
    try {
      // A previous secret (kept after a roll) finds its key until its grace period ends, at each
      // caller's "now": the read takes the earliest, each caller then sees only what is live at its own.
      let now = Infinity;
      for (const waiters of loads.values()) for (const w of waiters) now = Math.min(now, w.now);
      const rows = await keysByDigest(this.db).execute({ digests: JSON.stringify([...loads.keys()]), now });
      const byDigest = new Map<string, ApiKeyRow>();
      for (const r of rows) {
        if (r.previousDigest !== null && r.previousDigestExpiresAt !== null && r.previousDigestExpiresAt > now) byDigest.set(r.previousDigest, r);
        byDigest.set(r.digest, r);
      }
      for (const [digest, waiters] of loads) {
        const row = byDigest.get(digest);
        if (row && this.trusted && gen === this.gen.keys) {
          this.keys.set(digest, row);
          if (row.digest !== digest) this.previousOf.set(row.digest, digest);
        }
        for (const w of waiters) w.resolve(row && (row.digest === digest || row.previousDigestExpiresAt! > w.now) ? row : undefined);
      }
      // The keys' teams, if this instance does not know them yet: their reads start now, together.
      if (this.trusted) for (const r of rows) this.prefetchTeam(r.teamId);
    } catch (e) {
      for (const waiters of loads.values()) for (const w of waiters) w.reject(e);
    }
  }

  private prefetchTeam(teamId: string): void {
    const ignore = () => {}; // whoever needs it awaits the same read and sees its failure
    if (!this.rules.has(teamId)) this.rulesLoader.load(teamId).catch(ignore);
    if (!this.budgets.has(teamId)) this.budgetsLoader.load(teamId).catch(ignore);
    if (this.byokDeps !== undefined && !this.byok.has(teamId)) this.byokLoader.load(teamId).catch(ignore);
  }

  /** The team of a live project, undefined for a deleted (or unknown) one; synchronous on a hit. */
  projectTeam(projectId: string): string | undefined | Promise<string | undefined> {
    if (this.trusted) {
      const hit = this.projectTeams.get(projectId);
      if (hit !== undefined) return hit;
    }
    return this.loadProjectTeam(projectId);
  }

  private async loadProjectTeam(projectId: string): Promise<string | undefined> {
    const gen = this.gen.keys;
    const [row] = await this.db.select({ teamId: projects.teamId }).from(projects).where(eq(projects.id, projectId)).limit(1);
    if (row && this.trusted && gen === this.gen.keys) {
      this.projectTeams.set(projectId, row.teamId);
    }
    return row?.teamId;
  }

  /**
   * The `token_epoch` of the user's membership of the team, null when they are not a member;
   * synchronous on a hit (a removal, a demotion or an addition invalidates it on every instance).
   */
  memberEpoch(teamId: string, userId: string): string | null | Promise<string | null> {
    if (this.trusted) {
      const hit = this.memberEpochs.get(memberKey(teamId, userId));
      if (hit !== undefined) return hit;
    }
    return this.loadMemberEpoch(teamId, userId);
  }

  private async loadMemberEpoch(teamId: string, userId: string): Promise<string | null> {
    const gen = this.gen.members;
    const [row] = await this.db
      .select({ epoch: memberships.tokenEpoch })
      .from(memberships)
      .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
      .limit(1);
    const epoch = row?.epoch ?? null;
    if (this.trusted && gen === this.gen.members) this.memberEpochs.set(memberKey(teamId, userId), epoch);
    return epoch;
  }

  /** Whether an OIDC signing key was revoked (its tokens no longer authorize); synchronous once read. */
  oidcKeyRevoked(kid: string): boolean | Promise<boolean> {
    if (this.trusted && this.revokedKids !== undefined) return this.revokedKids.has(kid);
    return this.loadRevokedKids().then((kids) => kids.has(kid));
  }

  private async loadRevokedKids(): Promise<Set<string>> {
    const gen = this.gen.oidcKeys;
    const rows = await this.db.select({ kid: oidcSigningKeys.kid }).from(oidcSigningKeys).where(isNotNull(oidcSigningKeys.revokedAt));
    const kids = new Set(rows.map((r) => r.kid));
    if (this.trusted && gen === this.gen.oidcKeys) this.revokedKids = kids;
    return kids;
  }

  teamRules(teamId: string): CompiledRules | Promise<CompiledRules> {
    if (this.trusted) {
      const hit = this.rules.get(teamId);
      if (hit) return hit;
    }
    return this.loadRules(teamId);
  }

  private loadRules(teamId: string): Promise<CompiledRules> {
    return this.rulesLoader.load(teamId);
  }

  /**
   * The `credentials` array (JSON text) authorize answers: the team's enabled BYOK credentials for
   * `model`'s provider that key `keyId` may use (null: a caller with no key), decrypted, in order.
   */
  byokJson(deps: CredentialOpener, teamId: string, model: string, keyId: string | null): string | Promise<string> {
    if (this.trusted) {
      const hit = this.byok.get(teamId);
      if (hit) return hit.json(model, keyId);
    }
    return this.loadByok(deps, teamId).then((t) => t.json(model, keyId));
  }

  /** The same credentials as objects, in order (the gateway's proxy calls the first one). */
  byokCredentials(deps: CredentialOpener, teamId: string, model: string, keyId: string | null) {
    if (this.trusted) {
      const hit = this.byok.get(teamId);
      if (hit) return hit.list(model, keyId);
    }
    return this.loadByok(deps, teamId).then((t) => t.list(model, keyId));
  }

  private loadByok(deps: CredentialOpener, teamId: string): Promise<TeamByok> {
    this.byokDeps = deps;
    return this.byokLoader.load(teamId);
  }

  /**
   * The budget subject (team, project, creator) of a key by id, deleted keys included: usage of a
   * request admitted before the key was deleted still counts. Only a project's deletion changes
   * one (its keys' project becomes null), and it publishes a key change naming each key.
   */
  subjectOfKey(keyId: string): Subject | undefined | Promise<Subject | undefined> {
    return this.subjects.get(keyId) ?? this.loadSubject(eq(apiKeys.id, keyId));
  }

  /** The same, for a presented credential (checksum-checked first; deleted keys included). */
  subjectOfCredential(credential: string): Subject | undefined | Promise<Subject | undefined> {
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    const digest = sha256Hex(credential);
    // A previous secret (after a roll) still names its key: usage of requests it was admitted for counts.
    return this.loadSubject(or(eq(apiKeys.digest, digest), eq(apiKeys.previousDigest, digest))!);
  }

  private async loadSubject(where: SQL): Promise<Subject | undefined> {
    const [k] = await this.db
      .select({ keyId: apiKeys.id, teamId: apiKeys.teamId, projectId: apiKeys.projectId, userId: apiKeys.createdBy })
      .from(apiKeys)
      .where(where)
      .limit(1);
    if (!k) return undefined;
    this.subjects.set(k.keyId, k);
    return k;
  }

  /**
   * The budgets in scope of a key's requests (the key's, its team's, its project's, its creator's)
   * and their spend now. From the cache, the last view is returned as it is (no work, no
   * allocation) while the counters it used are the same objects and `now` is within every
   * budget's current period; a spend or budget change, or a period's end, makes a new one.
   */
  quotaView(key: ApiKeyRow | Subject, now: number): QuotaView | Promise<QuotaView> {
    if (!this.trusted) return loadQuotaStates(this.db, subjectOf(key), now).then(viewOf);
    const cached = this.budgets.get(key.teamId);
    return cached ? this.viewFrom(cached, key, now) : this.teamBudgets(key.teamId).then((b) => this.viewFrom(b, key, now));
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
      if (!this.counters.has(item.counter)) return this.loadCounters(key.teamId, plan.items).then((read) => this.computeView(plan, now, read));
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

  /**
   * Reads the counters of `items` the cache lacks and keeps them (unless a spend notification
   * arrived meanwhile, which is newer, or the team's budgets changed). Returns what it read.
   */
  private async loadCounters(teamId: string, items: PlanItem[]): Promise<Map<string, Counter | null>> {
    const read = new Map<string, Counter | null>();
    const missing = items.filter((i) => !this.counters.has(i.counter));
    if (missing.length === 0) return read;
    const gen = this.gen.budgets;
    for (const { counter } of missing) this.countersLoading.set(counter, (this.countersLoading.get(counter) ?? 0) + 1);
    try {
      const rows = await this.db
        .select()
        .from(spendCounters)
        .where(
          and(
            eq(spendCounters.teamId, teamId),
            or(...missing.map(({ entity }) => and(eq(spendCounters.scopeType, entity.scopeType), eq(spendCounters.scopeId, entity.scopeId)))),
          ),
        );
      for (const { entity, counter } of missing) {
        const row = rows.find((r) => r.scopeType === entity.scopeType && r.scopeId === entity.scopeId) ?? null;
        read.set(counter, row);
        // Not stored when a newer value (a spend notification) was cached and then evicted meanwhile.
        const evicted = this.countersEvictedWhileLoading.has(counter);
        if (!evicted && !this.counters.has(counter) && this.trusted && gen === this.gen.budgets) this.counters.set(counter, row);
      }
      return read;
    } finally {
      for (const { counter } of missing) {
        const n = this.countersLoading.get(counter)! - 1;
        if (n > 0) this.countersLoading.set(counter, n);
        else {
          this.countersLoading.delete(counter);
          this.countersEvictedWhileLoading.delete(counter);
        }
      }
    }
  }

  private async teamBudgets(teamId: string): Promise<Map<string, Budget>> {
    return this.budgets.get(teamId) ?? this.budgetsLoader.load(teamId);
  }

  /**
   * Keeps `activeAt` current without a write on every call: the first use of a never-used key
   * (`activeAt` still equal to `createdAt`) is written at once, later uses at most once a minute
   * per key per instance; never awaited by the request.
   */
  touch(key: ApiKeyRow, now: number, granularityMs: number, log: Logger): void {
    const touched = this.lastTouch.get(key.id);
    const last = touched ?? (key.activeAt === key.createdAt ? -Infinity : key.activeAt);
    if (now - last < granularityMs) return;
    this.lastTouch.set(key.id, now);
    // Batched: one UPDATE for every key touched in the next TOUCH_BATCH_MS, not one per key.
    this.pendingTouches.set(key.id, Math.max(now, this.pendingTouches.get(key.id) ?? 0));
    if (this.touchFlush === undefined) {
      this.touchFlush = setTimeout(() => void this.flushTouches(log), TOUCH_BATCH_MS);
      this.touchFlush.unref();
    }
  }

  /** Writes the pending `activeAt` values in one statement (keys in id order: no deadlocks between instances). */
  async flushTouches(log?: Logger): Promise<void> {
    clearTimeout(this.touchFlush);
    this.touchFlush = undefined;
    if (this.pendingTouches.size === 0) return;
    const batch = [...this.pendingTouches].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, t]) => ({ id, t }));
    this.pendingTouches.clear();
    try {
      await executePrepared(
        this.db,
        sql`update api_keys k set active_at = v.t
              from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(id text, t bigint)
             where k.id = v.id and k.active_at < v.t`,
      );
    } catch (e) {
      log?.error("activeAt update failed", { keys: batch.length, error: String(e) });
    }
  }
}

/** Live keys by digest, or by a previous secret's digest within its grace period (`digests`: JSON text). */
const keysByDigest = preparedPer((db) =>
  db
    .select()
    .from(apiKeys)
    .where(
      and(
        or(
          anyOf(apiKeys.digest, sql.placeholder("digests")),
          and(anyOf(apiKeys.previousDigest, sql.placeholder("digests")), gt(apiKeys.previousDigestExpiresAt, sql.placeholder("now"))),
        ),
        isNull(apiKeys.deletedAt),
      ),
    )
    .prepare("tollgate_keys_by_digest"),
);

/** Teams' budgets (`teams`: JSON text). */
const teamsBudgets = preparedPer((db) =>
  db
    .select()
    .from(budgets)
    .where(anyOf(budgets.teamId, sql.placeholder("teams")))
    .prepare("tollgate_teams_budgets"),
);

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

/** Key reads by digest under way at once (see `loadKey`); the misses arriving meanwhile wait for the next. */
export const KEY_READS_IN_FLIGHT = 1;
/** How long a key read may hold its place before the next one may start anyway. */
export const KEY_READ_SLOT_MS = 25;

/** How long `activeAt` writes wait to be batched into one UPDATE. */
export const TOUCH_BATCH_MS = 100;

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
  opts: { heartbeatMs?: number; staleAfterMs?: number; maxKeys?: number } = {},
): Promise<{ state: GatewayState; close(): Promise<void> }> {
  const heartbeat = database.kind === "postgres";
  const staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  const state = new GatewayState(database.db, { cache: true, trusted: false, staleAfterMs: heartbeat ? staleAfterMs : undefined, maxKeys: opts.maxKeys });
  const sub = await database.listen(CHANGES_CHANNEL, state.onPayload, (listening) => state.setListening(listening));
  let timer: NodeJS.Timeout | undefined;
  if (heartbeat) {
    const ping = JSON.stringify({ t: "ping", instance: state.instanceId } satisfies Change);
    const beat = () => {
      state.recheck();
      executePrepared(database.db, sql`select pg_notify(${CHANGES_CHANNEL}, ${ping})`).catch(() => state.recheck());
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
      await state.flushTouches();
      await state.leases.close();
      await sub.close();
    },
  };
}
