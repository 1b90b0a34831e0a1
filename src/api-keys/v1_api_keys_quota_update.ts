import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { badRequest, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { AlertThresholdsSchema, EnforcementSchema, findBudget, loadKeyQuotas, RefreshPeriodSchema, toApiKeyQuota, upsertBudget } from "../quotas/budgets.js";
import { dollarsToMicros, usdAmountSchema } from "../quotas/money.js";
import { loadQuotaStates } from "../quotas/state.js";
import { withReserved } from "../quotas/leases.js";
import { writeLockedKey } from "./access.js";
import { ApiKeyQuotaSchema, ApiKeySchema, toApiKey } from "./schemas.js";
import { KeyIdParam } from "./v1_api_keys_get.js";
import { apiRoute } from "../http/route.js";

export const UpdateQuotaRequest = z
  .strictObject({
    limitAmount: usdAmountSchema({ min: 1 }).optional().openapi({ description: "Budget in US dollars (≥ 1). Required when the key has no budget yet." }),
    refreshPeriod: RefreshPeriodSchema.optional(),
    includeByokInQuota: z.boolean().optional(),
    active: z.boolean().optional().openapi({ description: "`false` pauses enforcement; spend is still counted." }),
    archived: z.boolean().optional().openapi({
      description: "`true` removes the budget (the key's `quota` becomes null: unlimited). Any later edit without `archived: true` restores it, with the spend of the current period.",
    }),
    alertThresholds: AlertThresholdsSchema.optional(),
    enforcement: EnforcementSchema.optional(),
  })
  .openapi("UpdateApiKeyQuotaRequest");

export const UpdateQuotaResponse = z
  .object({
    apiKey: ApiKeySchema,
    quota: ApiKeyQuotaSchema.openapi({ description: "The budget as stored (also when archived, then with `archived: true`)." }),
  })
  .openapi("UpdateApiKeyQuotaResponse");
export type UpdateQuotaResponse = z.infer<typeof UpdateQuotaResponse>;

export const route = createRoute({
  operationId: "updateApiKeyQuota",
  method: "patch",
  path: "/v1/api-keys/{id}/quota",
  tags: ["API keys"],
  summary: "Create, edit, archive or restore a key's budget",
  description:
    "OWNER or MEMBER. The only editable property of a key. Upserts: `limitAmount` is required when the key has no budget. Editing keeps the spend counted in the current period (also when `refreshPeriod` changes).",
  security: bearerSecurity,
  request: { params: KeyIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateQuotaRequest) },
  responses: { 200: json(UpdateQuotaResponse, "The key and its budget."), ...errorResponses(400, 401, 403, 404, 413, 422) },
});

export const updateApiKeyQuotaRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const { db, clock } = deps;
  const now = clock.now();
  // On the locked key and membership: a removed member's in-flight edit lands before the removal or is 404.
  const { key, quota } = await writeLockedKey(c, id, c.req.valid("query"), "write", { includeDeleted: false }, async (tx, publish, { key, principal }) => {
    const entity = { scopeType: "api_key" as const, scopeId: key.id };
    const existing = await findBudget(tx, key.teamId, "api_key", key.id);
    if (!existing && body.limitAmount === undefined) {
      throw badRequest("This key has no budget yet: limitAmount is required.", [{ path: "limitAmount", message: "required when the key has no budget" }]);
    }
    const { before, after } = await upsertBudget(
      tx,
      key.teamId,
      entity,
      {
        limitMicros: body.limitAmount === undefined ? undefined : dollarsToMicros(body.limitAmount),
        refreshPeriod: body.refreshPeriod,
        includeByok: body.includeByokInQuota,
        alertThresholds: body.alertThresholds,
        enforcement: body.enforcement,
        active: body.active,
        archived: body.archived,
      },
      now,
    );
    await publish({ t: "budgets", teamId: key.teamId });
    await writeAudit(tx, {
      teamId: key.teamId,
      actor: actorOf(principal),
      action: before ? (after.archived && !before.archived ? "quota.archive" : "quota.update") : "quota.create",
      target: { type: "api_key", id: key.id },
      data: { changes: body },
      at: now,
    });
    const [state] = (await loadQuotaStates(tx, { teamId: key.teamId, keyId: key.id, projectId: null, userId: null }, now)).filter(
      (s) => s.entity.scopeType === "api_key",
    );
    await withReserved(tx, key.teamId, [state!], now);
    return { key, quota: toApiKeyQuota(state!) };
  });
  const quotas = await loadKeyQuotas(db, key.teamId, [key.id], now);
  return c.json({ apiKey: toApiKey(key, now, quotas.get(key.id) ?? null), quota }, 200);
});
