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
