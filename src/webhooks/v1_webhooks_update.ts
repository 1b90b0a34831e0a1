import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { creatorId, requireMember } from "../http/auth.js";
import { badRequest, errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { lockWebhook, updateWebhook } from "./queries.js";
import { checkWebhookUrl, loadWebhookForCaller } from "./access.js";
import { DescriptionSchema, EventsSchema, FormatSchema, toWebhook, uniqueEvents, UrlSchema, WebhookIdParam, WebhookResponse, type WebhookRow } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const UpdateWebhookRequest = z
  .strictObject({
    url: UrlSchema.optional(),
    events: EventsSchema.optional().openapi({ description: "Replaces the list." }),
    format: FormatSchema.optional(),
    description: DescriptionSchema.optional(),
    enabled: z.boolean().optional().openapi({
      description: "false pauses the endpoint: events wait (test events excepted) until it is enabled again. true also clears `disabledReason` and `failingSince`.",
    }),
  })
  .openapi("UpdateWebhookRequest");

export const route = createRoute({
  operationId: "updateWebhook",
  method: "patch",
  path: "/v1/ai-gateway/webhooks/{id}",
  tags: ["Webhooks"],
  summary: "Update a webhook endpoint",
  description:
    "OWNER only. Changes any of `url` (checked as on create), `events`, `format`, `description`, `enabled`; the secret stays. " +
    "Deliveries already waiting go to the new URL and format. Writes an audit event `webhook.update`.",
  security: bearerSecurity,
  request: { params: WebhookIdParam, query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateWebhookRequest) },
  responses: { 200: json(WebhookResponse, "The updated endpoint."), ...errorResponses(400, 401, 403, 404, 413, 422) },
});

export const updateWebhookRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const patch = c.req.valid("json");
  if (Object.values(patch).every((v) => v === undefined)) {
    throw badRequest("Nothing to update: pass url, events, format, description or enabled.", [
      { path: "", message: "pass at least one of url, events, format, description, enabled" },
    ]);
  }
  const found = await loadWebhookForCaller(c, id, c.req.valid("query"), "owner");
  const deps = c.get("deps");
  const url = patch.url === undefined ? undefined : await checkWebhookUrl(patch.url, deps.config.webhooksAllowPrivate);
  const userId = creatorId(requireMember(c));
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const current = await lockWebhook(tx, id);
    if (!current) throw notFound("Webhook");
    const set: Partial<WebhookRow> = { updatedBy: userId, updatedAt: now };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (url !== undefined) {
      set.url = url;
      changes.host = { from: new URL(current.url).host, to: new URL(url).host };
    }
    if (patch.events !== undefined) {
      set.events = uniqueEvents(patch.events);
      changes.events = { from: current.events, to: set.events };
    }
    if (patch.format !== undefined) {
      set.format = patch.format;
      changes.format = { from: current.format, to: patch.format };
    }
    if (patch.description !== undefined) {
      set.description = patch.description;
      changes.description = { from: current.description, to: patch.description };
    }
    if (patch.enabled !== undefined && patch.enabled !== current.enabled) {
      set.enabled = patch.enabled;
      changes.enabled = { from: current.enabled, to: patch.enabled };
    }
    if (patch.enabled === true) Object.assign(set, { disabledAt: null, disabledReason: null, failingSince: null });
    if (patch.enabled === false && current.enabled) Object.assign(set, { disabledAt: now, disabledReason: null });
    const row = await updateWebhook(tx, id, set);
    await writeAudit(tx, {
      teamId: found.teamId,
      actor: actorOf(requireMember(c)),
      action: "webhook.update",
      target: { type: "webhook", id },
      data: { changes },
      at: now,
    });
    return row!;
  });
  return c.json({ webhook: toWebhook(row) }, 200);
});
