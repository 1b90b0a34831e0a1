import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { badRequest, conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { generateSecret, sha256Hex } from "../lib/secrets.js";
import { loadKeyQuotas } from "../quotas/budgets.js";
import { writeLockedKey } from "./access.js";
import { keyChanges, updateKey } from "./queries.js";
import { toApiKey } from "./schemas.js";
import { CreateApiKeyResponse } from "./v1_api_keys_create.js";
import { KeyIdParam } from "./v1_api_keys_get.js";
import { apiRoute } from "../http/route.js";

export const MAX_GRACE_PERIOD_MS = 7 * 24 * 3600 * 1000;

export const RollApiKeyRequest = z
  .strictObject({
    gracePeriodMs: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_PERIOD_MS)
      .optional()
      .openapi({ description: "How long the previous secret keeps working, in ms (0 to 7 days; default 0: refused at once)." }),
  })
  .openapi("RollApiKeyRequest");

export const route = createRoute({
  operationId: "rollApiKey",
  method: "post",
  path: "/v1/api-keys/{id}/roll",
  tags: ["API keys"],
  summary: "Roll a key's secret, with a grace period for the old one",
  description: [
    "OWNER or MEMBER. A new secret for the same key: its id, budget and spend, project, models, metadata and rate limits stay.",
    "The previous secret is accepted until `apiKey.previousSecretExpiresAt` (now + `gracePeriodMs`) and refused (401) right after, on every instance;",
    "a secret kept from an earlier roll is refused at once. The body is optional (no body: no grace period).",
    "A leaked key cannot be rolled back into use (409: create a new key); a deleted key is 404. Audit event `api_key.roll` (never a secret).",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: KeyIdParam,
    query: TeamQuerySchema,
    headers: IdempotencyHeaderSchema,
    body: { required: false, content: { "application/json": { schema: RollApiKeyRequest } } },
  },
  responses: { 200: json(CreateApiKeyResponse, "The new secret (shown only here) and the key."), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
});

export const rollApiKeyRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  // The body is optional: none means no grace period. A body that is not declared JSON is a 400.
  if (!/json/i.test(c.req.header("content-type") ?? "") && (await c.req.text()).trim() !== "") {
    throw badRequest("Content-Type must be application/json.");
  }
  const body = (c.req.valid("json") as z.infer<typeof RollApiKeyRequest> | undefined) ?? {};
  const deps = c.get("deps");
  const now = deps.clock.now();
  const grace = body.gracePeriodMs ?? 0;
  const apiKeyString = generateSecret("tgk");
  // Decided on the key as locked in the transaction: a roll racing the caller's removal, a leak
  // report or another roll either lands wholly before it or sees what it left.
  const row = await writeLockedKey(c, id, c.req.valid("query"), "write", { includeDeleted: false }, async (tx, publish, { key, principal }) => {
    if (key.leakedAt !== null) throw conflict("This API key was reported leaked: it cannot be rolled. Create a new key.");
    const row = await updateKey(tx, key.id, {
      digest: sha256Hex(apiKeyString),
      partialKey: apiKeyString.slice(-4),
      previousDigest: grace > 0 ? key.digest : null,
      previousDigestExpiresAt: grace > 0 ? now + grace : null,
    });
    // The old secret (and one kept from an earlier roll) must be looked up again everywhere.
    for (const change of keyChanges(key)) await publish(change);
    await writeAudit(tx, {
      teamId: key.teamId,
      actor: actorOf(principal),
      action: "api_key.roll",
      target: { type: "api_key", id: key.id },
      data: { gracePeriodMs: grace, previousSecretExpiresAt: row!.previousDigestExpiresAt, partialKey: row!.partialKey },
      at: now,
    });
    return row!;
  });
  const quotas = await loadKeyQuotas(deps.db, row.teamId, [row.id], now);
  return c.json({ apiKeyString, apiKey: toApiKey(row, now, quotas.get(row.id) ?? null) }, 200);
});
