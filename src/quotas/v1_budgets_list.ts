import { createRoute, z } from "@hono/zod-openapi";
import { withReserved } from "./leases.js";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema, TeamQuerySchema } from "../http/schemas.js";
import { BudgetSchema, toBudget } from "./budget-schemas.js";
import { findCountersOfScopeIds, listTeamBudgets } from "./budgets.js";
import { DEFAULT_SCOPE_ID, stateOf } from "./state.js";
import { apiRoute } from "../http/route.js";

export const ListBudgetsResponse = z.object({ budgets: z.array(BudgetSchema), pagination: PaginationSchema }).openapi("ListBudgetsResponse");
export type ListBudgetsResponse = z.infer<typeof ListBudgetsResponse>;

export const route = createRoute({
  operationId: "listBudgets",
  method: "get",
  path: "/v1/ai-gateway/budgets",
  tags: ["Budgets"],
  summary: "List team, project and user budgets",
  description:
    "Any member. Oldest first, with the spend of the current period, paginated like every list (`limit`, and `until` = the `pagination.next` of the previous page, which continues after it). Key quotas are on the keys themselves.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema.extend(PageQuerySchema.shape) },
  responses: { 200: json(ListBudgetsResponse, "The team's budgets."), ...errorResponses(400, 401, 403) },
});

export const listBudgetsRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const cursor = decodeCursor(q.until);
  const { db, clock } = c.get("deps");
  const now = clock.now();
  const teamId = scope.team.id;
  const rows = await listTeamBudgets(db, teamId, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  const ids = page.filter((b) => b.scopeId !== DEFAULT_SCOPE_ID).map((b) => b.scopeId);
  const counters = ids.length === 0 ? [] : await findCountersOfScopeIds(db, teamId, ids);
  const states = page.map((b) => {
    if (b.scopeId === DEFAULT_SCOPE_ID) return null;
    const entity = { scopeType: b.scopeType, scopeId: b.scopeId };
    const counter = counters.find((x) => x.scopeType === b.scopeType && x.scopeId === b.scopeId);
    return stateOf(entity, b, counter, now);
  });
  await withReserved(db, teamId, states.filter((s) => s !== null), now);
  const out = page.map((b, i) => toBudget(b, states[i] ?? null));
  return c.json({ budgets: out, pagination }, 200);
});
