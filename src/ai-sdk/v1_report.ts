import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { subjectOfCaller } from "../gateway/v1_gateway_authorize.js";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { badRequest } from "../http/errors.js";
import { spendReport, type Dimension, type Granularity, type ReportRow } from "../reports/queries.js";
import { refusals } from "./ai_language_model.js";
import { readCaller } from "./caller.js";

const DAY = 86_400_000;
/** At most this many days per report. */
export const MAX_REPORT_DAYS = 366;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GROUPS = ["day", "model", "provider"] as const;
const UNSUPPORTED_GROUPS = ["user", "tag", "credential_type"];

const Row = z.object({
  day: z.string().optional(),
  hour: z.string().optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  total_cost: z.number().openapi({ description: "US dollars." }),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_input_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  reasoning_tokens: z.number(),
  request_count: z.number(),
});

export const reportRoute = createRoute({
  operationId: "aiSdkSpendReport",
  method: "get",
  path: "/v1/report",
  tags: ["AI SDK gateway protocol"],
  summary: "The caller's spend report",
  description: [
    "What `gateway.getSpendReport()` reads (at the server's root), from the hourly rollups of `GET /v1/usage/report`: a gateway key's own spend (an OIDC token: its project's)",
    "between `start_date` and `end_date` (UTC days, both included, at most 366 days), grouped by `day` (the default; `date_part=hour` for hours), `model` or `provider`,",
    "filtered by `model` or `provider`. Tollgate does not record the AI SDK's `user` and `tags`, nor split tokens by credential type: `group_by=user|tag|credential_type`",
    "and the `user_id`, `tags` and `credential_type` filters are refused (400).",
  ].join(" "),
  security: [{ gatewayKey: [] as string[] }],
  request: {
    query: z.object({
      start_date: z.string().openapi({ example: "2025-01-01" }),
      end_date: z.string().openapi({ example: "2025-01-31" }),
      group_by: z.enum(GROUPS).optional(),
      date_part: z.enum(["day", "hour"]).optional(),
      model: z.string().optional(),
      provider: z.string().optional(),
    }),
  },
  responses: {
    200: { description: "The report's rows, in order.", content: { "application/json": { schema: z.object({ results: z.array(Row) }) } } },
    ...refusals([400, 401, 403]),
  },
});

function day(name: string, v: string | undefined): number {
  const t = v && DATE.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (!Number.isFinite(t)) throw badRequest(`\`${name}\` must be a date, YYYY-MM-DD.`, [{ path: name, message: "YYYY-MM-DD" }]);
  return t;
}

export async function handleReport(c: Context<AppEnv>, deps: DataPlaneDeps): Promise<Response> {
  const caller = await readCaller(c, deps);
  const q = c.req.query();
  const from = day("start_date", q.start_date);
  const to = day("end_date", q.end_date) + DAY;
  if (to <= from) throw badRequest("`end_date` is before `start_date`.", [{ path: "end_date", message: "before start_date" }]);
  if (to - from > MAX_REPORT_DAYS * DAY) throw badRequest(`A report covers at most ${MAX_REPORT_DAYS} days.`, [{ path: "end_date", message: `at most ${MAX_REPORT_DAYS} days` }]);
  const groupBy = q.group_by ?? "day";
  if (UNSUPPORTED_GROUPS.includes(groupBy)) {
    throw badRequest(`group_by=${groupBy} is not supported: Tollgate does not record the AI SDK's user, tags or credential type per token. Use day, model or provider.`, [{ path: "group_by", message: "day, model or provider" }]);
  }
  if (!(GROUPS as readonly string[]).includes(groupBy)) throw badRequest("`group_by` must be day, model or provider.", [{ path: "group_by", message: "day, model or provider" }]);
  const datePart = q.date_part ?? "day";
  if (datePart !== "day" && datePart !== "hour") throw badRequest("`date_part` must be day or hour.", [{ path: "date_part", message: "day or hour" }]);
  for (const unsupported of ["user_id", "tags", "credential_type"]) {
    if (q[unsupported] !== undefined) throw badRequest(`The \`${unsupported}\` filter is not supported: Tollgate does not record it.`, [{ path: unsupported, message: "not supported" }]);
  }

  // The caller's own rows: grouped by its key (or project), then by model when needed.
  const subject = subjectOfCaller(caller);
  const owner: Dimension = subject.keyId !== null ? "key" : "project";
  const ownerId = subject.keyId ?? subject.projectId;
  const byModel = groupBy !== "day" || q.model !== undefined || q.provider !== undefined;
  const granularity: Granularity = groupBy === "day" ? datePart : "month";
  const { rows } = await spendReport(deps.db, { teamId: caller.teamId, from, to, granularity, groupBy: byModel ? [owner, "model"] : [owner], limit: 100_000 });

  const results = new Map<string, Acc>();
  for (const r of rows) {
    if (r.dims[0] !== ownerId) continue;
    const model = r.dims[1] ?? "";
    const provider = model.slice(0, model.indexOf("/"));
    if (q.model !== undefined && model !== q.model) continue;
    if (q.provider !== undefined && provider !== q.provider) continue;
    let key: string;
    let head: Record<string, string>;
    if (groupBy === "day") {
      const iso = new Date(r.periodStart).toISOString();
      head = datePart === "hour" ? { hour: iso } : { day: iso.slice(0, 10) };
      key = iso;
    } else if (groupBy === "model") {
      head = { model };
      key = model;
    } else {
      head = { provider };
      key = provider;
    }
    add(results, key, head, r);
  }
  const out = [...results.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, { head, ...v }]) => ({ ...head, ...v, total_cost: v.total_cost / 1e6 }));
  return c.json({ results: out });
}

type Acc = {
  head: Record<string, string>;
  total_cost: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_creation_input_tokens: number;
  reasoning_tokens: number;
  request_count: number;
};

function add(results: Map<string, Acc>, key: string, head: Record<string, string>, r: ReportRow): void {
  let row = results.get(key);
  if (!row) {
    row = { head, total_cost: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cache_creation_input_tokens: 0, reasoning_tokens: 0, request_count: 0 };
    results.set(key, row);
  }
  row.total_cost += r.costMicros;
  row.input_tokens += r.inputTokens;
  row.output_tokens += r.outputTokens;
  row.cached_input_tokens += r.cacheReadTokens;
  row.cache_creation_input_tokens += r.cacheWriteTokens;
  row.reasoning_tokens += r.reasoningTokens;
  row.request_count += r.requests;
}
