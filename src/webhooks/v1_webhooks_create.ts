import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { creatorId, resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses, requireKeyring } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { newId } from "../lib/ids.js";
import { countWebhooks, insertWebhook, lockTeamForWebhookCreate } from "./queries.js";
import { checkWebhookUrl, encryptionMissing503, ENCRYPTION_KEY_MISSING_TEXT } from "./access.js";
import {
  DELIVERY_TEXT,
  DescriptionSchema,
  EventsSchema,
  FormatSchema,
  MAX_WEBHOOKS_PER_TEAM,
  toWebhook,
  uniqueEvents,
  UrlSchema,
  WebhookSchema,
} from "./schemas.js";
import { aadOf, newSecret } from "./secret.js";
import { apiRoute } from "../http/route.js";

export const CreateWebhookRequest = z
  .strictObject({
    url: UrlSchema,
    events: EventsSchema,
    format: FormatSchema.optional(),
    description: DescriptionSchema.optional(),
  })
  .openapi("CreateWebhookRequest");

export const CreateWebhookResponse = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().openapi({
      description: "The signing secret (`whsec_` and 32 bytes in base64), shown this once: verify each delivery's `webhook-signature` with it (any Standard Webhooks library).",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }),
  })
  .openapi("CreateWebhookResponse");

export const route = createRoute({
  operationId: "createWebhook",
  method: "post",
  path: "/v1/ai-gateway/webhooks",
  tags: ["Webhooks"],
  summary: "Create a webhook endpoint",
  description: [
    "OWNER only. Tollgate POSTs the team's chosen events to `url`; the answer holds the signing secret, shown this once (stored encrypted, never shown again, never in an event).",
    DELIVERY_TEXT,
    `A team holds at most ${MAX_WEBHOOKS_PER_TEAM} endpoints (409 past that). Writes an audit event \`webhook.create\`.`,
    "503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.",
  ].join("\n\n"),
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(CreateWebhookRequest) },
  responses: {
    201: json(CreateWebhookResponse, "The new endpoint and its signing secret (shown once)."),
    ...errorResponses(400, 401, 403, 409, 413, 422),
    ...encryptionMissing503,
  },
});

export const createWebhookRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "owner");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const url = await checkWebhookUrl(body.url, deps.config.webhooksAllowPrivate);
  const keyring = requireKeyring(deps.keyring, ENCRYPTION_KEY_MISSING_TEXT);
  const now = deps.clock.now();
  const teamId = scope.team.id;
  const userId = creatorId(scope.principal);
  const id = newId("webhook");
  const secret = newSecret();
  const events = uniqueEvents(body.events);
  const row = await deps.db.transaction(async (tx) => {
    await lockTeamForWebhookCreate(tx, teamId);
    if ((await countWebhooks(tx, teamId)) >= MAX_WEBHOOKS_PER_TEAM) throw conflict(`A team holds at most ${MAX_WEBHOOKS_PER_TEAM} webhook endpoints: delete one first.`);
    const row = await insertWebhook(tx, {
      id,
      teamId,
      url,
      events,
      format: body.format ?? "standard",
      description: body.description ?? null,
      enabled: true,
      sealedSecret: keyring.seal(secret, aadOf(teamId, id)),
      createdBy: userId,
      updatedBy: userId,
      createdAt: now,
      updatedAt: now,
    });
    await writeAudit(tx, {
      teamId,
      actor: actorOf(scope.principal),
      action: "webhook.create",
      // The host only: a URL's path can hold a token (a Slack incoming webhook's does).
      target: { type: "webhook", id },
      data: { host: new URL(url).host, events, format: row.format },
      at: now,
    });
    return row;
  });
  return c.json({ webhook: toWebhook(row), secret }, 201);
});
