import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { subjectOfCaller } from "../gateway/authorize.js";
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
const GROUPS = ["day", "model", "provider", "user", "tag"] as const;
/** At most this many tags in the `tags` filter, each at most this long (as `providerOptions.gateway.tags`). */
const MAX_TAGS = 100;
const MAX_TAG_LENGTH = 1000;

const Row = z.object({
  day: z.string().optional(),
  hour: z.string().optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  user: z.string().optional().openapi({ description: "With `group_by=user`: the end user (`providerOptions.gateway.user`)." }),
  tag: z.string().optional().openapi({ description: "With `group_by=tag`: one tag (`providerOptions.gateway.tags`)." }),
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
    "What `gateway.getSpendReport()` reads (at the server's root), from the hourly rollups of `GET /v1/ai-gateway/usage`: a gateway key's own spend (an OIDC token: its project's)",
    "between `start_date` and `end_date` (UTC days, both included, at most 366 days), grouped by `day` (the default; `date_part=hour` for hours), `model`, `provider`,",
    "`user` or `tag`, filtered by `model`, `provider`, `user_id` (the end user) or `tags` (comma-separated, at most 100: the requests carrying any of them).",
    "The end user and tags are the AI SDK's `providerOptions.gateway.user` and `tags`, kept with each request's usage but not in the rollups: `group_by=user|tag` and the",
    "`user_id` and `tags` filters read raw usage reports, so they cover only the last `TOLLGATE_USAGE_RETENTION_DAYS` (default 30), and only the requests that carry",
    "an end user or tags: grouped by `user`, requests without one are left out; grouped by `tag`, a request counts once under each of its tags (rows can add up to more",
    "than the spend) and requests without tags are left out. Tollgate does not split tokens by credential type: `group_by=credential_type` and the `credential_type` filter are refused (400).",
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
      user_id: z.string().max(1000).optional().openapi({ description: "Only this end user's requests (`providerOptions.gateway.user`)." }),
      tags: z.string().optional().openapi({ description: "Comma-separated tags (at most 100, each at most 1000 characters): only the requests carrying any of them.", example: "team:finance,feature:summaries" }),
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
  if (groupBy === "credential_type") {
    throw badRequest("group_by=credential_type is not supported: Tollgate does not split usage by credential type. Use day, model, provider, user or tag.", [
      { path: "group_by", message: "day, model, provider, user or tag" },
    ]);
  }
  if (!(GROUPS as readonly string[]).includes(groupBy)) throw badRequest("`group_by` must be day, model, provider, user or tag.", [{ path: "group_by", message: "day, model, provider, user or tag" }]);
  const datePart = q.date_part ?? "day";
  if (datePart !== "day" && datePart !== "hour") throw badRequest("`date_part` must be day or hour.", [{ path: "date_part", message: "day or hour" }]);
  if (q.credential_type !== undefined) throw badRequest("The `credential_type` filter is not supported: Tollgate does not split usage by credential type.", [{ path: "credential_type", message: "not supported" }]);
  const endUser = q.user_id;
  if (endUser !== undefined && (endUser.length === 0 || endUser.length > 1000)) throw badRequest("`user_id` must be 1 to 1000 characters.", [{ path: "user_id", message: "1 to 1000 characters" }]);
  const tags = tagsFilter(c.req.queries("tags"));

  // The caller's own rows: grouped by its key (or project), then by model when needed. Grouped or
  // filtered by end user or tag: its key (or project) is a filter of the raw usage reports.
  const subject = subjectOfCaller(caller);
  const owner: Dimension = subject.keyId !== null ? "key" : "project";
  const ownerId = subject.keyId ?? subject.projectId;
  const attributed = groupBy === "user" || groupBy === "tag" || endUser !== undefined || tags !== undefined;
  const byModel = groupBy !== "day" || q.model !== undefined || q.provider !== undefined;
  const granularity: Granularity = groupBy === "day" ? datePart : "month";
  const first: Dimension[] = attributed ? (groupBy === "user" ? ["endUser"] : groupBy === "tag" ? ["tag"] : []) : [owner];
  const dims: Dimension[] = byModel ? [...first, "model"] : first;
  const { rows } = await spendReport(deps.db, {
    teamId: caller.teamId,
    from,
    to,
    granularity,
    groupBy: dims,
    limit: 100_000,
    ...(attributed ? { [owner === "key" ? "keyId" : "projectId"]: ownerId ?? "", endUser, tags } : {}),
  });

  const results = new Map<string, Acc>();
  for (const r of rows) {
    if (!attributed && r.dims[0] !== ownerId) continue;
    const model = byModel ? (r.dims[dims.length - 1] ?? "") : "";
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
    } else if (groupBy === "provider") {
      head = { provider };
      key = provider;
    } else {
      const value = r.dims[0] ?? "";
      head = groupBy === "user" ? { user: value } : { tag: value };
      key = value;
    }
    add(results, key, head, r);
  }
  const out = [...results.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, { head, ...v }]) => ({ ...head, ...v, total_cost: v.total_cost / 1e6 }));
  return c.json({ results: out });
}

/** The `tags` filter: comma-separated (as `getSpendReport` sends it; the parameter may repeat), empty ones dropped; undefined when none. */
function tagsFilter(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const tags = [...new Set(values.flatMap((v) => v.split(",")).filter((t) => t.length > 0))];
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH)) {
    throw badRequest(`\`tags\` names at most ${MAX_TAGS} tags, each at most ${MAX_TAG_LENGTH} characters.`, [{ path: "tags", message: `at most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters` }]);
  }
  return tags.length > 0 ? tags : undefined;
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
