import { and, eq, isNull } from "drizzle-orm";
import type { ApiKeyRow } from "../api-keys/schemas.js";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { hasValidChecksum, sha256Hex } from "../lib/secrets.js";

/**
 * The live (not deleted) key for a presented `tgk_` string, or undefined. A string without a valid
 * checksum is refused before any database lookup.
 */
export async function findKeyByCredential(db: Db, credential: string, opts: { includeDeleted?: boolean } = {}): Promise<ApiKeyRow | undefined> {
  if (!hasValidChecksum(credential, "tgk")) return undefined;
  const digest = sha256Hex(credential);
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(opts.includeDeleted ? eq(apiKeys.digest, digest) : and(eq(apiKeys.digest, digest), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row;
}
