import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { byokCredentials, teams } from "../db/schema.js";
import { requireUser, roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { notFound } from "../http/errors.js";
import type { CredentialRow } from "./schemas.js";

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
  const [row] = await c
    .get("deps")
    .db.select({ cred: byokCredentials, teamSlug: teams.slug })
    .from(byokCredentials)
    .innerJoin(teams, eq(teams.id, byokCredentials.teamId))
    .where(eq(byokCredentials.id, id))
    .limit(1);
  const named = row && (!q.teamId || q.teamId === row.cred.teamId) && (!q.slug || q.slug === row.teamSlug);
  const role = named ? await roleInTeam(c, row.cred.teamId) : null;
  if (!row || !role) throw notFound("Credential");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return row.cred;
}
