import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import type { BudgetScope } from "../db/schema.js";

/** The Postgres channel every instance listens on. */
export const CHANGES_CHANNEL = "tollgate_changes";

/**
 * What changed, as far as the gateway's in-process cache cares. `spend` carries the counter's new
 * value (so other instances update in place); the others invalidate.
 */
export type Change =
  /** A key changed; `keyId` when the change also concerns whose spend it counts against (its project). */
  | { t: "key"; digest: string; keyId?: string }
  | { t: "rules"; teamId: string }
  | { t: "budgets"; teamId: string }
  | { t: "byok"; teamId: string }
  /** A project was deleted (its OIDC tokens stop authorizing). */
  | { t: "project"; projectId: string }
  /** A membership was added, removed, or its `token_epoch` changed (the OIDC tokens the member minted stop authorizing). */
  | { t: "member"; teamId: string; userId: string }
  /** OIDC signing keys were revoked (the tokens they signed stop authorizing). */
  | { t: "oidc_keys" }
  /** A hard budget's leases changed: Σ of the unexpired ones of its period (src/quotas/leases.ts), shown as `reserved`. */
  | { t: "leased"; teamId: string; scopeType: BudgetScope; scopeId: string; periodStart: number; micros: number }
  /** A usage report settled a request another instance may hold a hard-budget reservation for (src/quotas/leases.ts). */
  | { t: "settled"; teamId: string; requestId: string; micros: number }
  /** An instance's heartbeat to itself: proof its listening connection still delivers. */
  | { t: "ping"; instance: string }
  | {
      t: "spend";
      teamId: string;
      scopeType: BudgetScope;
      scopeId: string;
      periodStart: number;
      periodEnd: number | null;
      spendMicros: number;
      byokSpendMicros: number;
      alertsSent: number[];
      /** The counter row's version: a cache keeps the highest it has seen. */
      version: number;
    };

/**
 * Publishes a change from inside the transaction that makes it: Postgres (and PGlite) deliver the
 * notification only when that transaction commits, and in commit order.
 */
export async function notifyChange(tx: Db, change: Change): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`);
}

export async function notifyChanges(tx: Db, changes: Change[]): Promise<void> {
  for (const c of changes) await notifyChange(tx, c);
}
