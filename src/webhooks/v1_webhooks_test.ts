import { createRoute, z } from "@hono/zod-openapi";
import { badRequest, errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { enqueueTestEvent } from "./outbox.js";
import { loadWebhookForCaller } from "./access.js";
import { WebhookIdParam } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const TestWebhookResponse = z
  .object({
    id: z.string().openapi({ description: "The test event's id (`msg_…`): its `webhook-id` header, and its id in the deliveries list.", example: "msg_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    type: z.literal("webhook.test"),
  })
  .openapi("TestWebhookResponse");

export const route = createRoute({
  operationId: "testWebhook",
  method: "post",
  path: "/v1/ai-gateway/webhooks/{id}/test",
  tags: ["Webhooks"],
  summary: "Send a test event",
  description:
    "OWNER only. Queues a `webhook.test` event for this endpoint alone (whatever its `events`, and also when it is disabled: check a receiver before enabling it again), " +
    "sent and retried like any event: follow it in `GET /v1/ai-gateway/webhooks/{id}/deliveries`. Its `data` is `{webhookId, message}`. " +
    "It takes no body (an empty JSON object is accepted too); anything else is a 400.",
  security: bearerSecurity,
  request: { params: WebhookIdParam, query: TeamQuerySchema },
  responses: { 202: json(TestWebhookResponse, "Queued."), ...errorResponses(400, 401, 403, 404) },
});

export const testWebhookRoute = apiRoute(route, async (c) => {
  // No body, or an empty JSON object; a JSON content type announces one.
  const text = (await c.req.text()).replace(/\s+/g, "");
  const json = /json/i.test(c.req.header("content-type") ?? "");
  if ((text !== "" || json) && text !== "{}") throw badRequest("This route takes no body: send none, or {}.", [{ path: "(body)", message: "must be empty" }]);
  const found = await loadWebhookForCaller(c, c.req.valid("param").id, c.req.valid("query"), "owner");
  const deps = c.get("deps");
  const id = await enqueueTestEvent(deps.db, found, deps.clock.now());
  return c.json({ id, type: "webhook.test" as const }, 202);
});
