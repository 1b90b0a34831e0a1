import { sql } from "drizzle-orm";
import type { ApiKeyRow } from "../../api-keys/schemas.js";
import { executePrepared, type Db } from "../../db/client.js";
import { BoundedMap } from "../../lib/bounded-map.js";
import type { Logger } from "../../lib/logger.js";

/** How long `activeAt` writes wait to be batched into one UPDATE. */
export const TOUCH_BATCH_MS = 100;

/**
 * Keeps keys' `activeAt` current without a write on every use: the last touch written per key
 * (by this instance; nothing to invalidate), and the writes waiting for the next batched UPDATE.
 */
export class Touches {
  private readonly last: BoundedMap<string, number>;
  /** activeAt writes waiting for the next batched UPDATE (see touch). */
  private readonly pending = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    max: number,
    private readonly db: Db,
  ) {
    this.last = new BoundedMap(max);
  }

  /**
   * The first use of a never-used key (`activeAt` still equal to `createdAt`) is written at once,
   * later uses at most once per `granularityMs` per key per instance; never awaited by the request.
   */
  touch(key: ApiKeyRow, now: number, granularityMs: number, log: Logger): void {
    const touched = this.last.get(key.id);
    const last = touched ?? (key.activeAt === key.createdAt ? -Infinity : key.activeAt);
    if (now - last < granularityMs) return;
    this.last.set(key.id, now);
    // Batched: one UPDATE for every key touched in the next TOUCH_BATCH_MS, not one per key.
    this.pending.set(key.id, Math.max(now, this.pending.get(key.id) ?? 0));
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => void this.flush(log), TOUCH_BATCH_MS);
      this.flushTimer.unref();
    }
  }

  /** Writes the pending `activeAt` values in one statement (keys in id order: no deadlocks between instances). */
  async flush(log?: Logger): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, t]) => ({ id, t }));
    this.pending.clear();
    try {
      await executePrepared(
        this.db,
        sql`update api_keys k set active_at = v.t
              from json_to_recordset(${JSON.stringify(batch)}::json) as v(id text, t bigint)
             where k.id = v.id and k.active_at < v.t`,
      );
    } catch (e) {
      log?.error("activeAt update failed", { keys: batch.length, error: String(e) });
    }
  }
}
