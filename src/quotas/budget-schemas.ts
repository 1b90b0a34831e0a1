import { z } from "@hono/zod-openapi";
import { Millis } from "../http/schemas.js";
import { microsToDollars } from "./money.js";
import { EnforcementSchema, RefreshPeriodSchema } from "./budgets.js";
import { DEFAULT_SCOPE_ID, effectiveSpend, type Budget, type QuotaState } from "./state.js";

export const BudgetScopeTypeSchema = z.enum(["team", "project", "user"]).openapi({
  description:
    "`team`: all spend of the team. `project` with `projectId`: that project's keys; without: the default budget of every project that has none of its own. `user` with `userId`: keys created by that user; without: the default for every user.",
});

export const BudgetSchema = z
  .object({
    id: z.string().openapi({ example: "bdg_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    teamId: z.string(),
    scopeType: BudgetScopeTypeSchema,
    projectId: z.string().nullable(),
    userId: z.string().nullable(),
    isDefault: z.boolean().openapi({ description: "A default budget (no projectId/userId) applies to each project/user separately." }),
    limitAmount: z.number(),
    refreshPeriod: RefreshPeriodSchema,
    includeByokInQuota: z.boolean(),
    alertThresholds: z.array(z.number().int()),
    enforcement: EnforcementSchema,
    currentSpend: z.number().nullable().openapi({ description: "Spend counted in the current period (null for default budgets, which count per project/user)." }),
    reserved: z.number().nullable().openapi({ description: "US dollars held by gateway instances for requests in flight (hard budgets; 0 for soft ones; null for default budgets)." }),
    periodStart: Millis.nullable(),
    periodEnd: Millis.nullable(),
    createdAt: Millis,
    updatedAt: Millis,
  })
  .openapi("Budget");
export type BudgetView = z.infer<typeof BudgetSchema>;

export function toBudget(b: Budget, state: QuotaState | null): BudgetView {
  const isDefault = b.scopeId === DEFAULT_SCOPE_ID;
  return {
    id: b.id,
    teamId: b.teamId,
    scopeType: b.scopeType as "team" | "project" | "user",
    projectId: b.scopeType === "project" && !isDefault ? b.scopeId : null,
    userId: b.scopeType === "user" && !isDefault ? b.scopeId : null,
    isDefault,
    limitAmount: microsToDollars(b.limitMicros),
    refreshPeriod: b.refreshPeriod,
    includeByokInQuota: b.includeByok,
    alertThresholds: b.alertThresholds,
    enforcement: b.enforcement,
    currentSpend: state ? microsToDollars(effectiveSpend({ ...state, budget: b })) : null,
    reserved: state ? microsToDollars(state.reservedMicros ?? 0) : null,
    periodStart: state?.periodStart ?? null,
    periodEnd: state?.periodEnd ?? null,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}
