import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rules, teams } from "../db/schema.js";
import { compileRules, type CompiledRules } from "./resolve.js";
import { toResolvable, type RuleRow } from "./schemas.js";

/** Rule queries (no HTTP here: what maps them to answers is in ./access.ts). */

export const RULES_ENABLED_UNIQUE = "rules_team_match_enabled_uq";

/** The team's enabled rules, compiled for `resolveModel` (in creation order). */
export async function loadTeamRules(db: Db, teamId: string): Promise<CompiledRules> {
  const rows = await db
    .select()
    .from(rules)
    .where(and(eq(rules.teamId, teamId), eq(rules.enabled, true)))
    .orderBy(asc(rules.id));
  return compileRules(rows.map(toResolvable));
}

/** A rule with its team's slug, or undefined. */
export async function findRule(db: Db, ruleId: string): Promise<{ rule: RuleRow; teamSlug: string } | undefined> {
  const [row] = await db
    .select({ rule: rules, teamSlug: teams.slug })
    .from(rules)
    .innerJoin(teams, eq(teams.id, rules.teamId))
    .where(eq(rules.id, ruleId))
    .limit(1);
  return row;
}

