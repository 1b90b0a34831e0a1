import { createRoute, z } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { transact } from "../events/transact.js";
import { requireUser } from "../http/auth.js";
import { badRequest, errorResponses, notFound, requireKeyring } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { checkCredentials, CredentialsInput, hintOf, SHAPES_TEXT, type Provider } from "./providers.js";
import { checkApiKeyIds, encryptionMissing503, loadCredentialForCaller, ENCRYPTION_KEY_MISSING_TEXT } from "./access.js";
import { aadOf, findCredential, lockTeam, placeAt, updateCredential } from "./queries.js";
import { ApiKeyIdsSchema, CredentialResponse, NameSchema, ORDER_TEXT, PositionSchema, toCredential, type CredentialRow } from "./schemas.js";
import { CredentialIdParam } from "./v1_byok_get.js";
import { apiRoute } from "../http/route.js";

export const UpdateCredentialRequest = z
  .strictObject({
    name: NameSchema.optional(),
    enabled: z.boolean().optional().openapi({ description: "false: kept, but never returned by authorize." }),
    apiKeyIds: ApiKeyIdsSchema.optional().openapi({ description: "Replaces the list; `[]`: every key of the team may use it." }),
    credentials: CredentialsInput.optional().openapi({
      description: `Replaces the secret fields as a whole (rotation), checked against the credential's provider: ${SHAPES_TEXT}.`,
    }),
    position: PositionSchema.optional().openapi({ description: "Moves the credential to this 0-based place in its provider's list." }),
  })
  .openapi("UpdateByokCredentialRequest");

export const route = createRoute({
  operationId: "updateByokCredential",
  method: "patch",
  path: "/v1/ai-gateway/byok/{id}",
  tags: ["BYOK"],
  summary: "Update a provider credential (BYOK)",
  description: [
    "OWNER or MEMBER. Changes any of `name`, `enabled`, `apiKeyIds`, `credentials` (re-encrypted with the newest key), `position`; the provider cannot change.",
    ORDER_TEXT,
    "Every instance's authorize answer reflects the change within 100 ms. Writes an audit event `byok.update` (no secret: a credentials change shows the old and new `hint`).",
    "503 `encryption_key_missing` when `credentials` is given and the server has no `TOLLGATE_ENCRYPTION_KEY`.",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { params: CredentialIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateCredentialRequest) },
  responses: {
    200: json(CredentialResponse, "The updated credential (no secret)."),
    ...errorResponses(400, 401, 403, 404, 413, 422),
    ...encryptionMissing503,
  },
});

export const updateCredentialRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const patch = c.req.valid("json");
  if (Object.values(patch).every((v) => v === undefined)) {
    throw badRequest("Nothing to update: pass name, enabled, apiKeyIds, credentials or position.", [
      { path: "", message: "pass at least one of name, enabled, apiKeyIds, credentials, position" },
    ]);
  }
  const found = await loadCredentialForCaller(c, id, c.req.valid("query"), "write");
  const provider = found.provider as Provider;
  let secret: { value: Record<string, unknown>; hint: string } | undefined;
  if (patch.credentials !== undefined) {
    const checked = checkCredentials(provider, patch.credentials);
    if (!checked.ok) throw badRequest(`Invalid credentials for provider '${provider}'.`, checked.params);
    secret = { value: checked.value, hint: hintOf(provider, checked.value) };
  }
  const deps = c.get("deps");
  const keyring = secret ? requireKeyring(deps.keyring, ENCRYPTION_KEY_MISSING_TEXT) : null;
  const userId = requireUser(c).user.id;
  const now = deps.clock.now();
  const teamId = found.teamId;
  const row = await transact(deps, async (tx, publish) => {
    await lockTeam(tx, teamId);
    const current = await findCredential(tx, id);
    if (!current) throw notFound("Credential");
    const set: Partial<CredentialRow> = { updatedBy: userId, updatedAt: now };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.name !== undefined) {
      set.name = patch.name;
      changes.name = { from: current.name, to: patch.name };
    }
    if (patch.enabled !== undefined) {
      set.enabled = patch.enabled;
      changes.enabled = { from: current.enabled, to: patch.enabled };
    }
    if (patch.apiKeyIds !== undefined) {
      set.apiKeyIds = await checkApiKeyIds(tx, teamId, patch.apiKeyIds);
      changes.apiKeyIds = { from: current.apiKeyIds, to: set.apiKeyIds };
    }
    if (secret && keyring) {
      set.sealed = keyring.seal(JSON.stringify(secret.value), aadOf(teamId, id));
      set.hint = secret.hint;
      changes.credentials = { from: { hint: current.hint }, to: { hint: secret.hint } };
    }
    await updateCredential(tx, id, set);
    if (patch.position !== undefined) {
      await placeAt(tx, teamId, current.provider, id, patch.position);
      changes.position = { from: current.position, to: patch.position };
    }
    const row = await findCredential(tx, id);
    if (changes.position) changes.position.to = row!.position;
    await writeAudit(tx, {
      teamId,
      actor: { type: "user", id: userId },
      action: "byok.update",
      target: { type: "byok_credential", id },
      data: { provider: current.provider, name: row!.name, changes },
      at: now,
    });
    await publish({ t: "byok", teamId });
    return row!;
  });
  return c.json({ credential: toCredential(row) }, 200);
});
