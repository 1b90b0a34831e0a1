import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import type { Change } from "../events/changes.js";
import type { Role } from "../db/schema.js";
import { roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { notFound } from "../http/errors.js";
import type { ApiKeyRow } from "./schemas.js";

export async function findLiveKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
    .limit(1);
  return row;
}

/**
 * Loads a key addressed by id for the caller: 404 when it does not exist, is deleted, belongs to
 * a team the caller cannot see (or another team than `?teamId=`); 403 when the caller's role is
 * too weak for `need`.
 */
export async function loadKeyForCaller(
  c: Context<AppEnv>,
  id: string,
  teamId: string | undefined,
  need: Permission,
): Promise<ApiKeyRow> {
  return (await loadKeyAndRole(c, id, teamId, need, false)).key;
}

/**
 * `loadKeyForCaller`, also returning the caller's role; with `includeDeleted`, a deleted key of a
 * team the caller can see is returned too (for a 409 rather than a 404).
 */
export async function loadKeyAndRole(
  c: Context<AppEnv>,
  id: string,
  teamId: string | undefined,
  need: Permission,
  includeDeleted: boolean,
): Promise<{ key: ApiKeyRow; role: Role }> {
  const db = c.get("deps").db;
  const key = includeDeleted ? (await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1))[0] : await findLiveKey(db, id);
  const role = key && (!teamId || teamId === key.teamId) ? await roleInTeam(c, key.teamId) : null;
  if (!key || !role) throw notFound("API key");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return { key, role };
}

/** The cache invalidations for a key: its secret's digest, and the previous secret's while one is kept. */
export function keyChanges(k: Pick<ApiKeyRow, "digest" | "previousDigest">): Change[] {
  const changes: Change[] = [{ t: "key", digest: k.digest }];
  if (k.previousDigest !== null) changes.push({ t: "key", digest: k.previousDigest });
  return changes;
}
