import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { MAX_SPEND_MICROS } from "../quotas/money.js";

export const GRANULARITIES = ["hour", "day", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];
/**
 * `endUser` and `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`) are not in the
 * rollups: a report grouped or filtered by them reads raw usage reports (`attributedReport`).
 */
export const DIMENSIONS = ["key", "model", "project", "user", "endUser", "tag"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** The dimensions only raw usage reports hold. */
export const ATTRIBUTED_DIMENSIONS: readonly Dimension[] = ["endUser", "tag"];

const COLUMN: Record<Exclude<Dimension, "endUser" | "tag">, SQL> = {
  key: sql.raw("key_id"),
  model: sql.raw("model"),
  project: sql.raw("project_id"),
  user: sql.raw("user_id"),
};

/** Raw usage reports' columns as the rollups store them (`''` for none); `tag` is one of the row's tags (unnested). */
const EVENT_COLUMN: Record<Dimension, SQL> = {
  key: sql.raw("coalesce(e.key_id, '')"),
  model: sql.raw("e.model"),
  project: sql.raw("coalesce(e.project_id, '')"),
  user: sql.raw("coalesce(e.user_id, '')"),
  endUser: sql.raw("e.end_user"),
  tag: sql.raw("t.tag"),
};

/** `column` floored to a multiple of `step` (Postgres's `/` and `%` truncate toward zero). */
const floorTo = (column: string, step: number) => `(${column} - (${column} % ${step} + ${step}) % ${step})`;

/**
 * The start (ms, UTC) of the hour, day or month holding `column` (ms): for a day or a month, the
 * start of the daily or monthly budget period holding it (test/quotas/period.property.test.ts).
 */
export function bucketSql(g: Granularity, column = "hour_start"): SQL {
  switch (g) {
    case "hour":
      return sql.raw(column === "hour_start" ? column : floorTo(column, 3600000));
    case "day":
      return sql.raw(floorTo(column, 86400000));
    case "month":
      return sql.raw(`(extract(epoch from date_trunc('month', to_timestamp(${column} / 1000.0) at time zone 'UTC')) * 1000)::bigint`);
  }
}

/** One report row: a period, the values of the grouped dimensions (null: none), and its sums. */
export type ReportRow = {
  periodStart: number;
  dims: (string | null)[];
  requests: number;
  costMicros: number;
  byokCostMicros: number;
  inputTokens: number;
  outputTokens: number;
  /** Of the input tokens: cache reads and cache writes; of the output tokens: reasoning. */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
};

/** Where a page ends: the last row's period and grouped values (`''` for none), as stored. */
export type ReportCursor = [number, ...string[]];

export type ReportQuery = {
  teamId: string;
  /** Hours starting in [from, to) are reported. */
  from: number;
  to: number;
  granularity: Granularity;
  groupBy: Dimension[];
  limit: number;
  after?: ReportCursor | undefined;
  /** Only this key's or project's usage. */
  keyId?: string | undefined;
  projectId?: string | undefined;
  /** Only the usage of this end user, or carrying any of these tags (raw usage reports). */
  endUser?: string | undefined;
  tags?: string[] | undefined;
};

/** Whether a query needs raw usage reports: grouped or filtered by end user or tag. */
export const isAttributed = (q: Pick<ReportQuery, "groupBy" | "endUser" | "tags">) =>
  q.groupBy.some((d) => ATTRIBUTED_DIMENSIONS.includes(d)) || q.endUser !== undefined || q.tags !== undefined;

/**
 * A team's spend per period (and per the grouped dimensions), from the hourly rollups only: a
 * year's report reads the team's rollup rows in that range by primary key, never raw reports,
 * and a report grouped by nothing or by model only reads the team-level rollups, whose size does
 * not grow with the team's number of keys, projects or users.
 * Ordered by period, then the grouped values; `limit + 1` rows so the caller can tell a next page.
 * Cost sums saturate at `MAX_SPEND_MICROS`, as the budget counters do.
 */
export async function spendReport(db: Db, q: ReportQuery): Promise<{ rows: ReportRow[]; cursors: ReportCursor[] }> {
  if (isAttributed(q)) return attributedReport(db, q);
  const bucket = bucketSql(q.granularity);
  const dims = q.groupBy.map((d) => COLUMN[d as keyof typeof COLUMN]);
  // Not grouped or filtered by key, project or user: the team's own rollups (at most one row per hour and model).
  const teamLevel = q.groupBy.every((d) => d === "model") && q.keyId === undefined && q.projectId === undefined;
  const keys = sql.join([bucket, ...dims], sql`, `);
  const conds: SQL[] = [sql`team_id = ${q.teamId}`, sql`hour_start >= ${q.from}::bigint`, sql`hour_start < ${q.to}::bigint`];
  if (q.keyId !== undefined) conds.push(sql`key_id = ${q.keyId}`);
  if (q.projectId !== undefined) conds.push(sql`project_id = ${q.projectId}`);
  let having = sql``;
  if (q.after) {
    // A period starts at or before its first hour: no later page needs an hour before it.
    conds.push(sql`hour_start >= ${q.after[0]}::bigint`);
    const values = [sql`${q.after[0]}::bigint`, ...q.after.slice(1).map((v) => sql`${v}::text`)];
    having = sql`having (${keys}) > (${sql.join(values, sql`, `)})`;
  }
  const dimSelect = dims.map((d, i) => sql`, ${d} as ${sql.raw(`d${i}`)}`);
  const result = await db.execute(sql`
    select ${bucket} as period_start${sql.join(dimSelect, sql``)},
           sum(requests)::text as requests,
           least(sum(cost_micros), ${MAX_SPEND_MICROS}::bigint)::text as cost, least(sum(byok_cost_micros), ${MAX_SPEND_MICROS}::bigint)::text as byok,
           sum(input_tokens)::text as input, sum(output_tokens)::text as output,
           sum(cache_read_tokens)::text as cache_read, sum(cache_write_tokens)::text as cache_write, sum(reasoning_tokens)::text as reasoning
      from ${teamLevel ? sql.raw("usage_rollups_team") : sql.raw("usage_rollups")}
     where ${sql.join(conds, sql` and `)}
     group by ${keys}
     ${having}
     order by ${keys}
     limit ${q.limit + 1}`);
  return toRows(q, rowsOf<Record<string, unknown>>(result));
}

/**
 * `spendReport` grouped or filtered by end user or tag, from raw usage reports: only those that
 * carry an end user or tags are read (one partial index, `usage_attributed_idx`), so only usage
 * still within `TOLLGATE_USAGE_RETENTION_DAYS` is reported. Grouped by `endUser`, reports without
 * one are left out; grouped by `tag`, a report counts once under each of its tags and reports
 * without tags are left out. `tags` keeps the reports carrying any of them. A report's period is
 * the hour it was recorded in (`created_at`), hours starting in [from, to) as for the rollups.
 */
async function attributedReport(db: Db, q: ReportQuery): Promise<{ rows: ReportRow[]; cursors: ReportCursor[] }> {
  const bucket = bucketSql(q.granularity, "e.created_at");
  const dims = q.groupBy.map((d) => EVENT_COLUMN[d]);
  const keys = sql.join([bucket, ...dims], sql`, `);
  const to = Math.ceil(q.to / 3_600_000) * 3_600_000;
  const conds: SQL[] = [
    sql`e.team_id = ${q.teamId}`,
    sql`e.created_at >= ${q.from}::bigint`,
    sql`e.created_at < ${to}::bigint`,
    sql`(e.end_user is not null or e.tags is not null)`,
  ];
  if (q.groupBy.includes("endUser")) conds.push(sql`e.end_user is not null`);
  if (q.keyId !== undefined) conds.push(sql`e.key_id = ${q.keyId}`);
  if (q.projectId !== undefined) conds.push(sql`e.project_id = ${q.projectId}`);
  if (q.endUser !== undefined) conds.push(sql`e.end_user = ${q.endUser}`);
  if (q.tags !== undefined) conds.push(sql`e.tags && array(select jsonb_array_elements_text(${JSON.stringify(q.tags)}::jsonb))`);
  let having = sql``;
  if (q.after) {
    conds.push(sql`e.created_at >= ${q.after[0]}::bigint`);
    const values = [sql`${q.after[0]}::bigint`, ...q.after.slice(1).map((v) => sql`${v}::text`)];
    having = sql`having (${keys}) > (${sql.join(values, sql`, `)})`;
  }
  const dimSelect = dims.map((d, i) => sql`, ${d} as ${sql.raw(`d${i}`)}`);
  const result = await db.execute(sql`
    select ${bucket} as period_start${sql.join(dimSelect, sql``)},
           count(*)::text as requests,
           least(coalesce(sum(e.cost_micros) filter (where not e.byok), 0), ${MAX_SPEND_MICROS}::bigint)::text as cost,
           least(coalesce(sum(e.cost_micros) filter (where e.byok), 0), ${MAX_SPEND_MICROS}::bigint)::text as byok,
           coalesce(sum(e.input_tokens), 0)::text as input, coalesce(sum(e.output_tokens), 0)::text as output,
           coalesce(sum(e.cache_read_tokens), 0)::text as cache_read, coalesce(sum(e.cache_write_tokens), 0)::text as cache_write,
           coalesce(sum(e.reasoning_tokens), 0)::text as reasoning
      from usage_events e${q.groupBy.includes("tag") ? sql` cross join lateral unnest(e.tags) as t(tag)` : sql``}
     where ${sql.join(conds, sql` and `)}
     group by ${keys}
     ${having}
     order by ${keys}
     limit ${q.limit + 1}`);
  return toRows(q, rowsOf<Record<string, unknown>>(result));
}

function toRows(q: ReportQuery, raw: Record<string, unknown>[]): { rows: ReportRow[]; cursors: ReportCursor[] } {
  const rows: ReportRow[] = [];
  const cursors: ReportCursor[] = [];
  for (const r of raw) {
    const stored = q.groupBy.map((_, i) => String(r[`d${i}`]));
    const periodStart = Number(r.period_start);
    rows.push({
      periodStart,
      dims: stored.map((v) => (v === "" ? null : v)),
      requests: Number(r.requests),
      costMicros: Number(r.cost),
      byokCostMicros: Number(r.byok),
      inputTokens: Number(r.input),
      outputTokens: Number(r.output),
      cacheReadTokens: Number(r.cache_read),
      cacheWriteTokens: Number(r.cache_write),
      reasoningTokens: Number(r.reasoning),
    });
    cursors.push([periodStart, ...stored]);
  }
  return { rows, cursors };
}

/**
 * Deletes raw usage reports created before `cutoff` in batches of `batch` rows, each its own short
 * statement (no long lock; reports keep being recorded meanwhile). Rollups are not touched.
 * Ids are time-sortable, so the batch is found on the primary key; `created_at` is checked too.
 * Returns the number of rows deleted.
 */
export async function deleteUsageBefore(db: Db, cutoff: number, opts: { batch?: number; idBound: string }): Promise<number> {
  const batch = opts.batch ?? 5000;
  let total = 0;
  for (;;) {
    const n = await deleteUsageBatch(db, cutoff, opts.idBound, batch);
    total += n;
    if (n < batch) return total;
  }
}

/** One batch of `deleteUsageBefore`: at most `batch` rows, oldest first. Returns how many. */
export async function deleteUsageBatch(db: Db, cutoff: number, idBound: string, batch: number): Promise<number> {
  const result = await db.execute(sql`
    delete from usage_events where id in (
      select id from usage_events where id < ${idBound} and created_at < ${cutoff}::bigint order by id limit ${batch})
    returning 1`);
  return rowsOf(result).length;
}
