import type { Context } from "hono";
import type { Db } from "../db/client.js";
import { requireUser, roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { badRequest, encryptionMissing503 as missingKey503, notFound } from "../http/errors.js";
import { findCredentialWithTeamSlug, findLiveTeamKeyIds } from "./queries.js";
import type { CredentialRow } from "./schemas.js";

/** BYOK as the HTTP routes need it: the caller's access, errors in the envelope. */

/** Why a secret cannot be stored without the encryption key (the 503 `encryption_key_missing`). */
export const ENCRYPTION_KEY_MISSING_TEXT =
  "BYOK credentials are stored encrypted and this server has no encryption key: set TOLLGATE_ENCRYPTION_KEY " +
  "(a 32-byte key as base64, e.g. from `openssl rand -base64 32`) and restart. Everything else works without it.";

/** 400 naming each id of `apiKeyIds` that is not a live key of the team; the ids, deduplicated, in order. */
export async function checkApiKeyIds(tx: Db, teamId: string, ids: string[], path = "apiKeyIds"): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const known = await findLiveTeamKeyIds(tx, teamId, unique);
  const params = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}.${i}`, message: `'${id}' is not a gateway key of this team` }]));
  if (params.length > 0) throw badRequest("apiKeyIds names keys that are not gateway keys of this team.", params);
  return unique;
}

/**
 * A credential addressed by id, for the caller: 404 when it does not exist, belongs to a team the
 * caller cannot see, or to another team than `?teamId=`/`?slug=`; 403 when the role is too weak.
 */
export async function loadCredentialForCaller(
  c: Context<AppEnv>,
  id: string,
  q: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<CredentialRow> {
  requireUser(c);
  const row = await findCredentialWithTeamSlug(c.get("deps").db, id);
  const named = row && (!q.teamId || q.teamId === row.cred.teamId) && (!q.slug || q.slug === row.teamSlug);
  const role = named ? await roleInTeam(c, row.cred.teamId) : null;
  if (!row || !role) throw notFound("Credential");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return row.cred;
}

/** The documented 503 of a route that stores this area's secret. */
export const encryptionMissing503 = missingKey503("a secret");
