import { inArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { CHANGES_CHANNEL, type Change } from "../events/changes.js";
import { newId } from "../lib/ids.js";
import { enqueueCtes } from "../webhooks/outbox.js";

/** Who reported a leak: the audit event's actor (`{type: "external", id: source}`). */
export type LeakSource = "compromised_secret" | "github_secret_scanning";

export type LeakReport = {
  /** SHA-256 hex digest of the reported key. */
  digest: string;
  /** Where the key was found (becomes `leakedUrl`); null when the reporter did not say. */
  url: string | null;
  /** Extra audit data (never the secret), e.g. GitHub's `type` and `source`. */
  detail?: Record<string, unknown>;
};

export type MarkedKey = { id: string; teamId: string; digest: string };

/** The gateway cache invalidation for a reported key (see `src/events/changes.ts`). */
export const keyChange = (digest: string): Change => ({ t: "key", digest });

/**
 * Marks the live keys matching `reports` as leaked (`leaked_at = now`, `leaked_url = url`),
 * writes one `api_key.leak` audit event (and an `api_key.leaked` webhook event, for the team's
 * endpoints that want it) per key marked, and publishes a `key` change for each
 * (`pg_notify` on the changes channel: every instance drops the key from its gateway cache when
 * the statement's transaction commits), all in a single SQL statement. The caller applies the
 * changes to its own gateway state after the commit (`keyChange`).
 *
 * - A key already leaked keeps its first `leakedAt`/`leakedUrl` and gets no second event.
 * - A deleted key is left alone (not resurrected, no event).
 * - A key's previous secret, in the grace period of a roll, marks the key too.
 * - Unknown digests match nothing.
 *
 * One statement whatever matches: a report of a real key and of an unknown one cost the same
 * round trip (no timing oracle on the unauthenticated endpoint), and the mark and its audit
 * event are atomic even without an enclosing transaction. Pass a transaction handle to group
 * it with other work. Returns the keys marked by this call.
 */
export async function markLeaked(
  db: Db,
  reports: readonly LeakReport[],
  opts: { now: number; source: LeakSource },
): Promise<MarkedKey[]> {
  const seen = new Set<string>();
  const unique = reports.filter((r) => !seen.has(r.digest) && seen.add(r.digest));
  if (unique.length === 0) return [];

  const values = sql.join(
    unique.map(
      (r) =>
        sql`(${r.digest}::text, ${r.url}::text, ${newId("event")}::text, ${newId("webhookEvent")}::text, ${JSON.stringify(r.detail ?? {})}::jsonb)`,
    ),
    sql`, `,
  );
  const result: unknown = await db.execute(sql`
    with input (digest, url, event_id, hook_id, detail) as (values ${values}),
    marked as (
      update api_keys as k
         set leaked_at = ${opts.now}::bigint, leaked_url = input.url
        from input
       where (k.digest = input.digest or (k.previous_digest = input.digest and k.previous_digest_expires_at > ${opts.now}::bigint))
         and k.deleted_at is null and k.leaked_at is null
      returning k.id, k.team_id, k.digest, k.name, input.url, input.event_id, input.hook_id, input.detail
    ),
    audit as (
      insert into audit_events (id, team_id, actor_type, actor_id, action, target_type, target_id, data, created_at)
      select event_id, team_id, 'external', ${opts.source}::text, 'api_key.leak', 'api_key', id,
             jsonb_build_object('name', name, 'source', ${opts.source}::text, 'url', url) || detail,
             ${opts.now}::bigint
        from marked
    ),
    -- The team's webhooks hear of it too (src/webhooks/outbox.ts): never the secret.
    ${enqueueCtes(
      sql`select hook_id as event_id, team_id, json_build_object('keyId', id, 'name', name, 'source', ${opts.source}::text, 'url', url) as data, null::text as dedupe_key from marked`,
      "api_key.leaked",
      opts.now,
    )}
    select id, team_id as "teamId", digest,
           pg_notify(${CHANGES_CHANNEL}::text, json_build_object('t', 'key', 'digest', digest)::text)::text as notified
      from marked order by id
  `);
  // postgres-js answers an array of rows, PGlite `{rows}`.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as (MarkedKey & { notified: unknown })[];
  return rows.map(({ id, teamId, digest }) => ({ id, teamId, digest }));
}

/** The digests among `digests` that belong to a key Tollgate issued (live, leaked or deleted). */
export async function knownDigests(db: Db, digests: readonly string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await db
    .select({ digest: apiKeys.digest, previousDigest: apiKeys.previousDigest })
    .from(apiKeys)
    .where(or(inArray(apiKeys.digest, [...new Set(digests)]), inArray(apiKeys.previousDigest, [...new Set(digests)])));
  // A previous secret (in a roll's grace period, or expired: still a real key's) counts as known.
  return new Set(rows.flatMap((r) => (r.previousDigest !== null ? [r.digest, r.previousDigest] : [r.digest])));
}
