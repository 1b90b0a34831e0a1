import type { Context } from "hono";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { requireMember, roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { ApiError, notFound } from "../http/errors.js";
import type { Publish } from "../events/transact.js";
import { findChainError } from "./chain-check.js";
import { findEnabledRuleFor, findRule, loadTeamRules, lockTeamForRuleWrite, RULES_ENABLED_UNIQUE } from "./queries.js";
import { MAX_REWRITE_HOPS, RuleChainInvalidError } from "./resolve.js";
import type { RuleRow } from "./schemas.js";

/** Rules as the HTTP routes need them: the caller's access, errors in the envelope, guarded writes. */

function chainText(err: RuleChainInvalidError): string {
  const chain = err.chain.join(" -> ");
  return err.kind === "cycle"
    ? `routing rules form a rewrite cycle: ${chain}. Change or disable one of the rules on it.`
    : `routing rules chain more than ${MAX_REWRITE_HOPS} rewrites: ${chain}. Rewrite closer to the final model to shorten the chain.`;
}

/**
 * 400 `rule_chain_invalid` for a resolution that failed, naming the chain of models, with the
 * machine-readable `kind` (`cycle`|`too_many_hops`) and `chain` (requested model first).
 */
export function ruleChainError(err: RuleChainInvalidError): ApiError {
  const text = chainText(err);
  return new ApiError("rule_chain_invalid", text[0]!.toUpperCase() + text.slice(1), { kind: err.kind, chain: [...err.chain] });
}

/** The same error for a write refused because it would break the team's rules. */
export function ruleChainWriteError(err: RuleChainInvalidError): ApiError {
  return new ApiError("rule_chain_invalid", `This change would break the team's enabled rules: ${chainText(err)}`, {
    kind: err.kind,
    chain: [...err.chain],
  });
}

/**
 * Loads a rule addressed by id for the caller: 404 when it does not exist, belongs to a team the
 * caller cannot see, or to another team than `?teamId=`/`?slug=`; 403 when the role is too weak.
 */
export async function loadRuleForCaller(
  c: Context<AppEnv>,
  ruleId: string,
  q: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<RuleRow> {
  requireMember(c);
  const row = await findRule(c.get("deps").db, ruleId);
  const named = row && (!q.teamId || q.teamId === row.rule.teamId) && (!q.slug || q.slug === row.teamSlug);
  const role = named ? await roleInTeam(c, row.rule.teamId) : null;
  if (!row || !role) throw notFound("Rule");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return row.rule;
}

/**
 * Runs one rule mutation of a team inside `tx`: locks the team's row (rule writes of a team are
 * serialized, so the chain check below sees every committed rule), then, when `check` is set,
 * refuses the change with 400 `rule_chain_invalid` if it turns a valid set of enabled rules into
 * one where some model cannot be resolved. A set that was already invalid (e.g. written directly
 * into the database) does not block changes, so it can be repaired through the API. Removals
 * (delete, disable) are never refused: a broken chain they expose is reported by resolve and
 * authorize. Publishes the change so every instance reloads the team's rules.
 */
export async function guardedRuleWrite<T>(
  tx: Db,
  teamId: string,
  publish: Publish,
  mutate: () => Promise<T>,
  opts: { check: boolean } = { check: true },
): Promise<T> {
  // NO KEY UPDATE: serializes rule writes of the team without blocking other tables' foreign-key
  // checks against the team row (those take KEY SHARE).
  await lockTeamForRuleWrite(tx, teamId);
  const before = opts.check ? findChainError(await loadTeamRules(tx, teamId)) : null;
  const result = await mutate();
  if (opts.check) {
    const after = findChainError(await loadTeamRules(tx, teamId));
    if (after && !before) throw ruleChainWriteError(after);
  }
  await publish({ t: "rules", teamId });
  return result;
}

/**
 * Maps the partial unique index on (team, match_model) WHERE enabled to 409, naming the enabled
 * rule that holds the pattern. Anything else is rethrown.
 */
export async function rethrowEnabledConflict(db: Db, err: unknown, teamId: string, matchModel: string): Promise<never> {
  if (!isUniqueViolation(err, RULES_ENABLED_UNIQUE)) throw err;
  const holder = await findEnabledRuleFor(db, teamId, matchModel);
  throw new ApiError(
    "conflict",
    `An enabled rule${holder ? ` (${holder.id})` : ""} already matches '${matchModel}': disable or delete it first.`,
    holder ? { conflictingRuleId: holder.id } : {},
  );
}
