import { encodeTime } from "ulidx";
import type { Db } from "../db/client.js";
import { ID_PREFIXES } from "../lib/ids.js";
import type { Logger } from "../lib/logger.js";
import { deleteUsageBefore } from "./queries.js";

const DAY = 86_400_000;
/** A `requestId` is idempotent for 24 h: raw reports are never dropped sooner. */
export const MIN_RETENTION_DAYS = 1;

/** The smallest usage event id that could have been made at `t` (ids are ULIDs: time first). */
export function usageIdBound(t: number): string {
  return `${ID_PREFIXES.usage}_${encodeTime(Math.max(0, t), 10).toLowerCase()}`;
}

/**
 * Drops raw usage reports older than `days` (at least one day), in batches of short deletes
 * found on the primary key: no long lock, recording goes on meanwhile, rollups untouched.
 * Returns how many rows were deleted.
 */
export async function pruneUsage(db: Db, now: number, days: number, batch = 5000): Promise<number> {
  const cutoff = now - Math.max(MIN_RETENTION_DAYS, days) * DAY;
  return deleteUsageBefore(db, cutoff, { batch, idBound: usageIdBound(cutoff) });
}

/**
 * Runs `pruneUsage` shortly after start and then every `everyMs` (default hourly). Each instance
 * may run it: concurrent deletes of the same rows are harmless. `stop()` waits for a run in flight.
 */
export function startUsageRetention(deps: { db: Db; log: Logger; now(): number }, days: number, everyMs = 3_600_000) {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = pruneUsage(deps.db, deps.now(), days)
      .then(
        (n) => void (n > 0 && deps.log.info("usage retention: raw reports dropped", { deleted: n, days })),
        (e) => deps.log.error("usage retention failed", { error: String(e) }),
      )
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
