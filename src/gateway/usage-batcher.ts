import type { Db } from "../db/client.js";
import type { Logger } from "../lib/logger.js";
import { recordUsage } from "../quotas/record-usage.js";
import type { QuotaState, Subject } from "../quotas/state.js";
import type { GatewayState } from "./state.js";

export type UsageItem = {
  subject: Subject;
  requestId: string;
  model: string;
  micros: number;
  byok: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  now: number;
};

export type UsageResult = { recorded: boolean; states: QuotaState[] };

type Pending = UsageItem & { resolve(r: UsageResult): void; reject(e: unknown): void };

/** Reports per transaction at most (12 parameters each, well under Postgres' 65,535). */
const MAX_BATCH = 1000;

/**
 * Group commit for usage reports. Reports that arrive while transactions are being written wait
 * for the next one; each transaction inserts its reports (idempotent on `request_id`) and adds
 * their summed cost to each spend counter once. A few transactions may be in flight at once:
 * they overlap their round trips and take turns on each counter's row lock, which keeps the
 * totals exact. Every transaction touches rows in a fixed order (events by `request_id`, counters
 * by key), so concurrent ones never deadlock. A report's promise resolves only after its
 * transaction committed, so a 202 still means the spend is durable. A batch that fails is retried
 * report by report, so one bad report cannot fail the others.
 */
export class UsageBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly deps: { db: Db; gateway: GatewayState; log: Logger },
    private readonly maxInFlight = 1,
  ) {}

  submit(item: UsageItem): Promise<UsageResult> {
    return new Promise<UsageResult>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await this.write(batch);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
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

  private write(batch: Pending[]): Promise<UsageResult[]> {
    const now = Math.max(...batch.map((p) => p.now));
    return recordUsage(
      this.deps,
      batch.map((p) => ({ ...p, createdAt: p.now })),
      now,
    );
  }
}
