import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { badRequest, errorResponses } from "../http/errors.js";
import { bearerSecurity } from "../http/openapi.js";
import { PaginationSchema, TeamQuerySchema } from "../http/schemas.js";
import { microsToDollars } from "../quotas/money.js";
import { DIMENSIONS, GRANULARITIES, spendReport, type Dimension, type ReportCursor, type ReportRow } from "./queries.js";
import { apiRoute } from "../http/route.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_LIMIT = 1000;

const DIM_FIELD: Record<Dimension, "keyId" | "model" | "projectId" | "userId" | "endUser" | "tag"> = {
  key: "keyId",
  model: "model",
  project: "projectId",
  user: "userId",
  endUser: "endUser",
  tag: "tag",
};

export const UsageReportQuery = TeamQuerySchema.extend({
  from: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "Start (ms since the epoch, UTC), inclusive, at hour precision: the hour holding it is the first one reported. Default: 30 days before `to`.", example: 1764547200000 }),
  to: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "End (ms since the epoch, UTC), exclusive: hours starting before it are reported. Default: now.", example: 1767225600000 }),
  granularity: z.enum(GRANULARITIES).default("day").openapi({ description: "One row per UTC hour, day or calendar month (and per group). Default `day`." }),
  groupBy: z
    .string()
    .max(64)
    .optional()
    .openapi({
      description:
        "Comma-separated dimensions to split each period by: any of `key`, `model`, `project`, `user`, `endUser`, `tag`. Default: none (one row per period). `endUser` and `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`) are read from raw usage reports: see the description.",
      example: "key,model",
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(20)
    .openapi({ description: `Rows per page, 1 to ${MAX_LIMIT} (reports allow larger pages than other lists).`, example: 100 }),
  until: z.string().min(1).max(16000).optional().openapi({ description: "Cursor from `pagination.next` of the previous page (the same query otherwise)." }),
});

export const UsageReportRowSchema = z
  .object({
    periodStart: z.number().int().openapi({ description: "Start of the UTC hour, day or month (ms since the epoch).", example: 1767225600000 }),
    keyId: z.string().nullable().optional().openapi({ description: "With `groupBy=key`: the gateway key (null: usage reported by OIDC token, without a key)." }),
    model: z.string().optional().openapi({ description: "With `groupBy=model`: the model actually called.", example: "openai/gpt-5-mini" }),
    projectId: z.string().nullable().optional().openapi({ description: "With `groupBy=project`: the key's project (null: none)." }),
    userId: z.string().nullable().optional().openapi({ description: "With `groupBy=user`: the key's creator, whose user budget the spend counts against (null: none)." }),
    endUser: z.string().optional().openapi({ description: "With `groupBy=endUser`: the app's end user, as the AI SDK sent it (`providerOptions.gateway.user`).", example: "user-123" }),
    tag: z.string().optional().openapi({ description: "With `groupBy=tag`: one of the requests' tags (`providerOptions.gateway.tags`); a request counts under each of its tags.", example: "feature:summaries" }),
    requests: z.number().int().openapi({ description: "Usage reports recorded." }),
    costUsd: z.number().openapi({
      description:
        "Cost of the requests that used Tollgate's (system) provider credentials, in US dollars: what budgets count by default. Saturates at 2^53 − 1 micro-dollars (9007199254.740992), as the budget counters do.",
    }),
    byokCostUsd: z.number().openapi({ description: "Cost of the requests made with the team's own provider credentials (BYOK). Saturates as `costUsd` does." }),
    inputTokens: z.number().int().openapi({ description: "Every input token, cache reads and writes included." }),
    outputTokens: z.number().int().openapi({ description: "Every output token, reasoning tokens included." }),
    cacheReadTokens: z.number().int().openapi({
      description: "Of `inputTokens`: read from the provider's prompt cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`), priced at the cache-read rate: what the cache saved.",
    }),
    cacheWriteTokens: z.number().int().openapi({ description: "Of `inputTokens`: written to the prompt cache (Anthropic `cache_creation_input_tokens`), priced at the cache-write rate." }),
    reasoningTokens: z.number().int().openapi({ description: "Of `outputTokens`: reasoning tokens (OpenAI `reasoning_tokens`)." }),
  })
  .openapi("UsageReportRow");

export const UsageReportResponse = z.object({ rows: z.array(UsageReportRowSchema), pagination: PaginationSchema }).openapi("UsageReportResponse");
export type UsageReportResponse = z.infer<typeof UsageReportResponse>;

export const route = createRoute({
  operationId: "getUsageReport",
  method: "get",
  path: "/v1/ai-gateway/usage",
  tags: ["Reports"],
  summary: "Spend report: who spent it, on which model, which day",
  description: [
    "Any member (DEVELOPER included). The team's spend per UTC hour, day or month, split by any of key, model, project and user; only this team's usage.",
    "Served from hourly rollups written in the same statement that adds the spend to the budget counters, so a period's `costUsd` and `byokCostUsd` equal the budget counters to the micro-dollar; a report grouped by nothing or by `model` only reads the team-level rollups (one row per hour and model, whatever the number of keys). A report's hour is the instant the usage was counted against budgets.",
    "Rows are ordered by period, then by the grouped values; empty periods are left out. Rollups are kept forever; raw usage reports are dropped after `TOLLGATE_USAGE_RETENTION_DAYS`.",
    "`groupBy` with `endUser` or `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`, which the rollups do not hold) reads raw usage reports instead, so it covers only the last `TOLLGATE_USAGE_RETENTION_DAYS`, and only the requests that carry an end user (for `endUser`) or tags (for `tag`): the others are left out. A request counts once under each of its tags, so a `tag` report's rows can add up to more than the spend. Its period is the hour the usage was recorded in.",
    "`Accept: text/csv` returns the same page as CSV (header row, then one line per row; money in dollars, times in ms), with the next page's cursor in the `X-Next-Cursor` header.",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: UsageReportQuery },
  responses: {
    200: {
      description: "A page of report rows.",
      headers: { "X-Next-Cursor": { description: "CSV only: the cursor of the next page (absent on the last page).", schema: { type: "string" } } },
      content: {
        "application/json": { schema: UsageReportResponse },
        "text/csv": { schema: z.string().openapi({ example: "periodStart,model,requests,costUsd,byokCostUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens\n1767225600000,openai/gpt-5-mini,12,0.12,0,3400,1200,2048,0,640\n" }) },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

function parseGroupBy(value: string | undefined): Dimension[] {
  if (value === undefined || value.trim() === "") return [];
  const out: Dimension[] = [];
  for (const part of value.split(",").map((s) => s.trim())) {
    if (!(DIMENSIONS as readonly string[]).includes(part)) {
      throw badRequest(`Unknown groupBy dimension '${part}'.`, [{ path: "groupBy", message: `each of ${DIMENSIONS.join(", ")}, comma-separated` }]);
    }
    if (out.includes(part as Dimension)) throw badRequest(`groupBy names '${part}' twice.`, [{ path: "groupBy", message: "each dimension once" }]);
    out.push(part as Dimension);
  }
  return out;
}

const encodeCursor = (c: ReportCursor) => Buffer.from(JSON.stringify(c), "utf8").toString("base64url");

function decodeCursor(value: string | undefined, groups: number): ReportCursor | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === groups + 1 &&
    Number.isSafeInteger(parsed[0]) &&
    parsed.slice(1).every((v) => typeof v === "string" && v.length <= 1000);
  if (!ok) throw badRequest("Invalid cursor.", [{ path: "until", message: "not a cursor returned by this query (same groupBy)" }]);
  return parsed as ReportCursor;
}

function toJson(r: ReportRow, groupBy: Dimension[]) {
  const out: Record<string, unknown> = { periodStart: r.periodStart };
  groupBy.forEach((d, i) => (out[DIM_FIELD[d]] = r.dims[i]));
  out.requests = r.requests;
  out.costUsd = microsToDollars(r.costMicros);
  out.byokCostUsd = microsToDollars(r.byokCostMicros);
  out.inputTokens = r.inputTokens;
  out.outputTokens = r.outputTokens;
  out.cacheReadTokens = r.cacheReadTokens;
  out.cacheWriteTokens = r.cacheWriteTokens;
  out.reasoningTokens = r.reasoningTokens;
  return out;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Whether the client asked for CSV (and not JSON first). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((t) => t.split(";")[0]!.trim().toLowerCase());
  const csv = types.indexOf("text/csv");
  const json = types.indexOf("application/json");
  return csv !== -1 && (json === -1 || csv < json);
}

export const usageReportRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const groupBy = parseGroupBy(q.groupBy);
  const to = q.to ?? c.get("deps").clock.now();
  const rawFrom = q.from ?? Math.max(0, to - 30 * DAY);
  if (rawFrom >= to) throw badRequest("`from` must be before `to`.", [{ path: "from", message: "before `to`" }]);
  const from = Math.floor(rawFrom / HOUR) * HOUR;
  const after = decodeCursor(q.until, groupBy.length);
  const { rows, cursors } = await spendReport(c.get("deps").db, {
    teamId: scope.team.id,
    from,
    to,
    granularity: q.granularity,
    groupBy,
    limit: q.limit,
    after,
  });
  const page = rows.slice(0, q.limit);
  const next = rows.length > q.limit ? encodeCursor(cursors[q.limit - 1]!) : null;
  const items = page.map((r) => toJson(r, groupBy));
  if (wantsCsv(c.req.header("accept"))) {
    const header = ["periodStart", ...groupBy.map((d) => DIM_FIELD[d]), "requests", "costUsd", "byokCostUsd", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens"];
    const lines = [header.join(","), ...items.map((it) => header.map((h) => csvCell(it[h])).join(","))];
    const headers: Record<string, string> = { "content-type": "text/csv; charset=utf-8" };
    if (next) headers["x-next-cursor"] = next;
    return c.body(lines.join("\n") + "\n", 200, headers) as never;
  }
  return c.json({ rows: items as UsageReportResponse["rows"], pagination: { count: page.length, next, prev: null } }, 200);
});
