/**
 * The events a webhook endpoint can receive, and how each is written on the wire: the Standard
 * Webhooks body `{type, timestamp, data}`, or `{text}` for a Slack incoming webhook. An event's
 * `data` never holds a secret of any kind (no key, credential or webhook secret; ids and names only).
 */

export const WEBHOOK_EVENT_TYPES = ["budget.threshold", "api_key.leaked", "api_key.expiring", "byok.credential_failing", "webhook.test"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_FORMATS = ["standard", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** What each event's `data` holds (money in US dollars, times in ms since the epoch, as the API). */
export type EventData = {
  "budget.threshold": {
    scope: { type: string; id: string };
    budgetId: string;
    threshold: number;
    limitAmount: number;
    currentSpend: number;
    periodStart: number;
  };
  "api_key.leaked": { keyId: string; name: string; source: string; url: string | null };
  "api_key.expiring": { keyId: string; name: string; expiresAt: number; daysBefore: 7 | 1 };
  "byok.credential_failing": { credentialId: string; provider: string; name: string; status: number; model: string };
  "webhook.test": { webhookId: string; message: string };
};

/** The Standard Webhooks body: `timestamp` is the event's time in ISO 8601 (as the specification's examples). */
export function standardBody(type: string, createdAt: number, data: unknown): string {
  return JSON.stringify({ type, timestamp: new Date(createdAt).toISOString(), data });
}

const usd = (n: unknown) => (typeof n === "number" ? `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}` : "?");
const day = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "?");

/** One line for a person reading a Slack channel. */
export function slackText(type: string, data: Record<string, unknown>): string {
  const d = data as Record<string, any>;
  switch (type) {
    case "budget.threshold":
      return (
        `:warning: Tollgate: the ${d.scope?.type} budget of \`${d.scope?.id}\` reached ${d.threshold}% ` +
        `(${usd(d.currentSpend)} of ${usd(d.limitAmount)}, period since ${day(d.periodStart)}).`
      );
    case "api_key.leaked":
      return (
        `:rotating_light: Tollgate: gateway key \`${d.name}\` (${d.keyId}) was reported leaked (${d.source})` +
        `${d.url ? ` at ${d.url}` : ""}. It no longer authorizes: roll or delete it.`
      );
    case "api_key.expiring":
      return `:hourglass: Tollgate: gateway key \`${d.name}\` (${d.keyId}) expires in ${d.daysBefore === 1 ? "1 day" : "7 days"}, at ${day(d.expiresAt)}.`;
    case "byok.credential_failing":
      return (
        `:warning: Tollgate: BYOK credential \`${d.name}\` (${d.provider}, ${d.credentialId}) was refused by the provider ` +
        `(HTTP ${d.status}); the gateway fell back to the system credential.`
      );
    case "webhook.test":
      return `:white_check_mark: Tollgate: test event for webhook ${d.webhookId}.`;
    default:
      return `Tollgate: ${type}`;
  }
}

/** The body sent for an event to an endpoint of `format`. */
export function bodyFor(format: string, type: string, createdAt: number, data: Record<string, unknown>): string {
  return format === "slack" ? JSON.stringify({ text: slackText(type, data) }) : standardBody(type, createdAt, data);
}
