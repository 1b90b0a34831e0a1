import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import type { Db } from "../db/client.js";
import { resolveTeamScope } from "../http/auth.js";
import { badRequest, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { transact } from "../events/transact.js";
import { findTeamProjectId } from "../projects/queries.js";
import { AlertThresholdsSchema, EnforcementSchema, findCounter, findMemberUserId, RefreshPeriodSchema, upsertBudget } from "./budgets.js";
import { BudgetSchema, BudgetScopeTypeSchema, toBudget } from "./budget-schemas.js";
import { dollarsToMicros, usdAmountSchema } from "./money.js";
import { DEFAULT_SCOPE_ID, stateOf, type Entity } from "./state.js";
import { withReserved } from "./leases.js";
import { apiRoute } from "../http/route.js";

export const PutBudgetRequest = z
  .strictObject({
    scopeType: BudgetScopeTypeSchema,
    projectId: z.string().min(1).max(64).optional(),
    userId: z.string().min(1).max(64).optional(),
    limitAmount: usdAmountSchema().openapi({ description: "US dollars, ≥ 0 (0 refuses every request in scope)." }),
    refreshPeriod: RefreshPeriodSchema,
    includeByokInQuota: z.boolean().optional(),
    alertThresholds: AlertThresholdsSchema.optional(),
    enforcement: EnforcementSchema.optional().openapi({ description: "`soft` (default) or `hard`." }),
  })
  .openapi("PutBudgetRequest");

export const PutBudgetResponse = z.object({ budget: BudgetSchema }).openapi("PutBudgetResponse");
export type PutBudgetResponse = z.infer<typeof PutBudgetResponse>;

export const route = createRoute({
  operationId: "putBudget",
  method: "put",
  path: "/v1/ai-gateway/budgets",
  tags: ["Budgets"],
  summary: "Set a team, project or user budget",
  description:
    "OWNER or MEMBER. Creates or replaces the budget of one scope; editing keeps the spend counted in the current period. A request is refused (402) when any budget in its scope is spent: its key's, the team's, its project's and its creator's.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(PutBudgetRequest) },
  responses: { 200: json(PutBudgetResponse, "The budget."), ...errorResponses(400, 401, 403, 413, 422) },
});

export const putBudgetRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "write");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const { db, clock } = deps;
  const teamId = scope.team.id;
  const entity = await budgetEntity(db, teamId, body);
  const now = clock.now();
  const budget = await transact(deps, async (tx, publish) => {
    const { before, after } = await upsertBudget(
      tx,
      teamId,
      entity,
      {
        limitMicros: dollarsToMicros(body.limitAmount),
        refreshPeriod: body.refreshPeriod,
        includeByok: body.includeByokInQuota ?? false,
        alertThresholds: body.alertThresholds,
        enforcement: body.enforcement ?? "soft",
        active: true,
        archived: false,
      },
      now,
    );
    await publish({ t: "budgets", teamId });
    await writeAudit(tx, {
      teamId,
      actor: actorOf(scope.principal),
      action: before ? "budget.update" : "budget.create",
      target: { type: "budget", id: after.id },
      data: { ...body },
      at: now,
    });
    const counter = entity.scopeId === DEFAULT_SCOPE_ID ? undefined : await findCounter(tx, teamId, entity);
    if (entity.scopeId === DEFAULT_SCOPE_ID) return toBudget(after, null);
    const [st] = await withReserved(tx, teamId, [stateOf(entity, after, counter, now)], now);
    return toBudget(after, st!);
  });
  return c.json({ budget }, 200);
});

/** The entity a budget request names; 400 for an id outside the team or a mismatched field. */
export async function budgetEntity(
  db: Db,
  teamId: string,
  q: { scopeType: "team" | "project" | "user"; projectId?: string | undefined; userId?: string | undefined },
): Promise<Entity> {
  if (q.scopeType === "team") {
    if (q.projectId || q.userId) throw badRequest("A team budget takes neither projectId nor userId.", [{ path: q.projectId ? "projectId" : "userId", message: "not allowed for scopeType team" }]);
    return { scopeType: "team", scopeId: teamId };
  }
  if (q.scopeType === "project") {
    if (q.userId) throw badRequest("A project budget takes no userId.", [{ path: "userId", message: "not allowed for scopeType project" }]);
    if (!q.projectId) return { scopeType: "project", scopeId: DEFAULT_SCOPE_ID };
    const p = await findTeamProjectId(db, teamId, q.projectId);
    if (!p) throw badRequest("Unknown projectId.", [{ path: "projectId", message: "no such project in this team" }]);
    return { scopeType: "project", scopeId: q.projectId };
  }
  if (q.projectId) throw badRequest("A user budget takes no projectId.", [{ path: "projectId", message: "not allowed for scopeType user" }]);
  if (!q.userId) return { scopeType: "user", scopeId: DEFAULT_SCOPE_ID };
  const m = await findMemberUserId(db, teamId, q.userId);
  if (!m) throw badRequest("Unknown userId.", [{ path: "userId", message: "not a member of this team" }]);
  return { scopeType: "user", scopeId: q.userId };
}
