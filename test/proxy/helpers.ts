import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { usageEvents } from "../../src/db/schema.js";
import { getHarness } from "../helpers/harness.js";

/** The usage event the gateway recorded for a request (waits for the batcher to commit it). */
export async function recordedUsage(requestId: string | null, timeoutMs = 5000) {
  expect(requestId, "x-tollgate-request-id").toMatch(/^req_/);
  const { database } = await getHarness();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await database.db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId!));
    if (row) return row;
    if (Date.now() > until) throw new Error(`no usage recorded for ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Usage events of a key, in order. */
export async function usageOfKey(keyId: string) {
  const { database } = await getHarness();
  return database.db.select().from(usageEvents).where(eq(usageEvents.keyId, keyId)).orderBy(usageEvents.id);
}

/** Waits until `check` holds (or fails with its last error). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
