import type { Context } from "hono";
import type { Db } from "../db/client.js";
import type { Role } from "../db/schema.js";
import { transact, type Publish } from "../events/transact.js";
import { requireMember, roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv, MemberPrincipal } from "../http/context.js";
import { notFound } from "../http/errors.js";
import { lockOwnMembership } from "../teams/queries.js";
import { findKey, findLiveKey, lockKey } from "./queries.js";
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
  const key = includeDeleted ? await findKey(db, id) : await findLiveKey(db, id);
  const role = key ? await roleInTeam(c, key.teamId, named) : null;
  if (!key || !role) throw notFound("API key");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return { key, role };
}

/** What a key write decides on: the key and the caller's role as locked in its transaction. */
export type LockedKey = { key: ApiKeyRow; role: Role; principal: MemberPrincipal };

/**
 * Runs a write on a key addressed by id, in one transaction, deciding only on locked rows.
 *
 * `loadKeyAndRole` first answers the plain 404s and 403s without taking a lock. Then, inside the
 * transaction, the caller's membership is locked `FOR SHARE` (as key creation does; a member's
 * removal or role change locks it `FOR UPDATE` before it deactivates their keys) and its role
 * checked again, and the key is read again `FOR UPDATE`. A write and a removal therefore
 * serialize: either the write lands first (and the removal then deactivates the key), or it sees
 * the caller gone (404), or the key as the removal left it. `fn` must decide and audit from the
 * locked key, never from a read taken before the transaction.
 *
 * A trusted external identity has no membership: its role comes from configuration.
 * A key deleted meanwhile is 404, unless `includeDeleted` (the caller then answers 409).
 */
export async function writeLockedKey<T>(
  c: Context<AppEnv>,
  id: string,
  named: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
  opts: { includeDeleted: boolean },
  fn: (tx: Db, publish: Publish, locked: LockedKey) => Promise<T>,
): Promise<T> {
  const { key: seen } = await loadKeyAndRole(c, id, named, need, opts.includeDeleted);
  const principal = requireMember(c);
  return transact(c.get("deps"), async (tx, publish) => {
    let role: Role;
    if (principal.kind === "user") {
      const membership = await lockOwnMembership(tx, seen.teamId, principal.user.id);
      // Removed meanwhile: the team is no longer theirs to see.
      if (!membership) throw notFound("API key");
      role = membership.role;
    } else {
      role = principal.role;
    }
    if (!roleAllows(role, need)) throw roleError(role, need);
    const key = await lockKey(tx, seen.id);
    if (!key || (key.deletedAt !== null && !opts.includeDeleted)) throw notFound("API key");
    return fn(tx, publish, { key, role, principal });
  });
}
