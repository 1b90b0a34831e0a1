import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { creatorId, resolveTeamScope, roleAllows, roleError } from "../http/auth.js";
import { badRequest, errorResponses, forbidden } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { newId } from "../lib/ids.js";
import { generateSecret, sha256Hex } from "../lib/secrets.js";
import { lockOwnMembership } from "../teams/queries.js";
import { transact } from "../events/transact.js";
import { KeyQuotaInputSchema, loadKeyQuotas, upsertBudget } from "../quotas/budgets.js";
import { dollarsToMicros } from "../quotas/money.js";
import { modelIdSchema } from "../rules/model-id.js";
import { findTeamProjectId } from "../projects/queries.js";
import { insertKey } from "./queries.js";
import { ApiKeySchema, MetadataSchema, RateLimitSchema, toApiKey } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CreateApiKeyRequest = z
  .strictObject({
    purpose: z.literal("ai-gateway").openapi({ description: "Required. Always `ai-gateway`." }),
    name: z.string().trim().min(1).max(128).optional().openapi({ description: "Human-readable name; `default` when absent." }),
    projectId: z.string().min(1).max(64).optional().openapi({ description: "Scope the key to a project of this team." }),
    expiresAt: z.number().int().positive().optional().openapi({ description: "Expiry in ms since the epoch; must be in the future." }),
    models: z
      .array(modelIdSchema)
      .max(100)
      .optional()
      .openapi({ description: "Allow-list of model ids (`provider/model`). Empty or absent: every model." }),
    aiGatewayQuota: KeyQuotaInputSchema.optional().openapi({
      description: "A spending budget for this key (see `PATCH /v1/api-keys/{id}/quota` to change it later).",
    }),
    metadata: MetadataSchema.optional(),
    rateLimit: RateLimitSchema.optional().openapi({ description: "Per-key rate limits (authorize answers 429 `rate_limit_exceeded` past one)." }),
  })
  .openapi("CreateApiKeyRequest");

export const CreateApiKeyResponse = z
  .object({
    apiKeyString: z.string().openapi({
      description: "The key (`tgk_…`, 256 random bits in base62 plus a 6-character CRC32 checksum). Returned only here; stored as a SHA-256 digest.",
    }),
    apiKey: ApiKeySchema,
  })
  .openapi("CreateApiKeyResponse");
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponse>;

export const route = createRoute({
  operationId: "createApiKey",
  method: "post",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "Create a gateway API key",
  description: "OWNER or MEMBER. Answers 200 (as Vercel's API does) with the plaintext key, shown only in this response.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(CreateApiKeyRequest) },
  responses: { 200: json(CreateApiKeyResponse, "The key and its secret."), ...errorResponses(400, 401, 403, 413, 422) },
});

export const createApiKeyRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "write");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const { db, clock } = deps;
  const now = clock.now();
  if (body.expiresAt !== undefined && body.expiresAt <= now) {
    throw badRequest("expiresAt must be in the future.", [{ path: "expiresAt", message: "must be in the future" }]);
  }
  if (body.projectId) {
    const p = await findTeamProjectId(db, scope.team.id, body.projectId);
    if (!p) throw badRequest("Unknown projectId.", [{ path: "projectId", message: "no such project in this team" }]);
  }
  const apiKeyString = generateSecret("tgk");
  const row = await transact(deps, async (tx, publish) => {
    // Serializes with the creator's removal (which deactivates their keys): once removed, no key.
    // (A trusted external issuer's identity has no membership: its role comes from configuration.)
    if (scope.principal.kind === "user") {
      const membership = await lockOwnMembership(tx, scope.team.id, scope.principal.user.id);
      if (!membership) throw forbidden("You are not a member of this team, or this token is scoped to another team.");
      if (!roleAllows(membership.role, "write")) throw roleError(membership.role, "write");
    }
    const row = await insertKey(tx, {
      id: newId("apiKey"),
      teamId: scope.team.id,
      projectId: body.projectId ?? null,
      name: body.name ?? "default",
      purpose: body.purpose,
      digest: sha256Hex(apiKeyString),
      partialKey: apiKeyString.slice(-4),
      createdBy: creatorId(scope.principal),
      createdAt: now,
      expiresAt: body.expiresAt ?? null,
      activeAt: now,
      models: [...new Set(body.models ?? [])],
      metadata: body.metadata ?? {},
      rateLimitRpm: body.rateLimit?.requestsPerMinute ?? null,
      rateLimitTpm: body.rateLimit?.tokensPerMinute ?? null,
    });
    const q = body.aiGatewayQuota;
    if (q) {
      await upsertBudget(
        tx,
        scope.team.id,
        { scopeType: "api_key", scopeId: row.id },
        {
          limitMicros: dollarsToMicros(q.limitAmount),
          refreshPeriod: q.refreshPeriod,
          includeByok: q.includeByokInQuota,
          alertThresholds: q.alertThresholds,
          enforcement: q.enforcement,
        },
        now,
      );
      await publish({ t: "budgets", teamId: scope.team.id });
    }
    await writeAudit(tx, {
      teamId: scope.team.id,
      actor: actorOf(scope.principal),
      action: "api_key.create",
      target: { type: "api_key", id: row.id },
      data: { name: row.name, projectId: row.projectId, quota: q ?? null, rateLimit: body.rateLimit ?? null },
      at: now,
    });
    return row;
  });
  const quotas = await loadKeyQuotas(db, scope.team.id, [row.id], now);
  return c.json({ apiKeyString, apiKey: toApiKey(row, now, quotas.get(row.id) ?? null) }, 200);
});
