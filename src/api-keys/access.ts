import type { Context } from "hono";
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
  const key = await findLiveKey(c.get("deps").db, id);
  const role = key ? await roleInTeam(c, key.teamId, named) : null;
  if (!key || !role) throw notFound("API key");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return key;
}
