import { and, eq, or, sql, type SQL } from "drizzle-orm";
import { writeAudit } from "../audit/write.js";
import { preparedStatement, type Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { spendCounters, usageEvents } from "../db/schema.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import { transact } from "../events/transact.js";
import type { GatewayState } from "../gateway/state.js";
import { newId } from "../lib/ids.js";
import { enqueueEvent } from "../webhooks/outbox.js";
import { MAX_SPEND_MICROS, microsToDollars } from "./money.js";
import {
  effectiveSpend,
  entitiesOf,
  stateOf,
  statesFor,
  type Budget,
  type Counter,
  type Entity,
  type QuotaState,
  type Subject,
} from "./state.js";

export type UsageReport = {
  subject: Subject;
  requestId: string;
  model: string;
  micros: number;
  byok: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  /** The token kinds inside those counts (null or absent: not reported). */
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
  reasoningTokens?: number | null;
  /** The AI SDK's end user (`providerOptions.gateway.user`) and tags (in order, without repeats): absent when none was sent. */
  endUser?: string | null;
  tags?: string[] | null;
  createdAt: number;
};

type Deps = { db: Db; gateway: GatewayState };

const entityKey = (teamId: string, e: Entity) => `${teamId}\u0000${e.scopeType}\u0000${e.scopeId}`;

/**
 * Records usage reports and adds their cost to every budget in their scope.
 *
 * The reports (each request id at most once, ever) and the spend they add go in ONE statement:
 * it inserts the events, sums the cost of just the events it inserted per spend counter, and
 * upserts each counter, rolling it into a new period when one began (never back to an older one),
 * notifying every instance of the new values. One statement is atomic; and a counter's row lock
 * is held only while that statement runs, not across round trips, so reports on one hot key are
 * not serialized behind network latency. Counters are written in key order (no deadlocks).
 *
 * Crossing an alert threshold then writes one `quota.threshold` audit event per threshold per
 * period, with the counter's `alerts_sent` (a conditional update decides which writer reports).
 * Returns, per report, whether it was recorded now and its budgets' states afterwards.
 */
export type UsageOutcome = {
  recorded: boolean;
  /** The request id was reported before (or earlier in the batch) with another key, cost or BYOK flag. */
  conflict: boolean;
  states: QuotaState[];
};

const requestKey = (teamId: string, requestId: string) => `${teamId}\u0000${requestId}`;

/** Whether two reports of one request id are the same report (a retry), or a different one. */
const sameReport = (a: { keyId: string | null; micros: number; byok: boolean }, b: { keyId: string | null; micros: number; byok: boolean }) =>
  a.keyId === b.keyId && a.micros === b.micros && a.byok === b.byok;

export async function recordUsage(deps: Deps, reports: UsageReport[], now: number): Promise<UsageOutcome[]> {
  const { db } = deps;
  // Request ids are unique per team.
  const firsts = new Map<string, UsageReport>();
  // Each report's request key (and each first report's subject key), computed once: the outcomes below read them again.
  const keys: string[] = new Array(reports.length);
  const subjectKeys: string[] = new Array(reports.length);
  const subjects = new Map<string, { team_id: string; key_id: string | null; project_id: string | null; user_id: string | null }>();
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    const k = requestKey(r.subject.teamId, r.requestId);
    keys[i] = k;
    if (firsts.has(k)) continue; // a repeat within the batch: only the first can be recorded
    firsts.set(k, r);
    const s = r.subject;
    const sk = `${s.teamId}|${s.keyId}|${s.projectId}|${s.userId}`;
    subjectKeys[i] = sk;
    if (!subjects.has(sk)) subjects.set(sk, { team_id: s.teamId, key_id: s.keyId, project_id: s.projectId, user_id: s.userId });
  }

  const events = [...firsts.values()].map((r) => ({
    id: newId("usage"),
    request_id: r.requestId,
    team_id: r.subject.teamId,
    key_id: r.subject.keyId,
    project_id: r.subject.projectId,
    user_id: r.subject.userId,
    model: r.model,
    cost_micros: r.micros,
    byok: r.byok,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cache_read_tokens: r.cacheReadTokens ?? null,
    cache_write_tokens: r.cacheWriteTokens ?? null,
    reasoning_tokens: r.reasoningTokens ?? null,
    created_at: r.createdAt,
    // Only when sent: undefined leaves the key out of the JSON, so a report without them adds
    // nothing to the statement's parameter (and every event has one shape, no spread).
    end_user: r.endUser || undefined,
    tags: r.tags && r.tags.length > 0 ? r.tags : undefined,
  }));
  const epoch = deps.gateway.spendEpoch;
  // `recorded`: null when every event was inserted (the usual case), else the ones that were.
  const [result] = rowsOf<{ recorded: [string, string][] | null; counters: CounterJson[]; budgets: BudgetJson[] }>(
    await recordUsageStatement(db, JSON.stringify(events), JSON.stringify([...subjects.values()]), now, events.length),
  );

  // The budgets the statement applied, per entity.
  const targets = new Map<string, { teamId: string; entity: Entity; budget: Budget }>();
  for (const j of result!.budgets) {
    const entity = { scopeType: j.scope_type, scopeId: j.scope_id } as Entity;
    targets.set(entityKey(j.team_id, entity), { teamId: j.team_id, entity, budget: toBudget(j.budget) });
  }

  const inserted = result!.recorded;
  const recorded: { has(k: string): boolean } = inserted === null ? firsts : new Set(inserted.map(([teamId, requestId]) => requestKey(teamId, requestId)));
  // Repeats: the report already stored for each (a retry must be the same report).
  const repeats = inserted === null ? [] : [...firsts.entries()].filter(([k]) => !recorded.has(k)).map(([, r]) => r);
  const stored = new Map<string, { keyId: string | null; micros: number; byok: boolean }>();
  if (repeats.length > 0) {
    const rows = await db
      .select({ teamId: usageEvents.teamId, requestId: usageEvents.requestId, keyId: usageEvents.keyId, micros: usageEvents.costMicros, byok: usageEvents.byok })
      .from(usageEvents)
      .where(or(...repeats.map((r) => and(eq(usageEvents.teamId, r.subject.teamId), eq(usageEvents.requestId, r.requestId)))));
    for (const row of rows) stored.set(requestKey(row.teamId, row.requestId), row);
  }

  const after = new Map<string, QuotaState>();
  for (const j of result!.counters) {
    const target = targets.get(entityKey(j.team_id, { scopeType: j.scope_type, scopeId: j.scope_id } as Entity));
    if (!target) continue;
    const counter = toCounter(j);
    deps.gateway.applyOwn(spendChange(counter), epoch); // this instance, now; the others via the notification
    after.set(entityKey(j.team_id, target.entity), stateOf(target.entity, target.budget, counter, now));
  }
  await reportThresholds(deps, [...after.entries()], now);

  const out: UsageOutcome[] = [];
  // A new report's budgets' states depend only on its subject: built once per subject (outcomes are read, never changed).
  const newStates = new Map<string, QuotaState[]>();
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i]!;
    const k = keys[i]!;
    const first = firsts.get(k)!;
    const isNew = recorded.has(k) && first === r;
    const original = recorded.has(k) ? { keyId: first.subject.keyId, micros: first.micros, byok: first.byok } : stored.get(k);
    const mine = { keyId: r.subject.keyId, micros: r.micros, byok: r.byok };
    if (!isNew && original && !sameReport(original, mine)) {
      out.push({ recorded: false, conflict: true, states: [] });
      continue;
    }
    if (isNew) {
      let states = newStates.get(subjectKeys[i]!);
      if (states === undefined) {
        states = targetsOf(targets, r.subject).map(({ teamId, entity, budget }) => after.get(entityKey(teamId, entity)) ?? stateOf(entity, budget, undefined, now));
        newStates.set(subjectKeys[i]!, states);
      }
      out.push({ recorded: true, conflict: false, states });
    } else {
      // A repeat changes nothing: the counters as they are.
      out.push({ recorded: false, conflict: false, states: await statesFor(db, r.subject.teamId, targetsOf(targets, r.subject), now) });
    }
  }
  return out;
}

type CounterJson = {
  team_id: string;
  scope_type: Counter["scopeType"];
  scope_id: string;
  period_start: number;
  period_end: number | null;
  spend_micros: number;
  byok_spend_micros: number;
  alerts_sent: number[];
  version: number;
};

const toCounter = (j: CounterJson): Counter => ({
  teamId: j.team_id,
  scopeType: j.scope_type,
  scopeId: j.scope_id,
  periodStart: Number(j.period_start),
  periodEnd: j.period_end === null ? null : Number(j.period_end),
  spendMicros: Number(j.spend_micros),
  byokSpendMicros: Number(j.byok_spend_micros),
  alertsSent: j.alerts_sent,
  updatedAt: 0,
  version: Number(j.version),
});

const spendChange = (c: Counter): Change => ({
  t: "spend",
  teamId: c.teamId,
  scopeType: c.scopeType,
  scopeId: c.scopeId,
  periodStart: c.periodStart,
  periodEnd: c.periodEnd,
  spendMicros: c.spendMicros,
  byokSpendMicros: c.byokSpendMicros,
  alertsSent: c.alertsSent,
  version: c.version,
});

/** Counters saturate here, as the rollups and the spend report do: spend past 2^53 micro-dollars could not be read back exactly. */
export const MAX_COUNTER_MICROS = MAX_SPEND_MICROS;

// The counter upsert's cases (c: the stored counter; excluded: this batch's, in the period the
// budget has now). SAME or INSIDE is what counterInPeriod() (quotas/state.ts) reads as current.
const SAME_SQL = `c.period_start = excluded.period_start`;
const INSIDE_SQL = `(c.period_start > excluded.period_start and (excluded.period_end is null or c.period_start < excluded.period_end))`;
const RESET_SQL = `(not (${SAME_SQL}) and not ${INSIDE_SQL} and c.period_end is not null and c.period_end <= excluded.updated_at)`;
const RESET = sql.raw(RESET_SQL);
const MOVE = sql.raw(`(${INSIDE_SQL} or ${RESET_SQL})`);

/** The one statement that records a batch of usage events and adds their cost (see recordUsage). */
export function recordUsageSql(events: object[], subjects: object[], now: number) {
  return usageStatementSql(sql`${JSON.stringify(events)}`, sql`${JSON.stringify(subjects)}`, nowSql(now), sql`${events.length}::int`);
}

/** That statement, its text built once: its parameters are the events and subjects as JSON text, `now` and the number of events. */
const recordUsageStatement = preparedStatement(4, (events, subjects, now, count) => usageStatementSql(events!, subjects!, sql`${now!}::bigint`, sql`${count!}::int`));

/**
 * The statement over its four inputs: the events and the subjects (JSON arrays, as text), `now` (a
 * bigint) and how many events there are. Its `recorded` is null when all of them were inserted (no
 * request id seen before: the usual case, and then no per-event list is built, sent or read), else
 * the `[team_id, request_id]` of those that were.
 */
function usageStatementSql(events: SQL, subjects: SQL, now: SQL, count: SQL) {
  return sql`
      with ins as (
        insert into usage_events (id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens,
                                  cache_read_tokens, cache_write_tokens, reasoning_tokens, end_user, tags, created_at)
        select id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens,
               cache_read_tokens, cache_write_tokens, reasoning_tokens, end_user, tags, created_at
          from json_to_recordset(${events}::json) as r(
            id text, request_id text, team_id text, key_id text, project_id text, user_id text, model text,
            cost_micros bigint, byok boolean, input_tokens integer, output_tokens integer,
            cache_read_tokens integer, cache_write_tokens integer, reasoning_tokens integer, end_user text, tags text[], created_at bigint)
         order by team_id, request_id
        on conflict (team_id, request_id) do nothing
        returning request_id, team_id, key_id, project_id, user_id, cost_micros, byok, model, input_tokens, output_tokens,
                  cache_read_tokens, cache_write_tokens, reasoning_tokens
      ),
      -- The spend reports' rollups (src/reports/): per UTC hour of "now" (the instant the counters
      -- use), key, model, project and user, in key order. Never read here: Postgres runs it anyway.
      -- Their cost saturates below 2^53, as the counters do.
      roll as (
        insert into usage_rollups as u (team_id, hour_start, key_id, model, project_id, user_id, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens,
                                        cache_read_tokens, cache_write_tokens, reasoning_tokens)
        select team_id, ${hourStartSql(now)}, coalesce(key_id, ''), model, coalesce(project_id, ''), coalesce(user_id, ''),
               count(*), least(coalesce(sum(cost_micros) filter (where not byok), 0), ${MAX_COUNTER_MICROS}::bigint),
               least(coalesce(sum(cost_micros) filter (where byok), 0), ${MAX_COUNTER_MICROS}::bigint),
               coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
               coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0)
          from ins
         group by 1, 2, 3, 4, 5, 6
         order by 1, 2, 3, 4, 5, 6
        on conflict (team_id, hour_start, key_id, model, project_id, user_id) do update set
          requests = u.requests + excluded.requests, cost_micros = least(u.cost_micros + excluded.cost_micros, ${MAX_COUNTER_MICROS}::bigint),
          byok_cost_micros = least(u.byok_cost_micros + excluded.byok_cost_micros, ${MAX_COUNTER_MICROS}::bigint),
          input_tokens = u.input_tokens + excluded.input_tokens, output_tokens = u.output_tokens + excluded.output_tokens,
          cache_read_tokens = u.cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = u.cache_write_tokens + excluded.cache_write_tokens,
          reasoning_tokens = u.reasoning_tokens + excluded.reasoning_tokens
      ),
      -- The same per team, hour and model only (reports not grouped by key, project or user).
      roll_team as (
        insert into usage_rollups_team as u (team_id, hour_start, model, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens,
                                             cache_read_tokens, cache_write_tokens, reasoning_tokens)
        select team_id, ${hourStartSql(now)}, model,
               count(*), least(coalesce(sum(cost_micros) filter (where not byok), 0), ${MAX_COUNTER_MICROS}::bigint),
               least(coalesce(sum(cost_micros) filter (where byok), 0), ${MAX_COUNTER_MICROS}::bigint),
               coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
               coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0)
          from ins
         group by 1, 2, 3
         order by 1, 2, 3
        on conflict (team_id, hour_start, model) do update set
          requests = u.requests + excluded.requests, cost_micros = least(u.cost_micros + excluded.cost_micros, ${MAX_COUNTER_MICROS}::bigint),
          byok_cost_micros = least(u.byok_cost_micros + excluded.byok_cost_micros, ${MAX_COUNTER_MICROS}::bigint),
          input_tokens = u.input_tokens + excluded.input_tokens, output_tokens = u.output_tokens + excluded.output_tokens,
          cache_read_tokens = u.cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = u.cache_write_tokens + excluded.cache_write_tokens,
          reasoning_tokens = u.reasoning_tokens + excluded.reasoning_tokens
      ),
      subj as (
        select * from json_to_recordset(${subjects}::json)
          as s(team_id text, key_id text, project_id text, user_id text)
      ),
      ent as (
        select team_id, 'api_key' as scope_type, key_id as scope_id from subj where key_id is not null
        union select team_id, 'team', team_id from subj
        union select team_id, 'project', project_id from subj where project_id is not null
        union select team_id, 'user', user_id from subj where user_id is not null
      ),
      -- The budget that applies to each entity: its own, else the team's default for its kind,
      -- else its own archived one (spend keeps being counted, not enforced): as pickBudgets.
      -- One index probe per entity (budgets_scope_uq), whatever the size of the budgets table.
      pick as (
        select e.team_id, e.scope_type, e.scope_id, b.id as budget_id, b.refresh_period, b.period_anchor, b.row as budget
          from ent e
          cross join lateral (
            select b.id, b.refresh_period, b.period_anchor, to_json(b.*) as row
              from budgets b
             where b.team_id = e.team_id and b.scope_type = e.scope_type
               and (b.scope_id = e.scope_id or (b.scope_id = '*' and not b.archived and e.scope_type in ('project', 'user')))
             order by case when b.scope_id = e.scope_id and not b.archived then 1 when b.scope_id = '*' then 2 else 3 end
             limit 1
             -- A budget edit in flight (it holds the row FOR UPDATE) finishes first, and this
             -- statement then reads the budget as edited; an edit waits for this statement.
             for key share
          ) b
      ),
      -- Its current period at UTC boundaries, as currentPeriod() (see periodStartSql).
      t as (
        select team_id, scope_type, scope_id, budget_id, budget,
               ${periodStartSql(now)} as period_start, ${periodEndSql(now)} as period_end
          from pick
      ),
      sums as (
        select t.team_id, t.scope_type, t.scope_id, t.period_start, t.period_end,
               least(coalesce(sum(ins.cost_micros) filter (where not ins.byok), 0), ${MAX_COUNTER_MICROS}::bigint)::bigint as spend,
               least(coalesce(sum(ins.cost_micros) filter (where ins.byok), 0), ${MAX_COUNTER_MICROS}::bigint)::bigint as byok
          from t
          join ins on ins.team_id = t.team_id
                  and t.scope_id = case t.scope_type when 'api_key' then ins.key_id when 'team' then ins.team_id
                                                     when 'project' then ins.project_id else ins.user_id end
         group by t.team_id, t.scope_type, t.scope_id, t.period_start, t.period_end
      ),
      up as (
        insert into spend_counters as c (team_id, scope_type, scope_id, period_start, period_end, spend_micros, byok_spend_micros, alerts_sent, updated_at, version)
        select team_id, scope_type, scope_id, period_start, period_end, spend, byok, '[]'::jsonb, ${now}, 1
          from sums
         order by team_id, scope_type, scope_id
        -- Every report is counted; which period it lands in:
        -- the same period: added; a counter that began inside this period (the budget's period
        -- changed): moved into it with its spend; a counter whose period has ended: reset to this
        -- one; otherwise (a live counter of another period: a budget edit that began the period
        -- after this batch's reports arrived, or another instance whose clock is ahead and
        -- already rolled it over): added, its period kept, so no report is ever left uncounted.
        -- Spend saturates below 2^53.
        on conflict (team_id, scope_type, scope_id) do update set
          spend_micros = case when ${RESET} then excluded.spend_micros else least(c.spend_micros + excluded.spend_micros, ${MAX_COUNTER_MICROS}::bigint) end,
          byok_spend_micros = case when ${RESET} then excluded.byok_spend_micros else least(c.byok_spend_micros + excluded.byok_spend_micros, ${MAX_COUNTER_MICROS}::bigint) end,
          alerts_sent = case when ${RESET} then '[]'::jsonb else c.alerts_sent end,
          period_start = case when ${MOVE} then excluded.period_start else c.period_start end,
          period_end = case when ${MOVE} then excluded.period_end else c.period_end end,
          updated_at = excluded.updated_at,
          version = c.version + 1
        returning c.team_id, c.scope_type, c.scope_id, c.period_start, c.period_end, c.spend_micros, c.byok_spend_micros, c.alerts_sent, c.version,
                  pg_notify(${CHANGES_CHANNEL}, json_build_object(
                    't', 'spend', 'teamId', c.team_id, 'scopeType', c.scope_type, 'scopeId', c.scope_id,
                    'periodStart', c.period_start, 'periodEnd', c.period_end, 'spendMicros', c.spend_micros,
                    'byokSpendMicros', c.byok_spend_micros, 'alertsSent', c.alerts_sent, 'version', c.version)::text) as notified
      )
      select case when (select count(*) from ins) = ${count} then null
                  else (select coalesce(json_agg(json_build_array(team_id, request_id)), '[]'::json) from ins) end as recorded,
             (select coalesce(json_agg(up), '[]'::json) from up) as counters,
             (select coalesce(json_agg(json_build_object('team_id', t.team_id, 'scope_type', t.scope_type, 'scope_id', t.scope_id,
                       'period_start', t.period_start, 'budget', t.budget)), '[]'::json)
                from t) as budgets`;
}

/** `now` as the statement's parameter; or (property tests) an expression, e.g. a column of generated instants. */
const nowSql = (now: number | SQL) => (typeof now === "number" ? sql`${now}::bigint` : now);

/**
 * `now` floored to a multiple of `step` after `offset` (ms), as `floorTo` in period.ts: Postgres's
 * `/` and `%` truncate toward zero, so `(now / step) * step` would round instants before
 * `offset` up, into the next period.
 */
const floorSql = (now: SQL, step: number, offset = 0) => {
  const s = sql.raw(String(step));
  const shifted = offset === 0 ? now : sql`(${now} - ${sql.raw(String(offset))})`;
  return sql`(${now} - (${shifted} % ${s} + ${s}) % ${s})`;
};

/** The start of the UTC hour holding `now`: the rollups' `hour_start`. */
export function hourStartSql(now: number | SQL) {
  return floorSql(nowSql(now), 3600000);
}

/**
 * `currentPeriod()` in SQL, over columns `refresh_period` and `period_anchor`: daily 00:00 UTC,
 * weekly Monday 00:00 UTC (1970-01-05 was a Monday), monthly the 1st 00:00 UTC, none from the
 * anchor. test/quotas/period.property.test.ts holds the two to the same answers.
 */
export function periodStartSql(now: number | SQL) {
  const n = nowSql(now);
  return sql`case refresh_period
    when 'daily' then ${floorSql(n, 86400000)}
    when 'weekly' then ${floorSql(n, 604800000, 345600000)}
    when 'monthly' then (extract(epoch from date_trunc('month', to_timestamp(${n} / 1000.0) at time zone 'UTC')) * 1000)::bigint
    else period_anchor end`;
}

export function periodEndSql(now: number | SQL) {
  const n = nowSql(now);
  return sql`case refresh_period
    when 'daily' then ${floorSql(n, 86400000)} + 86400000
    when 'weekly' then ${floorSql(n, 604800000, 345600000)} + 604800000
    when 'monthly' then (extract(epoch from date_trunc('month', to_timestamp(${n} / 1000.0) at time zone 'UTC') + interval '1 month') * 1000)::bigint
    else null end`;
}

/** The budgets the statement applied to a subject's entities (key, team, project, user), in that order. */
function targetsOf(targets: Map<string, { teamId: string; entity: Entity; budget: Budget }>, subject: Subject) {
  return entitiesOf(subject)
    .map((entity) => targets.get(entityKey(subject.teamId, entity)))
    .filter((x) => x !== undefined);
}

type BudgetJson = {
  team_id: string;
  scope_type: Entity["scopeType"];
  scope_id: string;
  period_start: number;
  budget: {
    id: string;
    team_id: string;
    scope_type: Budget["scopeType"];
    scope_id: string;
    limit_micros: number;
    refresh_period: Budget["refreshPeriod"];
    period_anchor: number;
    include_byok: boolean;
    alert_thresholds: number[];
    enforcement: Budget["enforcement"];
    active: boolean;
    archived: boolean;
    created_at: number;
    updated_at: number;
  };
};

const toBudget = (b: BudgetJson["budget"]): Budget => ({
  id: b.id,
  teamId: b.team_id,
  scopeType: b.scope_type,
  scopeId: b.scope_id,
  limitMicros: Number(b.limit_micros),
  refreshPeriod: b.refresh_period,
  periodAnchor: Number(b.period_anchor),
  includeByok: b.include_byok,
  alertThresholds: b.alert_thresholds,
  enforcement: b.enforcement,
  active: b.active,
  archived: b.archived,
  createdAt: Number(b.created_at),
  updatedAt: Number(b.updated_at),
});

/**
 * One `quota.threshold` audit event per threshold crossed per period: the conditional update of
 * `alerts_sent` lets exactly one writer (of any instance) report each threshold.
 */
async function reportThresholds(deps: Deps, states: [string, QuotaState][], now: number): Promise<void> {
  const crossed = states
    .map(([, st]) => ({
      st,
      thresholds: st.budget.alertThresholds.filter(
        (t) => !st.alertsSent.includes(t) && st.budget.limitMicros > 0 && effectiveSpend(st) * 100 >= st.budget.limitMicros * t,
      ),
    }))
    .filter((x) => x.thresholds.length > 0);
  if (crossed.length === 0) return;
  await transact(deps, async (tx, publish) => {
    for (const { st, thresholds } of crossed) {
      for (const threshold of thresholds) {
        const [row] = await tx
          .update(spendCounters)
          .set({ alertsSent: sql`${spendCounters.alertsSent} || ${JSON.stringify([threshold])}::jsonb`, version: sql`${spendCounters.version} + 1` })
          .where(
            and(
              eq(spendCounters.teamId, st.budget.teamId),
              eq(spendCounters.scopeType, st.entity.scopeType),
              eq(spendCounters.scopeId, st.entity.scopeId),
              eq(spendCounters.periodStart, st.periodStart),
              sql`not (${spendCounters.alertsSent} @> ${JSON.stringify([threshold])}::jsonb)`,
            ),
          )
          .returning();
        if (!row) continue; // another writer reported it
        await publish(spendChange(row));
        await writeAudit(tx, {
          teamId: st.budget.teamId,
          actor: { type: "system", id: "quota" },
          action: "quota.threshold",
          target: { type: st.entity.scopeType, id: st.entity.scopeId },
          data: {
            threshold,
            budgetId: st.budget.id,
            limitAmount: microsToDollars(st.budget.limitMicros),
            currentSpend: microsToDollars(effectiveSpend(st)),
            periodStart: st.periodStart,
          },
          at: now,
        });
        // The same alert for the team's webhooks: an outbox row of this transaction (src/webhooks).
        await enqueueEvent(tx, {
          teamId: st.budget.teamId,
          type: "budget.threshold",
          data: {
            scope: { type: st.entity.scopeType, id: st.entity.scopeId },
            budgetId: st.budget.id,
            threshold,
            limitAmount: microsToDollars(st.budget.limitMicros),
            currentSpend: microsToDollars(effectiveSpend(st)),
            periodStart: st.periodStart,
          },
          at: now,
        });
      }
    }
  });
}
