import { sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import { preparedPer, type Db } from "../../db/client.js";
import { budgets } from "../../db/schema.js";
import type { Budget } from "../../quotas/state.js";
import { CacheUnit, ignore, type ChangeOf, type Trust } from "./unit.js";

/** A budget's place in its team's map. */
export const budgetKey = (scopeType: string, scopeId: string) => `${scopeType}\u0000${scopeId}`;

/**
 * Each team's budgets by scope (`budgetKey`), archived ones included: read for every team missed
 * in one turn by one statement. A new map after each reload (the quota view's plans are by map).
 */
export class BudgetsCache extends CacheUnit<string, Map<string, Budget>, ChangeOf<"budgets">> {
  private readonly reads = this.loader(async (teamIds) => {
    const rows = await teamsBudgets(this.db).execute({ teams: JSON.stringify(teamIds) });
    const found = new Map<string, Map<string, Budget>>(teamIds.map((t) => [t, new Map()]));
    for (const b of rows) found.get(b.teamId)?.set(budgetKey(b.scopeType, b.scopeId), b);
    return found;
  });

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max);
  }

  load(teamId: string): Promise<Map<string, Budget>> {
    return this.reads.load(teamId);
  }

  /** Starts the team's read if it is not cached (a key of the team was just read). */
  prefetch(teamId: string): void {
    if (!this.map.has(teamId)) this.reads.load(teamId).catch(ignore);
  }

  apply(change: ChangeOf<"budgets">): void {
    this.forget(change.teamId);
  }
}

/** Teams' budgets (`teams`: JSON text). */
const teamsBudgets = preparedPer((db) =>
  db
    .select()
    .from(budgets)
    .where(anyOf(budgets.teamId, sql.placeholder("teams")))
    .prepare("tollgate_teams_budgets"),
);
