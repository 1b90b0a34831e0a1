import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, projects, teams } from "../db/schema.js";

/** Project queries (no HTTP here: the routes decide the answers). */

export type ProjectRow = typeof projects.$inferSelect;

/** The id of project `projectId` when it belongs to team `teamId`, else undefined. */
export async function findTeamProjectId(db: Db, teamId: string, projectId: string): Promise<{ id: string } | undefined> {
  const [p] = await db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.teamId, teamId)));
  return p;
}

/** A project by id (any team), or undefined. */
export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  const [project] = await db.select().from(projects).where(eq(projects.id, id));
  return project;
}

/** A page of the team's projects, newest first, older than `cursor` when given (`limit` rows at most). */
export async function listProjects(db: Db, teamId: string, cursor: string | undefined, limit: number): Promise<ProjectRow[]> {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.teamId, teamId), cursor ? lt(projects.id, cursor) : undefined))
    .orderBy(desc(projects.id))
    .limit(limit);
}

/** Inserts a project; returns the row (a duplicate name throws the unique violation). */
export async function insertProject(db: Db, values: typeof projects.$inferInsert): Promise<ProjectRow> {
  const [project] = await db.insert(projects).values(values).returning();
  return project!;
}

/**
 * Deletes project `id` of team `teamId`: first its keys lose the project (`projectId` null), then
 * the project row goes. Returns the keys detached (id and digest) and whether the project was deleted.
 */
export async function deleteProject(
  tx: Db,
  teamId: string,
  id: string,
): Promise<{ detachedKeys: { id: string; digest: string }[]; deleted: boolean }> {
  const detachedKeys = await tx.update(apiKeys).set({ projectId: null }).where(eq(apiKeys.projectId, id)).returning({ id: apiKeys.id, digest: apiKeys.digest });
  const rows = await tx.delete(projects).where(and(eq(projects.id, id), eq(projects.teamId, teamId))).returning({ id: projects.id });
  return { detachedKeys, deleted: rows.length > 0 };
}

/** A project with its team's id and slug, or undefined. */
export async function findProjectWithTeam(db: Db, id: string): Promise<{ project: ProjectRow; team: { id: string; slug: string } } | undefined> {
  const [row] = await db
    .select({ project: projects, team: { id: teams.id, slug: teams.slug } })
    .from(projects)
    .innerJoin(teams, eq(teams.id, projects.teamId))
    .where(eq(projects.id, id))
    .limit(1);
  return row;
}
