import { createRoute, z } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { transact } from "../events/transact.js";
import { creatorId, resolveTeamScope } from "../http/auth.js";
import { badRequest, conflict, errorResponses, requireKeyring } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { newId } from "../lib/ids.js";
import { checkCredentials, CredentialsInput, hintOf, PROVIDERS, SHAPES_TEXT } from "./providers.js";
import { checkApiKeyIds, encryptionMissing503, ENCRYPTION_KEY_MISSING_TEXT } from "./access.js";
import { aadOf, countTeamCredentials, findCredential, insertCredential, lockTeam, placeAt } from "./queries.js";
import {
  ApiKeyIdsSchema,
  CredentialResponse,
  MAX_CREDENTIALS_PER_TEAM,
  NameSchema,
  ORDER_TEXT,
  PositionSchema,
  toCredential,
} from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CreateCredentialRequest = z
  .strictObject({
    provider: z.enum(PROVIDERS).openapi({ description: "The provider these credentials are for.", example: "openai" }),
    name: NameSchema,
    credentials: CredentialsInput,
    enabled: z.boolean().optional().openapi({ description: "Default true." }),
    apiKeyIds: ApiKeyIdsSchema.optional(),
    position: PositionSchema.optional().openapi({ description: "0-based place in the provider's list; default: last." }),
  })
  .openapi("CreateByokCredentialRequest");

export const route = createRoute({
  operationId: "createByokCredential",
  method: "post",
  path: "/v1/ai-gateway/byok",
  tags: ["BYOK"],
  summary: "Store a provider credential (BYOK)",
  description: [
    "OWNER or MEMBER. Stores the team's own provider credentials, encrypted at rest (AES-256-GCM with the newest key of `TOLLGATE_ENCRYPTION_KEY`, bound to this team and credential).",
    `Shapes of \`credentials\` per provider: ${SHAPES_TEXT}. A missing, wrong or extra field is 400 with \`params\` naming \`credentials.<field>\`.`,
    "The answer, the list and the audit log never show a secret: only `hint`, the last 4 characters of the main secret. Only `POST /v1/gateway/authorize` returns the secret, to the gateway service token.",
    "Several credentials per provider are allowed. " + ORDER_TEXT,
    `A team holds at most ${MAX_CREDENTIALS_PER_TEAM} credentials (409 past that). Writes an audit event \`byok.create\`.`,
    "503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(CreateCredentialRequest) },
  responses: {
    201: json(CredentialResponse, "The new credential (no secret: `hint` only)."),
    ...errorResponses(400, 401, 403, 409, 413, 422),
    ...encryptionMissing503,
  },
});

export const createCredentialRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "write");
  const body = c.req.valid("json");
  const checked = checkCredentials(body.provider, body.credentials);
  if (!checked.ok) throw badRequest(`Invalid credentials for provider '${body.provider}'.`, checked.params);
  const deps = c.get("deps");
  const keyring = requireKeyring(deps.keyring, ENCRYPTION_KEY_MISSING_TEXT);
  const now = deps.clock.now();
  const teamId = scope.team.id;
  const userId = creatorId(scope.principal);
  const id = newId("credential");
  const hint = hintOf(body.provider, checked.value);
  const row = await transact(deps, async (tx, publish) => {
    await lockTeam(tx, teamId);
    if ((await countTeamCredentials(tx, teamId)) >= MAX_CREDENTIALS_PER_TEAM) {
      throw conflict(`A team holds at most ${MAX_CREDENTIALS_PER_TEAM} BYOK credentials: delete one first.`);
    }
    const apiKeyIds = await checkApiKeyIds(tx, teamId, body.apiKeyIds ?? []);
    await insertCredential(tx, {
      id,
      teamId,
      provider: body.provider,
      name: body.name,
      position: MAX_CREDENTIALS_PER_TEAM,
      enabled: body.enabled ?? true,
      apiKeyIds,
      hint,
      sealed: keyring.seal(JSON.stringify(checked.value), aadOf(teamId, id)),
      createdBy: userId,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
    });
    await placeAt(tx, teamId, body.provider, id, body.position);
    const row = await findCredential(tx, id);
    await writeAudit(tx, {
      teamId,
      actor: { type: "user", id: userId },
      action: "byok.create",
      target: { type: "byok_credential", id },
      data: { provider: row!.provider, name: row!.name, hint, enabled: row!.enabled, apiKeyIds, position: row!.position },
      at: now,
    });
    await publish({ t: "byok", teamId });
    return row!;
  });
  return c.json({ credential: toCredential(row) }, 201);
});
