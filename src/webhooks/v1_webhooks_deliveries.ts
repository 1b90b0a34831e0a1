import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, TeamQuerySchema } from "../http/schemas.js";
import { listDeliveries } from "./queries.js";
import { loadWebhookForCaller } from "./access.js";
import { DELIVERY_TEXT, ListDeliveriesResponse, toDelivery, WebhookIdParam } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "listWebhookDeliveries",
  method: "get",
  path: "/v1/ai-gateway/webhooks/{id}/deliveries",
  tags: ["Webhooks"],
  summary: "List an endpoint's deliveries",
  description: [
    "Any member (DEVELOPER included). The events sent or to be sent to this endpoint, newest first, each with its state, attempts (when, HTTP status, error) and next retry. Kept 30 days.",
    DELIVERY_TEXT,
  ].join("\n\n"),
  security: bearerSecurity,
  request: { params: WebhookIdParam, query: TeamQuerySchema.extend(PageQuerySchema.shape) },
  responses: { 200: json(ListDeliveriesResponse, "A page of deliveries."), ...errorResponses(400, 401, 403, 404) },
});

export const listWebhookDeliveriesRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const endpoint = await loadWebhookForCaller(c, c.req.valid("param").id, q, "read");
  const until = decodeCursor(q.until);
  const rows = await listDeliveries(c.get("deps").db, endpoint.id, until, q.limit + 1);
  const { page, pagination } = paginate(
    rows.map((r) => ({ ...r, id: r.eventId })),
    q.limit,
  );
  return c.json({ deliveries: page.map(toDelivery), pagination }, 200);
});
