import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { webhookDeliveries, webhookEndpoints } from "../db/schema.js";
import { IdParamSchema, Millis, PaginationSchema } from "../http/schemas.js";
import { isStorableText } from "../rules/schemas.js";
import { MAX_URL_LENGTH } from "./address.js";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, type WebhookFormat } from "./events.js";

export type WebhookRow = InferSelectModel<typeof webhookEndpoints>;
export type DeliveryRow = InferSelectModel<typeof webhookDeliveries>;

/** A team holds at most this many endpoints: the list is one page. */
export const MAX_WEBHOOKS_PER_TEAM = 20;

export const EVENTS_TEXT = [
  "`budget.threshold`: a budget crossed one of its alert thresholds (50/75/100% by default), once per threshold per budget per period.",
  "`api_key.leaked`: a gateway key was reported leaked (it stopped authorizing).",
  "`api_key.expiring`: a gateway key expires in 7 days, and again in 1 day.",
  "`byok.credential_failing`: the provider refused a team's BYOK credential and the gateway fell back to the system credential (at most once an hour per credential).",
  "`webhook.test`: sent by `POST /v1/ai-gateway/webhooks/{id}/test` only.",
].join(" ");

export const DELIVERY_TEXT =
  "Each event is POSTed as JSON `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">` under the secret's bytes), " +
  "or `{text}` for `format: slack`. A 2xx answer within 5 s delivers it; anything else (another status, a redirect, which is never followed, a timeout) is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h, 15 attempts over 3 days. " +
  "An endpoint whose every attempt failed for 3 days is disabled, with `disabledReason` saying why.";

const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const UrlSchema = z
  .string()
  .min(1)
  .max(MAX_URL_LENGTH)
  .openapi({
    description:
      "Where events are POSTed: `http://` or `https://`, no user name or password. Its host is resolved when stored and on every delivery: a private, loopback or link-local address is refused (400) unless the server sets `TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true`.",
    example: "https://hooks.example.com/tollgate",
  });
export const EventsSchema = z
  .array(EventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2)
  .openapi({ description: `The events to send (at least one). ${EVENTS_TEXT}`, example: ["budget.threshold", "api_key.leaked"] });
export const FormatSchema = z.enum(WEBHOOK_FORMATS).openapi({
  description: "`standard` (default): the Standard Webhooks JSON body. `slack`: `{text}`, for a Slack incoming webhook URL.",
});
export const DescriptionSchema = z
  .string()
  .max(500)
  .refine(isStorableText, "must be valid Unicode text without NUL (U+0000) characters")
  .nullable()
  .openapi({ description: "For people, up to 500 characters." });

export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: "wh_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    teamId: z.string(),
    url: z.string(),
    events: z.array(EventTypeSchema),
    format: FormatSchema,
    description: z.string().nullable(),
    enabled: z.boolean().openapi({ description: "false: paused (by a PATCH, or by Tollgate after 3 days of failures): nothing is sent but test events." }),
    disabledReason: z.string().nullable().openapi({ description: "Why Tollgate disabled it (3 days of failed deliveries); null otherwise." }),
    disabledAt: Millis.nullable(),
    failingSince: Millis.nullable().openapi({ description: "The first failed attempt since the last delivered one; null when the last attempt succeeded." }),
    createdAt: Millis,
    createdBy: z.string(),
    updatedAt: Millis,
    updatedBy: z.string(),
  })
  .openapi("Webhook", { description: "A webhook endpoint. Its signing secret is shown once, when it is created." });
export type Webhook = z.infer<typeof WebhookSchema>;

export function toWebhook(r: WebhookRow): Webhook {
  return {
    id: r.id,
    teamId: r.teamId,
    url: r.url,
    events: r.events as Webhook["events"],
    format: r.format as WebhookFormat,
    description: r.description,
    enabled: r.enabled,
    disabledReason: r.disabledReason,
    disabledAt: r.disabledAt,
    failingSince: r.failingSince,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

/** The endpoints' events, deduplicated, in the order given. */
export const uniqueEvents = (events: string[]) => [...new Set(events)];

export const WebhookResponse = z.object({ webhook: WebhookSchema }).openapi("WebhookResponse");
export const ListWebhooksResponse = z.object({ webhooks: z.array(WebhookSchema), pagination: PaginationSchema }).openapi("ListWebhooksResponse");

export const WebhookIdParam = IdParamSchema("wh", "wh_01jd7y2m3n4p5q6r7s8t9v0w1x");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The event's id (`msg_…`): the `webhook-id` header of every attempt, the same across retries.", example: "msg_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    type: EventTypeSchema,
    state: z.enum(["pending", "delivered", "failed"]).openapi({ description: "`pending`: to be sent (again) at `nextAttemptAt`; `delivered`: a 2xx answer; `failed`: given up." }),
    attempts: z.number().int().openapi({ description: "Attempts made so far." }),
    lastStatus: z.number().int().nullable().openapi({ description: "The HTTP status of the last answer; null when there was none (timeout, connection refused, address refused)." }),
    lastError: z.string().nullable(),
    nextAttemptAt: Millis.nullable().openapi({ description: "When it is tried next; null once delivered or failed." }),
    deliveredAt: Millis.nullable(),
    createdAt: Millis,
    log: z
      .array(z.object({ at: Millis, status: z.number().int().nullable(), error: z.string().nullable() }))
      .openapi({ description: "Every attempt, oldest first: when, the HTTP status (null without an answer), and what went wrong." }),
  })
  .openapi("WebhookDelivery");

export const ListDeliveriesResponse = z
  .object({ deliveries: z.array(DeliverySchema), pagination: PaginationSchema })
  .openapi("ListWebhookDeliveriesResponse");

export function toDelivery(r: DeliveryRow & { type: string }): z.infer<typeof DeliverySchema> {
  return {
    id: r.eventId,
    type: r.type as z.infer<typeof EventTypeSchema>,
    state: r.state,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    nextAttemptAt: r.nextAttemptAt,
    deliveredAt: r.deliveredAt,
    createdAt: r.createdAt,
    log: r.attemptLog,
  };
}
