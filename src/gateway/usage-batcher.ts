import type { Db } from "../db/client.js";
import type { Logger } from "../lib/logger.js";
import { recordUsage, type UsageReport } from "../quotas/record-usage.js";
import type { QuotaState } from "../quotas/state.js";
import type { GatewayState } from "./state.js";

export type UsageResult = { recorded: boolean; conflict: boolean; states: QuotaState[] };

type Pending = UsageReport & { resolve(r: UsageResult): void; reject(e: unknown): void };

/** Reports per statement at most (they travel as one JSON parameter). */
const MAX_BATCH = 1000;

/**
 * Group commit for usage reports: reports that arrive while a batch is being written wait for the
 * next one, and each batch is one statement (`recordUsage`) that records its reports (idempotent on
 * `request_id`) and adds their summed cost to each spend counter. One batch at a time by default:
 * measured best, since more in flight only makes smaller batches. A report's promise resolves
 * only after its statement committed, so a 202 means the spend is durable. A batch that fails is
 * retried report by report, so one bad report cannot fail the others.
 */
export class UsageBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly deps: { db: Db; gateway: GatewayState; log: Logger },
    private readonly maxInFlight = 1,
  ) {}

  submit(item: UsageReport): Promise<UsageResult> {
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
    return recordUsage(this.deps, batch, Math.max(...batch.map((p) => p.createdAt)));
  }
}
