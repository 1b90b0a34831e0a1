import { and, desc, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import type { Change } from "../events/changes.js";
import type { ApiKeyRow } from "./schemas.js";

/** A key by id unless deleted, or undefined. */
export async function findLiveKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row;
}

/** A key by id, deleted or not, or undefined. */
export async function findKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row;
}

/** A key by id (deleted or not), locked `FOR UPDATE` until the transaction ends, or undefined. */
export async function lockKey(tx: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
  return row;
}

/** A page of the team's live (not deleted) keys, newest first, older than `cursor` when given (`limit` rows at most). */
export async function listLiveKeys(db: Db, teamId: string, cursor: string | undefined, limit: number): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.deletedAt), cursor ? lt(apiKeys.id, cursor) : undefined))
    .orderBy(desc(apiKeys.id))
    .limit(limit);
}

/** Inserts a key; returns the row. */
export async function insertKey(db: Db, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(values).returning();
  return row!;
}

/** Changes key `id`'s columns in `set`; returns the row as changed (undefined when there is no such key). */
export async function updateKey(db: Db, id: string, set: Partial<ApiKeyRow>): Promise<ApiKeyRow | undefined> {
  const [row] = await db.update(apiKeys).set(set).where(eq(apiKeys.id, id)).returning();
  return row;
}

/** Marks key `id` deleted at `now` (the row stays, with `deletedAt` set). */
export async function markKeyDeleted(db: Db, id: string, now: number): Promise<void> {
  await db.update(apiKeys).set({ deletedAt: now }).where(eq(apiKeys.id, id));
}

/** The cache invalidations for a key: its secret's digest, and the previous secret's while one is kept. */
export function keyChanges(k: Pick<ApiKeyRow, "digest" | "previousDigest">): Change[] {
  const changes: Change[] = [{ t: "key", digest: k.digest }];
  if (k.previousDigest !== null) changes.push({ t: "key", digest: k.previousDigest });
  return changes;
}
