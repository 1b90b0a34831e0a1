import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { subjectOfCaller, type Caller } from "../gateway/authorize.js";
import type { QuotaSummarySchema } from "../gateway/schemas.js";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { spendReport } from "../reports/queries.js";
import { refusals } from "./ai_language_model.js";
import { readCaller } from "./caller.js";

export const creditsRoute = createRoute({
  operationId: "aiSdkCredits",
  method: "get",
  path: "/v1/credits",
  tags: ["AI SDK gateway protocol"],
  summary: "The caller's remaining budget and spend",
  description: [
    "What `gateway.getCredits()` reads (at the server's root, as the SDK resolves it from the base URL's origin). `balance`: the tightest remaining budget in the",
    "caller's scope (its key's, team's, project's, key creator's; enforced budgets only), and `total_used`: that budget's spend this period. With no budget in scope,",
    "`balance` is `Infinity` and `total_used` the caller's spend of all time (its key's, or for an OIDC token its project's, from the hourly rollups). US dollars, as decimal strings.",
  ].join(" "),
  security: [{ gatewayKey: [] as string[] }],
  responses: {
    200: {
      description: "The balance and spend.",
      content: { "application/json": { schema: z.object({ balance: z.string().openapi({ example: "12.345678" }), total_used: z.string().openapi({ example: "7.654322" }) }) } },
    },
    ...refusals([401, 403]),
  },
});

type QuotaSummary = z.infer<typeof QuotaSummarySchema>;

/** Integer micro-dollars as a dollar string with 6 decimals. */
export const dollars = (micros: number) => {
  const sign = micros < 0 ? "-" : "";
  const m = Math.abs(Math.round(micros));
  return `${sign}${Math.floor(m / 1e6)}.${String(m % 1e6).padStart(6, "0")}`;
};
const toMicros = (usd: number) => Math.round(usd * 1e6);

export async function handleCredits(c: Context<AppEnv>, deps: DataPlaneDeps): Promise<Response> {
  const caller = await readCaller(c, deps);
  const now = deps.clock.now();
  const v = deps.gateway.quotaView(caller, now);
  const view = v instanceof Promise ? await v : v;
  const quotas = (JSON.parse(view.json) as QuotaSummary[]).filter((q) => q.enforced);
  let tightest: QuotaSummary | undefined;
  for (const q of quotas) if (!tightest || q.remaining < tightest.remaining) tightest = q;
  if (tightest) return c.json({ balance: dollars(toMicros(tightest.remaining)), total_used: dollars(toMicros(tightest.currentSpend)) });
  return c.json({ balance: "Infinity", total_used: dollars(await spendOfAllTime(deps, caller, now)) });
}

/** The caller's spend of all time in micro-dollars (its key's, or its project's for an OIDC token), from the rollups. */
async function spendOfAllTime(deps: DataPlaneDeps, caller: Caller, now: number): Promise<number> {
  const subject = subjectOfCaller(caller);
  const dim = subject.keyId !== null ? "key" : "project";
  const id = subject.keyId ?? subject.projectId;
  const { rows } = await spendReport(deps.db, { teamId: caller.teamId, from: 0, to: now + 3_600_000, granularity: "month", groupBy: [dim], limit: 100_000 });
  let micros = 0;
  for (const r of rows) if (r.dims[0] === id) micros += r.costMicros;
  return micros;
}
