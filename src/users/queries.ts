import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { memberships, teams, tokens, users, type Role } from "../db/schema.js";
import { newId } from "../lib/ids.js";
import { generateSecret, sha256Hex } from "../lib/secrets.js";

/** Creates a personal access token; returns the row and the plaintext (shown once). */
export async function createToken(
  db: Db,
  input: { userId: string; name: string; teamId: string | null; expiresAt: number | null; now: number },
) {
  const bearerToken = generateSecret("tgp");
  const [token] = await db
    .insert(tokens)
    .values({
      id: newId("token"),
      userId: input.userId,
      teamId: input.teamId,
      name: input.name,
      digest: sha256Hex(bearerToken),
      expiresAt: input.expiresAt,
      createdAt: input.now,
      activeAt: input.now,
    })
    .returning();
  return { token: token!, bearerToken };
}

export async function createUser(db: Db, input: { email: string; name: string | null; now: number }) {
  const [user] = await db
    .insert(users)
    .values({ id: newId("user"), email: input.email, name: input.name, createdAt: input.now })
    .returning();
  return user!;
}

export async function createTeamWithOwner(db: Db, input: { slug: string; name: string; ownerId: string; now: number }) {
  const [team] = await db
    .insert(teams)
    .values({ id: newId("team"), slug: input.slug, name: input.name, createdAt: input.now })
    .returning();
  await addMember(db, { teamId: team!.id, userId: input.ownerId, role: "OWNER", now: input.now });
  return team!;
}

export async function addMember(db: Db, m: { teamId: string; userId: string; role: Role; now: number }) {
  await db.insert(memberships).values({ teamId: m.teamId, userId: m.userId, role: m.role, createdAt: m.now });
}

/** The user with this id; undefined when none. */
export async function findUser(db: Db, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** The user with this email; undefined when none. */
export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  return user;
}

/** The user's teams (only `onlyTeamId` when given) with the user's role in each, by team id. */
export async function listUserTeamRoles(db: Db, userId: string, onlyTeamId: string | null) {
  return db
    .select({ id: teams.id, slug: teams.slug, name: teams.name, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(and(eq(memberships.userId, userId), onlyTeamId ? eq(teams.id, onlyTeamId) : undefined))
    .orderBy(asc(teams.id));
}

/** The user's membership of the team; undefined when not a member. */
export async function findMembership(db: Db, teamId: string, userId: string) {
  const [m] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return m;
}

/**
 * Deletes the user's token with this id (only if scoped to `onlyTeamId` when given); returns the
 * deleted rows' id and team (none when there was no such token).
 */
export async function deleteToken(db: Db, id: string, userId: string, onlyTeamId: string | null) {
  return db
    .delete(tokens)
    .where(and(eq(tokens.id, id), eq(tokens.userId, userId), onlyTeamId ? eq(tokens.teamId, onlyTeamId) : undefined))
    .returning({ id: tokens.id, teamId: tokens.teamId });
}

/**
 * At most `limit` of the user's tokens (only those scoped to `onlyTeamId` when given), newest
 * first; only those older than `until` (a token id) when given.
 */
export async function listTokens(db: Db, userId: string, onlyTeamId: string | null, until: string | undefined, limit: number) {
  return db
    .select()
    .from(tokens)
    .where(and(eq(tokens.userId, userId), onlyTeamId ? eq(tokens.teamId, onlyTeamId) : undefined, until ? lt(tokens.id, until) : undefined))
    .orderBy(desc(tokens.id))
    .limit(limit);
}
