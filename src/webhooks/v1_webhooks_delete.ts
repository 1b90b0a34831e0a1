import { createRoute } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { requireMember } from "../http/auth.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { deleteWebhook } from "./queries.js";
import { loadWebhookForCaller } from "./access.js";
import { WebhookIdParam } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "deleteWebhook",
  method: "delete",
  path: "/v1/ai-gateway/webhooks/{id}",
  tags: ["Webhooks"],
  summary: "Delete a webhook endpoint",
  description:
    "OWNER only. The endpoint, its secret and its deliveries (sent or waiting) are deleted: nothing more is sent to it, by any instance. A second delete is 404. Writes an audit event `webhook.delete`.",
  security: bearerSecurity,
  request: { params: WebhookIdParam, query: TeamQuerySchema },
  responses: { 204: noContent("Deleted."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteWebhookRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const found = await loadWebhookForCaller(c, id, c.req.valid("query"), "owner");
  const deps = c.get("deps");
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const deleted = await deleteWebhook(tx, id);
    if (!deleted) throw notFound("Webhook");
    await writeAudit(tx, {
      teamId: found.teamId,
      actor: actorOf(requireMember(c)),
      action: "webhook.delete",
      target: { type: "webhook", id },
      data: { host: new URL(deleted.url).host, events: deleted.events, format: deleted.format },
      at: now,
    });
  });
  return c.body(null, 204);
});
