import type { Db } from "../../db/client.js";
import { loadTeamsRules } from "../../rules/queries.js";
import type { CompiledRules } from "../../rules/resolve.js";
import { CacheUnit, ignore, type ChangeOf, type Trust } from "./unit.js";

/** Each team's enabled rules, compiled: read for every team missed in one turn by one statement. */
export class RulesCache extends CacheUnit<string, CompiledRules, ChangeOf<"rules">> {
  private readonly reads = this.loader((teamIds) => loadTeamsRules(this.db, teamIds));

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max);
  }

  load(teamId: string): Promise<CompiledRules> {
    return this.reads.load(teamId);
  }

  /** Starts the team's read if it is not cached (a key of the team was just read). */
  prefetch(teamId: string): void {
    if (!this.map.has(teamId)) this.reads.load(teamId).catch(ignore);
  }

  apply(change: ChangeOf<"rules">): void {
    this.forget(change.teamId);
  }
}
