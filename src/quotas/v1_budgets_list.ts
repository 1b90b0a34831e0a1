import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, ne } from "drizzle-orm";
import { budgets, spendCounters } from "../db/schema.js";
import { resolveTeamScope } from "../http/auth.js";
import type { App } from "../http/context.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { BudgetSchema, toBudget } from "./budget-schemas.js";
import { DEFAULT_SCOPE_ID, stateOf } from "./state.js";

export const ListBudgetsResponse = z.object({ budgets: z.array(BudgetSchema) }).openapi("ListBudgetsResponse");
export type ListBudgetsResponse = z.infer<typeof ListBudgetsResponse>;

export const route = createRoute({
  operationId: "listBudgets",
  method: "get",
  path: "/v1/ai-gateway/budgets",
  tags: ["Budgets"],
  summary: "List team, project and user budgets",
  description: "Any member. Oldest first, with the spend of the current period. Key quotas are on the keys themselves.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema },
  responses: { 200: json(ListBudgetsResponse, "The team's budgets."), ...errorResponses(400, 401, 403) },
});

export const registerListBudgets = (app: App) =>
  app.openapi(route, async (c) => {
    const scope = await resolveTeamScope(c, c.req.valid("query"), "read");
    const { db, clock } = c.get("deps");
    const now = clock.now();
    const teamId = scope.team.id;
    const rows = await db
      .select()
      .from(budgets)
      .where(and(eq(budgets.teamId, teamId), ne(budgets.scopeType, "api_key"), eq(budgets.archived, false)))
      .orderBy(asc(budgets.id));
    const counters = await db.select().from(spendCounters).where(and(eq(spendCounters.teamId, teamId), ne(spendCounters.scopeType, "api_key")));
    const out = rows.map((b) => {
      if (b.scopeId === DEFAULT_SCOPE_ID) return toBudget(b, null);
      const entity = { scopeType: b.scopeType, scopeId: b.scopeId };
      const counter = counters.find((x) => x.scopeType === b.scopeType && x.scopeId === b.scopeId);
      return toBudget(b, stateOf(entity, b, counter, now));
    });
    return c.json({ budgets: out }, 200);
  });
