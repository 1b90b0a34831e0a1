import type { Db } from "../db/client.js";
import { usageEvents } from "../db/schema.js";
import { transact } from "../events/transact.js";
import type { Logger } from "../lib/logger.js";
import { newId } from "../lib/ids.js";
import { addSpend, loadQuotaStates, type QuotaState, type Subject } from "../quotas/state.js";
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
 * Group commit for usage reports. Reports that arrive while a transaction is being written wait
 * for the next one; each transaction inserts its reports (idempotent on `request_id`) and adds
 * their summed cost to each spend counter once. A report's promise resolves only after its
 * transaction committed, so a 202 still means the spend is durable. A batch that fails is retried
 * report by report, so one bad report cannot fail the others.
 */
export class UsageBatcher {
  private queue: Pending[] = [];
  private draining = false;

  constructor(private readonly deps: { db: Db; gateway: GatewayState; log: Logger }) {}

  submit(item: UsageItem): Promise<UsageResult> {
    return new Promise<UsageResult>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await this.write(batch);
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
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
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Pending[]): Promise<UsageResult[]> {
    const now = Math.max(...batch.map((p) => p.now));
    return transact(this.deps, async (tx, publish) => {
      // The first report of a requestId in this batch may record it; the rest are repeats.
      const firsts = new Map<string, Pending>();
      for (const p of batch) if (!firsts.has(p.requestId)) firsts.set(p.requestId, p);
      const inserted = await tx
        .insert(usageEvents)
        .values(
          [...firsts.values()].map((p) => ({
            id: newId("usage"),
            requestId: p.requestId,
            teamId: p.subject.teamId,
            keyId: p.subject.keyId,
            projectId: p.subject.projectId,
            userId: p.subject.userId,
            model: p.model,
            costMicros: p.micros,
            byok: p.byok,
            inputTokens: p.inputTokens,
            outputTokens: p.outputTokens,
            createdAt: p.now,
          })),
        )
        .onConflictDoNothing()
        .returning({ requestId: usageEvents.requestId });
      const fresh = new Set(inserted.map((r) => r.requestId));
      const recorded = batch.filter((p) => fresh.has(p.requestId) && firsts.get(p.requestId) === p);
      const after = await addSpend(tx, recorded, now, publish);
      const byItem = new Map(recorded.map((p, i) => [p, after[i]!]));
      const results: UsageResult[] = [];
      for (const p of batch) {
        const states = byItem.get(p);
        results.push(states ? { recorded: true, states } : { recorded: false, states: await loadQuotaStates(tx, p.subject, now) });
      }
      return results;
    });
  }
}
