import { and, asc, count, eq, sql } from "drizzle-orm";
import { anyOf } from "../db/any-of.js";
import { preparedPer, type Db } from "../db/client.js";
import { rules, teams } from "../db/schema.js";
import { compileRules, type CompiledRules } from "./resolve.js";
import { toResolvable, type RuleRow } from "./schemas.js";

/** Rule queries (no HTTP here: what maps them to answers is in ./access.ts). */

export const RULES_ENABLED_UNIQUE = "rules_team_match_enabled_uq";

/**
 * The team's enabled rules, compiled for `resolveModel` (in creation order): the same read as the
 * gateway cache's (`loadTeamsRules`), so the resolve dry run and authorize never differ.
 */
export async function loadTeamRules(db: Db, teamId: string): Promise<CompiledRules> {
  return (await loadTeamsRules(db, [teamId])).get(teamId)!;
}

/**
 * Several teams' enabled rules, compiled, in one statement (the gateway cache's batched first
 * touch of teams): every team asked for is in the answer, with no rules when it has none.
 */
export async function loadTeamsRules(db: Db, teamIds: string[]): Promise<Map<string, CompiledRules>> {
  const rows = await teamsRules(db).execute({ teams: JSON.stringify(teamIds) });
  const byTeam = new Map<string, RuleRow[]>(teamIds.map((t) => [t, []]));
  for (const r of rows) byTeam.get(r.teamId)?.push(r);
  return new Map([...byTeam].map(([t, list]) => [t, compileRules(list.map(toResolvable))]));
}

const teamsRules = preparedPer((db) =>
  db
    .select()
    .from(rules)
    .where(and(anyOf(rules.teamId, sql.placeholder("teams")), eq(rules.enabled, true)))
    .orderBy(asc(rules.teamId), asc(rules.id))
    .prepare("tollgate_teams_rules"),
);

/** The team's rules (enabled only unless `includeDisabled`), oldest first. */
export async function listRules(db: Db, teamId: string, includeDisabled: boolean): Promise<RuleRow[]> {
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.teamId, teamId), includeDisabled ? undefined : eq(rules.enabled, true)))
    .orderBy(asc(rules.id));
}

/** How many rules the team holds. */
export async function countTeamRules(db: Db, teamId: string): Promise<number> {
  const [held] = await db.select({ n: count() }).from(rules).where(eq(rules.teamId, teamId));
  return Number(held?.n ?? 0);
}

/** Inserts a rule; returns the row. */
export async function insertRule(db: Db, values: typeof rules.$inferInsert): Promise<RuleRow> {
  const [row] = await db.insert(rules).values(values).returning();
  return row!;
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


/** Locks the team's row `FOR NO KEY UPDATE` (serializes its rule writes, blocks no foreign-key check). */
export async function lockTeamForRuleWrite(tx: Db, teamId: string): Promise<void> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("no key update");
}

/** The id of one enabled rule of the team matching `matchModel`, or undefined. */
export async function findEnabledRuleFor(db: Db, teamId: string, matchModel: string): Promise<{ id: string } | undefined> {
  const [holder] = await db
    .select({ id: rules.id })
    .from(rules)
    .where(and(eq(rules.teamId, teamId), eq(rules.matchModel, matchModel), eq(rules.enabled, true)))
    .limit(1);
  return holder;
}

/** The rule, locked `FOR UPDATE` until the transaction ends, or undefined. */
export async function lockRule(tx: Db, ruleId: string): Promise<RuleRow | undefined> {
  const [row] = await tx.select().from(rules).where(eq(rules.id, ruleId)).for("update");
  return row;
}

/** Changes rule `ruleId`'s columns in `set`; returns the row as changed (undefined when there is no such rule). */
export async function updateRule(db: Db, ruleId: string, set: Partial<RuleRow>): Promise<RuleRow | undefined> {
  const [row] = await db.update(rules).set(set).where(eq(rules.id, ruleId)).returning();
  return row;
}

/** Deletes rule `ruleId` of the team; returns the deleted row, or undefined when the team has no such rule. */
export async function deleteTeamRule(db: Db, teamId: string, ruleId: string): Promise<RuleRow | undefined> {
  const [row] = await db
    .delete(rules)
    .where(and(eq(rules.id, ruleId), eq(rules.teamId, teamId)))
    .returning();
  return row;
}
