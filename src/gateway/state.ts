import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { ApiKeyRow } from "../api-keys/schemas.js";
import { preparedStatement, type Database, type Db } from "../db/client.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import { systemClock } from "../lib/clock.js";
import { hasValidChecksum, sha256Hex } from "../lib/secrets.js";
import type { QuotaState, Subject } from "../quotas/state.js";
import type { Logger } from "../lib/logger.js";
import type { CredentialOpener } from "../byok/queries.js";
import type { CompiledRules } from "../rules/resolve.js";
import { BudgetLeases } from "../quotas/leases.js";
import { BudgetsCache } from "./cache/budgets.js";
import { ByokCache } from "./cache/byok.js";
import { CountersCache } from "./cache/counters.js";
import { KeysCache } from "./cache/keys.js";
import { LeasedTotals } from "./cache/leased.js";
import { memberKey, MembersCache } from "./cache/members.js";
import { OidcKeysCache } from "./cache/oidc-keys.js";
import { ProjectsCache } from "./cache/projects.js";
import { QuotaViews, type QuotaView } from "./cache/quota-view.js";
import { RulesCache } from "./cache/rules.js";
import { SubjectsCache } from "./cache/subjects.js";
import { Touches } from "./cache/touches.js";
import type { Trust } from "./cache/unit.js";

export { KEY_READ_SLOT_MS, KEY_READS_IN_FLIGHT } from "./cache/keys.js";
export { subjectOfRow, type QuotaView } from "./cache/quota-view.js";
export { TOUCH_BATCH_MS } from "./cache/touches.js";

/** The default of `TOLLGATE_CACHE_MAX_KEYS`. */
export const MAX_KEYS = 100_000;

/**
 * What authorize reads on every request, cached in-process, one unit per kind (src/gateway/cache/):
 * keys by digest, each team's compiled rules, budgets, BYOK credentials, spend counters and leased
 * totals, projects' teams, memberships' epochs, revoked OIDC keys, keys' subjects. Every instance
 * applies the changes every other instance publishes (Postgres LISTEN/NOTIFY; in-process on
 * PGlite), each routed to the units it concerns: invalidations for most, new values for spend
 * and leased totals. While the notification connection is down the cache is not trusted: every
 * read goes to the database, until it listens again and starts from empty.
 *
 * A read that raced with an invalidation of the same kind is not stored (each unit's generation),
 * so the cache never keeps a value older than the last change it was told about.
 */
export class GatewayState {
  /** Shared by every unit: whether what they hold may be served. */
  private readonly trust: Trust = { trusted: false };
  // Each bounded (TOLLGATE_CACHE_MAX_KEYS, least recently used out): memory does not grow with the
  // number of keys, teams or counters in the database.
  private readonly keys: KeysCache;
  private readonly rules: RulesCache;
  private readonly budgets: BudgetsCache;
  private readonly counters: CountersCache;
  private readonly leased: LeasedTotals;
  private readonly byok: ByokCache;
  private readonly projects: ProjectsCache;
  private readonly members: MembersCache;
  private readonly oidcKeys: OidcKeysCache;
  private readonly subjects: SubjectsCache;
  private readonly touches: Touches;
  private readonly views: QuotaViews;
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
    db: Db,
    opts: { cache: boolean; trusted?: boolean; staleAfterMs?: number; maxKeys?: number } = { cache: true },
  ) {
    const max = opts.maxKeys ?? MAX_KEYS;
    const trust = this.trust;
    // A team's first touch: its rules, budgets and BYOK credentials, each read for every team missed
    // in one event-loop turn by one statement, started as soon as a key of the team is read (all
    // three at once), a read under way shared by whoever needs it.
    this.keys = new KeysCache(trust, max, db, (rows) => {
      for (const r of rows) this.prefetchTeam(r.teamId);
    });
    this.rules = new RulesCache(trust, max, db);
    this.budgets = new BudgetsCache(trust, max, db);
    this.counters = new CountersCache(trust, max * 2, db);
    this.leased = new LeasedTotals(trust, max);
    this.byok = new ByokCache(trust, max, db);
    this.projects = new ProjectsCache(trust, max, db);
    this.members = new MembersCache(trust, max, db);
    this.oidcKeys = new OidcKeysCache(trust, db);
    this.subjects = new SubjectsCache(max, db);
    this.touches = new Touches(max, db);
    this.views = new QuotaViews(db, trust, this.budgets, this.counters, this.leased);
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
    return this.trust.trusted;
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
    if (ok !== this.trust.trusted) {
      this.clear();
      this.trust.trusted = ok;
    }
  }

  /** Empties every unit but the subjects (fixed at a key's creation) and the last touches (this instance's own writes). */
  clear(): void {
    this.keys.clear();
    this.rules.clear();
    this.budgets.clear();
    this.counters.clear();
    this.leased.clear();
    this.byok.clear();
    this.projects.clear();
    this.members.clear();
    this.oidcKeys.clear();
  }

  /**
   * Sets `reservedMicros` on hard budgets' states: Σ of their leases as the last lease write this
   * instance learned of published it (what authorize's answer shows too).
   */
  withLeased(states: QuotaState[]): QuotaState[] {
    return this.leased.withLeased(states);
  }

  /** Where a writer stands before its write: pass it to `applyOwn` once the write committed. */
  get spendEpoch(): number {
    return this.counters.epoch;
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
    if (change.t === "spend" && this.counters.emptiedSince(change.teamId, epoch)) {
      this.counters.remove(change.teamId, change.scopeType, change.scopeId); // read afresh
      return;
    }
    this.apply(change);
  }

  /** Applies a change published by any instance (including this one): each unit it concerns takes it. */
  apply(change: Change): void {
    switch (change.t) {
      case "ping":
        if (change.instance === this.instanceId) {
          this.lastBeat = systemClock.now();
          this.recheck(this.lastBeat);
        }
        return;
      case "key":
        this.keys.apply(change);
        this.subjects.apply(change);
        return;
      case "project":
        this.projects.apply(change);
        return;
      case "member":
        this.members.apply(change);
        return;
      case "oidc_keys":
        this.oidcKeys.apply(change);
        return;
      case "rules":
        this.rules.apply(change);
        return;
      case "byok":
        this.byok.apply(change);
        return;
      case "budgets":
        // The team's budgets are read again, and its counters emptied (their periods may have changed).
        this.budgets.apply(change);
        this.counters.apply(change);
        return;
      case "leased":
        this.leased.apply(change);
        return;
      case "settled":
        // Committed before it was published: the reservation becomes that cost.
        this.leases.settleRequest(change.teamId, change.requestId, change.micros, Promise.resolve());
        return;
      case "spend":
        this.counters.apply(change);
        return;
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
   * `quotaView`: authorize runs on every gateway request.
   */
  keyByCredential(credential: string, now: number = systemClock.now()): ApiKeyRow | undefined | Promise<ApiKeyRow | undefined> {
    const digest = sha256Hex(credential);
    const hit = this.keys.get(digest);
    if (hit) {
      this.cacheStats.hits++;
      // Only stored keys are cached: no checksum needed on a hit. A previous secret (kept after a
      // roll) is accepted until its grace period ends, to the millisecond, with no notification.
      return hit.digest === digest || hit.previousDigestExpiresAt! > now ? hit : undefined;
    }
    this.cacheStats.misses++;
    // The checksum spares the database a lookup for a mistyped or invented key.
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    return this.keys.load(digest, now);
  }

  private prefetchTeam(teamId: string): void {
    this.rules.prefetch(teamId);
    this.budgets.prefetch(teamId);
    this.byok.prefetch(teamId);
  }

  /** The team of a live project, undefined for a deleted (or unknown) one; synchronous on a hit. */
  projectTeam(projectId: string): string | undefined | Promise<string | undefined> {
    return this.projects.get(projectId) ?? this.projects.load(projectId);
  }

  /**
   * The `token_epoch` of the user's membership of the team, null when they are not a member;
   * synchronous on a hit (a removal, a demotion or an addition invalidates it on every instance).
   */
  memberEpoch(teamId: string, userId: string): string | null | Promise<string | null> {
    const key = memberKey(teamId, userId);
    const hit = this.members.get(key);
    return hit !== undefined ? hit : this.members.load(key);
  }

  /** Whether an OIDC signing key was revoked (its tokens no longer authorize); synchronous once read. */
  oidcKeyRevoked(kid: string): boolean | Promise<boolean> {
    return this.oidcKeys.isRevoked(kid);
  }

  teamRules(teamId: string): CompiledRules | Promise<CompiledRules> {
    return this.rules.get(teamId) ?? this.rules.load(teamId);
  }

  /**
   * The `credentials` array (JSON text) authorize answers: the team's enabled BYOK credentials for
   * `model`'s provider that key `keyId` may use (null: a caller with no key), decrypted, in order.
   */
  byokJson(deps: CredentialOpener, teamId: string, model: string, keyId: string | null): string | Promise<string> {
    const hit = this.byok.get(teamId);
    if (hit) return hit.json(model, keyId);
    return this.byok.load(deps, teamId).then((t) => t.json(model, keyId));
  }

  /** The same credentials as objects, in order (the gateway's proxy calls the first one). */
  byokCredentials(deps: CredentialOpener, teamId: string, model: string, keyId: string | null) {
    const hit = this.byok.get(teamId);
    if (hit) return hit.list(model, keyId);
    return this.byok.load(deps, teamId).then((t) => t.list(model, keyId));
  }

  /**
   * The budget subject (team, project, creator) of a key by id, deleted keys included: usage of a
   * request admitted before the key was deleted still counts.
   */
  subjectOfKey(keyId: string): Subject | undefined | Promise<Subject | undefined> {
    return this.subjects.get(keyId) ?? this.subjects.ofKey(keyId);
  }

  /** The same, for a presented credential (checksum-checked first; deleted keys included). */
  subjectOfCredential(credential: string): Subject | undefined | Promise<Subject | undefined> {
    if (!hasValidChecksum(credential, "tgk")) return undefined;
    // A previous secret (after a roll) still names its key: usage of requests it was admitted for counts.
    return this.subjects.ofDigest(sha256Hex(credential));
  }

  /**
   * The budgets in scope of a key's requests and their spend now; synchronous (and the same
   * object, no work) while nothing it was computed from changed (see QuotaViews).
   */
  quotaView(key: ApiKeyRow | Subject, now: number): QuotaView | Promise<QuotaView> {
    return this.views.view(key, now);
  }

  /**
   * Keeps `activeAt` current without a write on every call: the first use of a never-used key is
   * written at once, later uses at most once per `granularityMs` per key per instance, batched;
   * never awaited by the request.
   */
  touch(key: ApiKeyRow, now: number, granularityMs: number, log: Logger): void {
    this.touches.touch(key, now, granularityMs, log);
  }

  /** Writes the pending `activeAt` values now. */
  flushTouches(log?: Logger): Promise<void> {
    return this.touches.flush(log);
  }
}

export const HEARTBEAT_MS = 20;
export const STALE_AFTER_MS = 100;

/** The heartbeat's NOTIFY, its text built once (it runs 50 times a second, whatever the load). */
const notify = preparedStatement(2, (channel, payload) => sql`select pg_notify(${channel}, ${payload})`);

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
      notify(database.db, CHANGES_CHANNEL, ping).catch(() => state.recheck());
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
