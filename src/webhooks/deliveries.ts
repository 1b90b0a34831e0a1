import { sql, type SQL } from "drizzle-orm";
import { writeAudit } from "../audit/write.js";
import type { Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { webhookDeliveries } from "../db/schema.js";
import { enqueueEvent } from "./outbox.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The wait before each retry of a failed attempt: the first within 10 s, then growing, up to 12 h
 * apart. The 15th attempt comes 75.7 h after the first, past the 3 days after which a failing
 * endpoint is disabled; a delivery still failing then is given up.
 */
export const RETRY_DELAYS_MS = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, 12 * HOUR, 12 * HOUR, 12 * HOUR, 12 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * DAY;
/**
 * A claimed attempt is not claimed again before this: the instance that claimed it sends it (5 s
 * at most) and records the result; if it died meanwhile, another instance tries again after it.
 */
export const LEASE_MS = 60 * SECOND;
/** Events (and their deliveries) are kept this long once nothing is left to send. */
export const EVENT_RETENTION_MS = 30 * DAY;

/** Restricts a worker to some teams' rows (tests share one database between workers); undefined: every team. */
export type TeamFilter = string[] | undefined;
const teamsOnly = (column: SQL, teams: TeamFilter): SQL =>
  teams ? sql`and ${column} = any(array(select jsonb_array_elements_text(${JSON.stringify(teams)}::jsonb)))` : sql``;

export type Claimed = {
  endpointId: string;
  eventId: string;
  teamId: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
  url: string;
  format: string;
  sealedSecret: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: number;
};

/**
 * Claims up to `limit` due deliveries for this instance: locks them (`FOR UPDATE SKIP LOCKED`,
 * so instances claiming at once never get the same row and never wait on each other), counts the
 * attempt and moves `next_attempt_at` past the lease, all in one statement: once it commits no
 * other instance sees them as due. An endpoint that is disabled (paused) only gets test events.
 */
export async function claimDue(db: Db, now: number, limit: number, teams?: TeamFilter): Promise<Claimed[]> {
  const rows = rowsOf<{
    endpoint_id: string;
    event_id: string;
    team_id: string;
    attempts: number;
    url: string;
    format: string;
    sealed_secret: string;
    type: string;
    data: string;
    created_at: number | string;
  }>(
    await db.execute(sql`
      update webhook_deliveries d
         set attempts = d.attempts + 1, last_attempt_at = ${now}::bigint, next_attempt_at = ${now + LEASE_MS}::bigint
        from (select d2.endpoint_id, d2.event_id
                from webhook_deliveries d2
                join webhook_endpoints w2 on w2.id = d2.endpoint_id
                join webhook_events e2 on e2.id = d2.event_id
               where d2.state = 'pending' and d2.next_attempt_at <= ${now}::bigint
                 and (w2.enabled or e2.type = 'webhook.test') ${teamsOnly(sql`d2.team_id`, teams)}
               order by d2.next_attempt_at
               limit ${limit}
                 for update of d2 skip locked) c,
             webhook_endpoints w, webhook_events e
       where d.endpoint_id = c.endpoint_id and d.event_id = c.event_id and w.id = d.endpoint_id and e.id = d.event_id
      returning d.endpoint_id, d.event_id, d.team_id, d.attempts, w.url, w.format, w.sealed_secret, e.type, e.data::text as data, e.created_at`),
  );
  return rows.map((r) => ({
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    teamId: r.team_id,
    attempt: Number(r.attempts),
    url: r.url,
    format: r.format,
    sealedSecret: r.sealed_secret,
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: Number(r.created_at),
  }));
}

const logEntry = (at: number, status: number | null, error: string | null) => JSON.stringify([{ at, status, error }]);

/** The row as claimed: a result for an attempt another instance has since re-claimed is dropped. */
const claimedRow = (c: Claimed) =>
  sql`endpoint_id = ${c.endpointId} and event_id = ${c.eventId} and attempts = ${c.attempt} and state = 'pending'`;

/** Records a delivered attempt; the endpoint is no longer failing. False when the claim was stale. */
export async function recordDelivered(db: Db, c: Claimed, status: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = rowsOf(
      await tx.execute(sql`
        update webhook_deliveries
           set state = 'delivered', delivered_at = ${now}::bigint, next_attempt_at = null, last_status = ${status}, last_error = null,
               attempt_log = attempt_log || ${logEntry(now, status, null)}::jsonb
         where ${claimedRow(c)}
        returning event_id`),
    );
    if (done.length === 0) return false;
    await tx.execute(sql`update webhook_endpoints set failing_since = null where id = ${c.endpointId} and failing_since is not null`);
    return true;
  });
}

/**
 * Gives a claim back uncounted, to be tried again in `retryMs` (by whichever instance claims it
 * then): for an attempt this instance could not make at all, e.g. a secret sealed with an
 * encryption key it does not have yet during a key rollout.
 */
export async function releaseClaim(db: Db, c: Claimed, now: number, retryMs: number): Promise<void> {
  await db.execute(sql`update webhook_deliveries set attempts = attempts - 1, next_attempt_at = ${now + retryMs}::bigint where ${claimedRow(c)}`);
}

export type FailureOutcome = "retrying" | "failed" | "stale";

/**
 * Records a failed attempt: the next one after its backoff, or given up after the last. The
 * endpoint is failing from its first failure since a success; once that is `DISABLE_AFTER_MS`
 * ago it is disabled, with the reason on it, its waiting deliveries given up, and an audit event
 * `webhook.disable` (all in one transaction).
 */
export async function recordFailed(
  db: Db,
  c: Claimed,
  result: { status: number | null; error: string },
  now: number,
): Promise<{ outcome: FailureOutcome; disabled: string | null }> {
  return db.transaction(async (tx) => {
    const last = c.attempt >= MAX_ATTEMPTS;
    const next = last ? null : now + RETRY_DELAYS_MS[c.attempt - 1]!;
    const updated = rowsOf(
      await tx.execute(sql`
        update webhook_deliveries
           set state = ${last ? "failed" : "pending"}, next_attempt_at = ${next}::bigint, last_status = ${result.status}::int, last_error = ${result.error},
               attempt_log = attempt_log || ${logEntry(now, result.status, result.error)}::jsonb
         where ${claimedRow(c)}
        returning event_id`),
    );
    if (updated.length === 0) return { outcome: "stale" as const, disabled: null };
    const [endpoint] = rowsOf<{ enabled: boolean; failing_since: number | string }>(
      await tx.execute(sql`
        update webhook_endpoints set failing_since = coalesce(failing_since, ${now}::bigint)
         where id = ${c.endpointId}
        returning enabled, failing_since`),
    );
    const outcome: FailureOutcome = last ? "failed" : "retrying";
    if (!endpoint || !endpoint.enabled || now - Number(endpoint.failing_since) < DISABLE_AFTER_MS) return { outcome, disabled: null };
    const since = new Date(Number(endpoint.failing_since)).toISOString();
    const reason = `Disabled at ${new Date(now).toISOString()}: every delivery failed since ${since} (3 days); the last: ${result.error}. Fix the receiver, send a test (POST /v1/ai-gateway/webhooks/${c.endpointId}/test), then enable it again (PATCH {"enabled": true}).`;
    await tx.execute(sql`
      update webhook_endpoints set enabled = false, disabled_at = ${now}::bigint, disabled_reason = ${reason}, updated_at = ${now}::bigint
       where id = ${c.endpointId}`);
    await tx.execute(sql`
      update webhook_deliveries set state = 'failed', next_attempt_at = null,
             last_error = coalesce(last_error, 'not sent: the endpoint was disabled')
       where endpoint_id = ${c.endpointId} and state = 'pending'`);
    await writeAudit(tx, {
      teamId: c.teamId,
      actor: { type: "system", id: "webhooks" },
      action: "webhook.disable",
      target: { type: "webhook", id: c.endpointId },
      data: { reason, failingSince: Number(endpoint.failing_since) },
      at: now,
    });
    return { outcome: "failed" as const, disabled: reason };
  });
}

/**
 * `api_key.expiring`: for each live key of a team with an endpoint that wants it, one event 7
 * days before its `expiresAt` and one 1 day before (only the 1-day one for a key that has less
 * than a day left when first seen). Each at most once per key and expiry (a changed `expiresAt`
 * notifies again), whichever instance sweeps first. Returns the events written.
 */
export async function sweepExpiringKeys(db: Db, now: number, teams?: TeamFilter): Promise<number> {
  const stage = sql`(case when k.expires_at - ${now}::bigint <= ${DAY}::bigint then 1 else 7 end)`;
  const dedupe = sql`'api_key.expiring:' || k.id || ':' || k.expires_at || ':' || ${stage}`;
  const due = rowsOf<{ id: string; team_id: string; name: string; expires_at: number | string; days: number }>(
    await db.execute(sql`
      select k.id, k.team_id, k.name, k.expires_at, ${stage} as days
        from api_keys k
       where k.expires_at is not null and k.deleted_at is null
         and k.expires_at > ${now}::bigint and k.expires_at <= ${now + 7 * DAY}::bigint
         and k.leaked_at is null and k.disabled_at is null and k.deactivated_at is null
         ${teamsOnly(sql`k.team_id`, teams)}
         and exists (select 1 from webhook_endpoints w where w.team_id = k.team_id and w.enabled and w.events @> '["api_key.expiring"]'::jsonb)
         and not exists (select 1 from webhook_events e where e.team_id = k.team_id and e.dedupe_key = ${dedupe})
       order by k.expires_at
       limit 1000`),
  );
  let written = 0;
  for (const k of due) {
    const expiresAt = Number(k.expires_at);
    const daysBefore = Number(k.days) === 1 ? 1 : 7;
    const id = await enqueueEvent(db, {
      teamId: k.team_id,
      type: "api_key.expiring",
      data: { keyId: k.id, name: k.name, expiresAt, daysBefore },
      at: now,
      dedupeKey: `api_key.expiring:${k.id}:${expiresAt}:${daysBefore}`,
    });
    if (id) written++;
  }
  return written;
}

/** Deletes events older than `EVENT_RETENTION_MS` with nothing left to send (their deliveries go with them). */
export async function pruneEvents(db: Db, now: number, batch = 1000): Promise<number> {
  const gone = rowsOf(
    await db.execute(sql`
      delete from webhook_events where id in (
        select e.id from webhook_events e
         where e.created_at < ${now - EVENT_RETENTION_MS}::bigint
           and not exists (select 1 from ${webhookDeliveries} d where d.event_id = e.id and d.state = 'pending')
         limit ${batch})
      returning id`),
  );
  return gone.length;
}
