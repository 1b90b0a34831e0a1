import type { Db } from "../db/client.js";
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/rows.js";
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
    private readonly maxInFlight = 4,
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

  private async write(batch: Pending[]): Promise<UsageResult[]> {
    const now = Math.max(...batch.map((p) => p.now));
    return transact(this.deps, async (tx, publish) => {
      // The first report of a requestId in this batch may record it; the rest are repeats.
      const firsts = new Map<string, Pending>();
      for (const p of batch) if (!firsts.has(p.requestId)) firsts.set(p.requestId, p);
      // One statement for the whole batch, its rows as one JSON parameter: the SQL text is constant
      // (building a 1,000-row insert with the query builder costs more than running it).
      const rows = [...firsts.values()].map((p) => ({
        id: newId("usage"),
        request_id: p.requestId,
        team_id: p.subject.teamId,
        key_id: p.subject.keyId,
        project_id: p.subject.projectId,
        user_id: p.subject.userId,
        model: p.model,
        cost_micros: p.micros,
        byok: p.byok,
        input_tokens: p.inputTokens,
        output_tokens: p.outputTokens,
        created_at: p.now,
      }));
      const inserted = rowsOf<{ request_id: string }>(
        await tx.execute(sql`
          insert into usage_events (id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens, created_at)
          select id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens, created_at
            from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
              id text, request_id text, team_id text, key_id text, project_id text, user_id text, model text,
              cost_micros bigint, byok boolean, input_tokens integer, output_tokens integer, created_at bigint)
          order by request_id
          on conflict (request_id) do nothing
          returning request_id`),
      );
      const fresh = new Set(inserted.map((r) => r.request_id));
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
