import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { memberships, teams, users, type Role } from "../db/schema.js";

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
