import type { Db } from "../../db/client.js";
import { anyOf } from "../../db/any-of.js";
import { projects } from "../../db/schema.js";
import { CacheUnit, type ChangeOf, type Trust } from "./unit.js";

/** The team of each live project (OIDC tokens name a project; a deleted one stops authorizing). */
export class ProjectsCache extends CacheUnit<string, string | undefined, ChangeOf<"project">> {
  private readonly reads = this.loader(async (projectIds) => {
    const rows = await this.db
      .select({ id: projects.id, teamId: projects.teamId })
      .from(projects)
      .where(anyOf(projects.id, JSON.stringify(projectIds)));
    const teamOf = new Map(rows.map((r) => [r.id, r.teamId]));
    return new Map(projectIds.map((p) => [p, teamOf.get(p)]));
  });

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max);
  }

  /** The project's team, undefined for a deleted (or unknown) one. */
  load(projectId: string): Promise<string | undefined> {
    return this.reads.load(projectId);
  }

  protected override keep(found: Map<string, string | undefined>, gen: number): void {
    for (const [projectId, teamId] of found) if (teamId !== undefined) this.store(projectId, teamId, gen);
  }

  apply(change: ChangeOf<"project">): void {
    this.forget(change.projectId);
  }
}
