import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { memberships, type Role } from "../db/schema.js";

/** OIDC queries (no HTTP here: the routes decide the answers). */

/** A user's role in a team and their membership's token epoch (read in one statement), or undefined when not a member. */
export async function findMinterMembership(db: Db, teamId: string, userId: string): Promise<{ role: Role; epoch: string } | undefined> {
  const [m] = await db
    .select({ role: memberships.role, epoch: memberships.tokenEpoch })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
    .limit(1);
  return m;
}
