import type { Db } from "../db/client.js";
import { isDatabaseUnavailable, withDeadline } from "../db/unavailable.js";
import { countUsageBatchFailure, observeUsageBatch } from "../ops/metrics.js";
import type { Logger } from "../lib/logger.js";
import { recordUsage, type UsageReport } from "../quotas/record-usage.js";
import type { QuotaState } from "../quotas/state.js";
import type { GatewayState } from "./state.js";

export type UsageResult = { recorded: boolean; conflict: boolean; states: QuotaState[] };

/** A report waiting for its batch (kept as given: copying its fields per report was measurable). */
type Pending = { report: UsageReport; resolve(r: UsageResult): void; reject(e: unknown): void; held: boolean };

/**
 * How long after the last batch's start a batch of reports that no client waits for (the gateway's
 * own, recorded after its answer was sent) waits for more to join it. Each statement costs
 * Postgres about as much as 70 reports (about 2 ms fixed and 30 µs a report, measured on this
 * machine), so at a few thousand requests a second this makes batches of 50-100 instead of 10-20.
 * A report a client waits for (`POST /v1/gateway/usage`: its 202 says the spend is durable) is
 * written at once, with whatever is held; shutdown writes held reports at once too.
 */
export const HELD_REPORT_WAIT_MS = 20;

/** Reports per statement at most (they travel as one JSON parameter). */
const MAX_BATCH = 1000;

/**
 * How long one batch's statement may take before its reports are answered 503 and the next batch
 * may start (a silently dead connection must not hold every report behind it). The statement is
 * idempotent, so one that commits after its deadline costs nothing: a client retrying with the
 * same `requestId` gets `recorded: false`.
 */
export const USAGE_WRITE_DEADLINE_MS = 3000;

/**
 * Group commit for usage reports: reports that arrive while a batch is being written wait for the
 * next one (the gateway's own also until `HELD_REPORT_WAIT_MS` after the last batch began), and
 * each batch is one statement (`recordUsage`) that records its reports (idempotent on
 * `request_id`) and adds their summed cost to each spend counter. One batch at a time by default:
 * measured best, since more in flight only makes smaller batches. A report's promise resolves
 * only after its statement committed, so a 202 means the spend is durable. A batch that fails is
 * retried report by report, so one bad report cannot fail the others; a batch that fails because
 * the database is unreachable (or misses its deadline) fails whole, at once: retrying one by one
 * against a database that is down would only hold every report behind it.
 */
export class UsageBatcher {
  private queue: Pending[] = [];
  /** Queued reports a client waits for. */
  private waited = 0;
  private inFlight = 0;
  /** A pump is due at the next turn. */
  private pumpSoon = false;
  /** A pump is due when held reports' wait ends. */
  private heldTimer: NodeJS.Timeout | null = null;
  private lastBatchAt = -Infinity;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly deps: { db: Db; gateway: GatewayState; log: Logger },
    private readonly maxInFlight = 1,
    private readonly deadlineMs = USAGE_WRITE_DEADLINE_MS,
    private readonly heldWaitMs = HELD_REPORT_WAIT_MS,
  ) {}

  /** Resolves once nothing is queued or being written (shutdown waits for it); held reports are written at once. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && !this.pumpSoon && this.heldTimer === null) return Promise.resolve();
    return new Promise((r) => {
      this.idleWaiters.push(r);
      this.schedule();
    });
  }

  /**
   * Queues a report for the next batch. `held`: no client waits for it (the gateway's own report,
   * after its answer), so its batch may wait up to `HELD_REPORT_WAIT_MS` for others.
   */
  submit(item: UsageReport, held = false): Promise<UsageResult> {
    return new Promise<UsageResult>((resolve, reject) => {
      this.queue.push({ report: item, resolve, reject, held });
      if (!held) this.waited++;
      this.schedule();
    });
  }

  /** Plans the next pump: at once when a client (or shutdown) waits or a batch is full, else when held reports' wait ends. */
  private schedule(): void {
    if (this.pumpSoon || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    const urgent = this.waited > 0 || this.idleWaiters.length > 0 || this.queue.length >= MAX_BATCH;
    const wait = urgent ? 0 : this.lastBatchAt + this.heldWaitMs - performance.now();
    if (wait > 0) {
      this.heldTimer ??= setTimeout(() => {
        this.heldTimer = null;
        this.pump();
      }, wait);
      return;
    }
    if (this.heldTimer !== null) {
      clearTimeout(this.heldTimer);
      this.heldTimer = null;
    }
    this.pumpSoon = true;
    setImmediate(() => {
      this.pumpSoon = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, MAX_BATCH);
      for (const p of batch) if (!p.held) this.waited--;
      this.lastBatchAt = performance.now();
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.schedule();
        if (this.queue.length === 0 && this.inFlight === 0) this.wakeIdle();
      });
    }
    if (this.queue.length === 0 && this.inFlight === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await this.write(batch);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      countUsageBatchFailure();
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      this.deps.log.error("usage batch failed; retrying one by one", { size: batch.length, error: String(err) });
      for (const p of batch) {
        try {
          p.resolve((await this.write([p]))[0]!);
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }

  private async write(batch: Pending[]): Promise<UsageResult[]> {
    const started = performance.now();
    const reports: UsageReport[] = new Array(batch.length);
    let now = -Infinity;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!.report;
      reports[i] = r;
      if (r.createdAt > now) now = r.createdAt;
    }
    const results = await withDeadline(recordUsage(this.deps, reports, now), this.deadlineMs);
    observeUsageBatch(batch.length, (performance.now() - started) / 1000);
    return results;
  }
}
