import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import type { ApiKeyRow } from "./schemas.js";

export async function findLiveKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row;
}

