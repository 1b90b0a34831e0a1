import type { Db } from "../db/client.js";
import type { Deps } from "../http/context.js";
import { notifyChange, type Change } from "./changes.js";

/**
 * Publishes a change. `{ notified: true }` when the statement that made the change already sent
 * its notification (e.g. from a `RETURNING` clause): then it is only applied to this instance.
 */
export type Publish = (change: Change, opts?: { notified: true }) => Promise<void>;

/**
 * Runs `fn` in one transaction. `publish(change)` notifies every instance when the transaction
 * commits (NOTIFY is transactional); this instance applies the changes itself right after the
 * commit, so its very next request already sees them.
 */
export async function transact<T>(deps: Pick<Deps, "db" | "gateway">, fn: (tx: Db, publish: Publish) => Promise<T>): Promise<T> {
  const changes: Change[] = [];
  const result = await deps.db.transaction((tx) =>
    fn(tx, async (change, opts) => {
      if (!opts?.notified) await notifyChange(tx, change);
      changes.push(change);
    }),
  );
  for (const c of changes) deps.gateway.apply(c);
  return result;
}
