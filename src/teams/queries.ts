import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, memberships, teams, users, type Role } from "../db/schema.js";

/**
 * At most `limit` members of the team with their email, name, role and join time, by user id;
 * only users after `after` (a user id) when given.
 */
export async function listMembers(db: Db, teamId: string, after: string | undefined, limit: number) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, teamId), after ? gt(users.id, after) : undefined))
    .orderBy(asc(users.id))
    .limit(limit);
}

/** Deletes the user's membership of the team. */
export async function deleteMembership(db: Db, teamId: string, userId: string): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
}

/** Sets the member's role; `newTokenEpoch` also gives them a new token epoch (ends the OIDC tokens they minted). */
export async function setMemberRole(db: Db, teamId: string, userId: string, role: Role, newTokenEpoch: boolean): Promise<void> {
  await db
    .update(memberships)
    .set(newTokenEpoch ? { role, tokenEpoch: sql`gen_random_uuid()::text` } : { role })
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
}

/**
 * At most `limit` of the user's teams (only `onlyTeamId` when given) with the user's role in each,
 * by team id; only teams after `after` (a team id) when given.
 */
export async function listUserTeams(db: Db, userId: string, onlyTeamId: string | null, after: string | undefined, limit: number) {
  return db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, createdAt: teams.createdAt, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.userId, userId), onlyTeamId ? eq(teams.id, onlyTeamId) : undefined, after ? gt(teams.id, after) : undefined))
    .orderBy(asc(teams.id))
    .limit(limit);
}

/**
 * Locks, in one statement and in user id order, the memberships a role change or removal reads:
 * the team's OWNERs, the target and the actor. Two OWNERs demoting or removing each other then
 * queue instead of deadlocking, and each sees the other's committed change (the actor may have
 * lost OWNER meanwhile). Returns the locked rows.
 */
export async function lockMemberships(tx: Db, teamId: string, userIds: string[]) {
  return tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), or(eq(memberships.role, "OWNER"), inArray(memberships.userId, userIds))))
    .orderBy(memberships.userId)
    .for("update");
}

/**
 * The user's membership, locked `FOR SHARE` until the transaction ends: a write that depends on
 * being a member (a key created by them) and their removal serialize, so a key is never created
 * after the removal that should have deactivated it.
 */
export async function lockOwnMembership(tx: Db, teamId: string, userId: string) {
  const [m] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
    .for("share");
  return m;
}

/** Deactivates every live gateway key the user created in the team; returns their ids and digests. */
export async function deactivateKeysCreatedBy(db: Db, teamId: string, userId: string, now: number) {
  return db
    .update(apiKeys)
    .set({ deactivatedAt: now })
    .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.createdBy, userId), isNull(apiKeys.deactivatedAt), isNull(apiKeys.deletedAt)))
    .returning({ id: apiKeys.id, digest: apiKeys.digest });
}
