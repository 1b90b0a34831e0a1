import { count } from "drizzle-orm";
import type { Db } from "./db/client.js";
import { users } from "./db/schema.js";
import { writeAudit } from "./audit/write.js";
import { createTeamWithOwner, createToken, createUser } from "./users/queries.js";

/**
 * First start with no user and no admin token: create `admin@localhost`, its team `default`, and a
 * personal access token, returned once for the caller to print. Returns null when there is
 * nothing to do. Runs in one transaction, so two instances starting together create one admin.
 */
export async function bootstrapFirstUser(db: Db, now: number): Promise<{ email: string; teamSlug: string; bearerToken: string } | null> {
  return db.transaction(async (tx) => {
    // Serialize concurrent first starts on Postgres; PGlite has a single connection anyway.
    await tx.execute("select pg_advisory_xact_lock(7243002)" as never);
    const [row] = await tx.select({ n: count() }).from(users);
    if (Number(row?.n ?? 0) > 0) return null;
    const user = await createUser(tx, { email: "admin@localhost", name: "Admin", now });
    const team = await createTeamWithOwner(tx, { slug: "default", name: "Default", ownerId: user.id, now });
    const { bearerToken } = await createToken(tx, { userId: user.id, name: "bootstrap", teamId: null, expiresAt: null, now });
    await writeAudit(tx, {
      teamId: team.id,
      actor: { type: "system", id: "bootstrap" },
      action: "user.create",
      target: { type: "user", id: user.id },
      data: { email: user.email, bootstrap: true },
      at: now,
    });
    return { email: user.email, teamSlug: team.slug, bearerToken };
  });
}
