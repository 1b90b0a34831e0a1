import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import type { Change } from "../events/changes.js";
import type { ApiKeyRow } from "./schemas.js";

export async function findLiveKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row;
}


/** The cache invalidations for a key: its secret's digest, and the previous secret's while one is kept. */
export function keyChanges(k: Pick<ApiKeyRow, "digest" | "previousDigest">): Change[] {
  const changes: Change[] = [{ t: "key", digest: k.digest }];
  if (k.previousDigest !== null) changes.push({ t: "key", digest: k.previousDigest });
  return changes;
}
