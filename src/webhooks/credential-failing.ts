import type { Db } from "../db/client.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { enqueueEvent } from "./outbox.js";

const HOUR = 3_600_000;
const MAX_REMEMBERED = 10_000;

/** Per credential, the hour in which this process last reported it (so a failing credential costs one write an hour, not one per request). */
const reported = new Map<string, number>();

/**
 * `byok.credential_failing`: the provider refused a team's BYOK credential and the gateway fell
 * back to the system credential. At most one event per credential per clock hour, across
 * instances (the hour is the event's dedupe key). Never waits the request: the write runs on its
 * own (no change of the database causes it), a failure to write is logged.
 */
export function reportCredentialFailing(
  deps: { db: Db; clock: Clock; log: Logger },
  teamId: string,
  credential: { id: string; provider: string; name: string },
  status: number,
  model: string,
): Promise<void> {
  const now = deps.clock.now();
  const hour = Math.floor(now / HOUR);
  if (reported.get(credential.id) === hour) return Promise.resolve();
  if (reported.size >= MAX_REMEMBERED) reported.clear();
  reported.set(credential.id, hour);
  return enqueueEvent(deps.db, {
    teamId,
    type: "byok.credential_failing",
    data: { credentialId: credential.id, provider: credential.provider, name: credential.name, status, model },
    at: now,
    dedupeKey: `byok.credential_failing:${credential.id}:${hour}`,
  }).then(
    () => undefined,
    (err) => {
      reported.delete(credential.id);
      deps.log.error("cannot queue the byok.credential_failing webhook event", { credentialId: credential.id, error: err instanceof Error ? err.message : String(err) });
    },
  );
}
