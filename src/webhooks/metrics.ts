import { Counter, Gauge } from "prom-client";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { registry } from "../ops/metrics.js";

/** Outcomes of delivery attempts: `delivered` (2xx), `retrying` (failed, tried again later), `failed` (given up). */
export type AttemptOutcome = "delivered" | "retrying" | "failed";

const attempts = new Counter({
  name: "tollgate_webhook_deliveries_total",
  help: "Webhook delivery attempts by outcome: delivered (2xx), retrying (failed, to be tried again), failed (given up, or its endpoint disabled).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export function countAttempt(outcome: AttemptOutcome): void {
  attempts.labels(outcome).inc();
}

/** The database the queue depth is read from (the server's, bound when its worker starts). */
let queueDb: Db | undefined;

export function bindWebhookQueue(db: Db | undefined): void {
  queueDb = db;
}

new Gauge({
  name: "tollgate_webhook_queue_depth",
  help: "Webhook deliveries waiting to be sent (pending, whether due now or at a later retry), read from the database at scrape time.",
  registers: [registry],
  async collect() {
    if (!queueDb) return this.set(0);
    try {
      const [row] = rowsOf<{ n: number }>(await queueDb.execute(sql`select count(*)::int as n from webhook_deliveries where state = 'pending'`));
      this.set(Number(row?.n ?? 0));
    } catch {
      // Database unreachable: the last value stands.
    }
  },
});
