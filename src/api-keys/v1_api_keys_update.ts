import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { badRequest, conflict, errorResponses, forbidden } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { loadKeyQuotas } from "../quotas/budgets.js";
import { modelIdSchema } from "../rules/model-id.js";
import { writeLockedKey } from "./access.js";
import { keyChanges, updateKey } from "./queries.js";
import { ApiKeySchema, MetadataSchema, RateLimitSchema, toApiKey, type ApiKeyRow } from "./schemas.js";
import { KeyIdParam } from "./v1_api_keys_get.js";
import { apiRoute } from "../http/route.js";

export const UpdateApiKeyRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(128).optional(),
    models: z.array(modelIdSchema).max(100).optional().openapi({ description: "Replaces the allow-list; `[]` allows every model." }),
    expiresAt: z.number().int().positive().nullable().optional().openapi({ description: "A future time in ms, or null for no expiry." }),
    metadata: MetadataSchema.optional().openapi({ description: "Replaces the metadata (not merged); returned exactly as sent." }),
    enabled: z.boolean().optional().openapi({
      description:
        "`false` deactivates the key (status `deactivated`; authorize refuses it on every instance within 100 ms). `true` reactivates it; a key deactivated by its creator's removal from the team can be reactivated by an OWNER only. A leaked key cannot be re-enabled (409).",
    }),
    rateLimit: RateLimitSchema.nullable().optional().openapi({ description: "Replaces the key's rate limits; null removes them." }),
  })
  .openapi("UpdateApiKeyRequest");

export const UpdateApiKeyResponse = z.object({ apiKey: ApiKeySchema }).openapi("UpdateApiKeyResponse");
export type UpdateApiKeyResponse = z.infer<typeof UpdateApiKeyResponse>;

export const route = createRoute({
  operationId: "updateApiKey",
  method: "patch",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Update, disable or re-enable a gateway API key",
  description: [
    "OWNER or MEMBER (DEVELOPER: 403). Only the fields given change; `metadata`, `models` and `rateLimit` are replaced as a whole.",
    "The change reaches authorize on every instance within 100 ms. A deleted key is 409 (it cannot come back); so is re-enabling a leaked key.",
    "Writes an audit event `api_key.update` (`api_key.disable` / `api_key.enable` when `enabled` changes).",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { params: KeyIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateApiKeyRequest) },
  responses: { 200: json(UpdateApiKeyResponse, "The key as updated."), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
});

export const updateApiKeyRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const now = deps.clock.now();
  // Every check on the key's state, and the audit action, are made on the rows locked in the
  // transaction: a concurrent removal of the caller (or of the key's creator) is either wholly
  // before this write or wholly after it.
  const row = await writeLockedKey(c, id, c.req.valid("query"), "write", { includeDeleted: true }, async (tx, publish, { key, role, principal }) => {
    if (key.deletedAt !== null) throw conflict("This API key was deleted: it cannot be changed or re-enabled.");
    if (body.enabled === true && key.leakedAt !== null) throw conflict("This API key was reported leaked: it cannot be re-enabled. Create a new key.");
    if (body.enabled === true && key.deactivatedAt !== null && role !== "OWNER") {
      throw forbidden("This key was deactivated when its creator left the team: only an OWNER can re-enable it.");
    }
    if (body.expiresAt != null && body.expiresAt <= now) {
      throw badRequest("expiresAt must be in the future.", [{ path: "expiresAt", message: "must be in the future" }]);
    }

    const set: Partial<ApiKeyRow> = {};
    if (body.name !== undefined) set.name = body.name;
    if (body.models !== undefined) set.models = [...new Set(body.models)];
    if (body.expiresAt !== undefined) set.expiresAt = body.expiresAt;
    if (body.metadata !== undefined) set.metadata = body.metadata;
    if (body.rateLimit !== undefined) {
      set.rateLimitRpm = body.rateLimit?.requestsPerMinute ?? null;
      set.rateLimitTpm = body.rateLimit?.tokensPerMinute ?? null;
    }
    if (body.enabled === false && key.disabledAt === null) set.disabledAt = now;
    if (body.enabled === true) {
      set.disabledAt = null;
      set.deactivatedAt = null;
    }
    if (Object.keys(set).length === 0) return key;

    const row = await updateKey(tx, key.id, set);
    for (const change of keyChanges(row!)) await publish(change);
    const wasEnabled = key.disabledAt === null && key.deactivatedAt === null;
    const enabled = row!.disabledAt === null && row!.deactivatedAt === null;
    await writeAudit(tx, {
      teamId: key.teamId,
      actor: actorOf(principal),
      action: wasEnabled && !enabled ? "api_key.disable" : !wasEnabled && enabled ? "api_key.enable" : "api_key.update",
      target: { type: "api_key", id: key.id },
      // Metadata is the user's free-form data: the audit says it changed, not what it holds.
      data: { changes: { ...body, metadata: body.metadata === undefined ? undefined : "(replaced)" } },
      at: now,
    });
    return row!;
  });
  const quotas = await loadKeyQuotas(deps.db, row.teamId, [row.id], now);
  return c.json({ apiKey: toApiKey(row, now, quotas.get(row.id) ?? null) }, 200);
});
