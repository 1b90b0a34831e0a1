import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { transact } from "../events/transact.js";
import { BudgetScopeTypeSchema } from "./budget-schemas.js";
import { changeBudgets, deleteBudget } from "./budgets.js";
import { budgetEntity } from "./v1_budgets_put.js";
import { apiRoute } from "../http/route.js";

export const DeleteBudgetQuery = TeamQuerySchema.extend({
  scopeType: BudgetScopeTypeSchema,
  projectId: z.string().min(1).max(64).optional(),
  userId: z.string().min(1).max(64).optional(),
});

export const route = createRoute({
  operationId: "deleteBudget",
  method: "delete",
  path: "/v1/ai-gateway/budgets",
  tags: ["Budgets"],
  summary: "Remove a team, project or user budget",
  description: "OWNER or MEMBER. Names the budget as `PUT` does (no projectId/userId: the default one). 404 when there is none.",
  security: bearerSecurity,
  request: { query: DeleteBudgetQuery },
  responses: { 204: noContent("Removed."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteBudgetRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "write");
  const deps = c.get("deps");
  const { db, clock } = deps;
  const entity = await budgetEntity(db, scope.team.id, q);
  const now = clock.now();
  const deleted = await transact(deps, async (tx, publish) => {
    const rows = await changeBudgets(tx, scope.team.id, entity, now, () => deleteBudget(tx, scope.team.id, entity));
    if (rows.length === 0) return false;
    await publish({ t: "budgets", teamId: scope.team.id });
    await writeAudit(tx, {
      teamId: scope.team.id,
      actor: actorOf(scope.principal),
      action: "budget.delete",
      target: { type: "budget", id: rows[0]!.id },
      data: { scopeType: q.scopeType, projectId: q.projectId ?? null, userId: q.userId ?? null },
      at: now,
    });
    return true;
  });
  if (!deleted) throw notFound("Budget");
  return c.body(null, 204);
});
