import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { apiKeys, type Role } from "../db/schema.js";
import { roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { notFound } from "../http/errors.js";
import { findLiveKey } from "./queries.js";
import type { ApiKeyRow } from "./schemas.js";

/**
 * Loads a key addressed by id for the caller: 404 when it does not exist, is deleted, belongs to
 * a team the caller cannot see (or another team than `?teamId=`/`?slug=`); 403 when the caller's role is
 * too weak for `need`.
 */
export async function loadKeyForCaller(
  c: Context<AppEnv>,
  id: string,
  named: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<ApiKeyRow> {
  return (await loadKeyAndRole(c, id, named, need, false)).key;
}

/**
 * `loadKeyForCaller`, also returning the caller's role; with `includeDeleted`, a deleted key of a
 * team the caller can see is returned too (for a 409 rather than a 404).
 */
export async function loadKeyAndRole(
  c: Context<AppEnv>,
  id: string,
  named: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
  includeDeleted: boolean,
): Promise<{ key: ApiKeyRow; role: Role }> {
  const db = c.get("deps").db;
  const key = includeDeleted ? (await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1))[0] : await findLiveKey(db, id);
  const role = key ? await roleInTeam(c, key.teamId, named) : null;
  if (!key || !role) throw notFound("API key");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return { key, role };
}
