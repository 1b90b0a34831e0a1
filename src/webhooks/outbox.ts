import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { newId } from "../lib/ids.js";
import type { EventData, WebhookEventType } from "./events.js";

/**
 * The outbox. An event is written in the transaction of the change that causes it (beside its
 * audit event), with one delivery row per enabled endpoint of the team that wants its type: a
 * change that rolls back leaves neither, one that commits leaves both, for the worker
 * (`worker.ts`) to send. A team with no such endpoint gets no row at all.
 */

/**
 * Entries of a `WITH` list that enqueue one `type` event per row of `source`, a query of columns
 * `(event_id text, team_id text, data json, dedupe_key text)`: `hook_events` (the events written:
 * a row whose team has no endpoint for `type`, or whose `dedupe_key` the team already has, writes
 * nothing) and `hook_deliveries`. For statements that make the change and its events at once
 * (see `markLeaked`); `enqueueEvent` wraps it for one event.
 */
export function enqueueCtes(source: SQL, type: WebhookEventType, now: number): SQL {
  const wants = sql`w.enabled and w.events @> ${JSON.stringify([type])}::jsonb`;
  return sql`hook_events as (
      insert into webhook_events (id, team_id, type, data, dedupe_key, created_at)
      select s.event_id, s.team_id, ${type}::text, s.data, s.dedupe_key, ${now}::bigint
        from (${source}) as s
       where exists (select 1 from webhook_endpoints w where w.team_id = s.team_id and ${wants})
      on conflict do nothing
      returning id, team_id
    ),
    hook_deliveries as (
      insert into webhook_deliveries (endpoint_id, event_id, team_id, state, attempts, next_attempt_at, created_at)
      select w.id, e.id, e.team_id, 'pending', 0, ${now}::bigint, ${now}::bigint
        from hook_events e
        join webhook_endpoints w on w.team_id = e.team_id and ${wants}
      returning event_id
    )`;
}

export type EnqueueInput<T extends WebhookEventType> = {
  teamId: string;
  type: T;
  data: EventData[T];
  at: number;
  /** Makes the event unique per team: a second one with the same key is not written. */
  dedupeKey?: string;
};

/**
 * Enqueues one event for every endpoint of the team that wants it, in one statement. Pass the
 * transaction handle of the change it reports. Returns the event's id (`msg_…`), or null when no
 * endpoint wants it (or `dedupeKey` was used before): then nothing was written.
 */
export async function enqueueEvent<T extends WebhookEventType>(tx: Db, e: EnqueueInput<T>): Promise<string | null> {
  const id = newId("webhookEvent");
  const source = sql`select ${id}::text as event_id, ${e.teamId}::text as team_id, ${JSON.stringify(e.data)}::json as data, ${e.dedupeKey ?? null}::text as dedupe_key`;
  const [row] = rowsOf<{ n: number }>(await tx.execute(sql`with ${enqueueCtes(source, e.type, e.at)} select (select count(*) from hook_events)::int as n`));
  return Number(row?.n ?? 0) > 0 ? id : null;
}

/**
 * A `webhook.test` event for one endpoint, whatever its subscriptions and even when disabled (to
 * check a receiver before enabling it again). Returns the event's id.
 */
export async function enqueueTestEvent(tx: Db, endpoint: { id: string; teamId: string }, at: number): Promise<string> {
  const id = newId("webhookEvent");
  const data: EventData["webhook.test"] = { webhookId: endpoint.id, message: "A test event sent from Tollgate." };
  await tx.execute(sql`
    with ev as (
      insert into webhook_events (id, team_id, type, data, dedupe_key, created_at)
      values (${id}, ${endpoint.teamId}, 'webhook.test', ${JSON.stringify(data)}::json, null, ${at}::bigint)
      returning id
    )
    insert into webhook_deliveries (endpoint_id, event_id, team_id, state, attempts, next_attempt_at, created_at)
    select ${endpoint.id}, ev.id, ${endpoint.teamId}, 'pending', 0, ${at}::bigint, ${at}::bigint from ev`);
  return id;
}
