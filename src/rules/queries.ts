import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rules } from "../db/schema.js";
import { ApiError } from "../http/errors.js";
import { compileRules, type CompiledRules, type RuleChainInvalidError } from "./resolve.js";

/** The team's enabled rules, compiled for resolution. */
export async function loadTeamRules(db: Db, teamId: string): Promise<CompiledRules> {
  const rows = await db
    .select()
    .from(rules)
    .where(and(eq(rules.teamId, teamId), eq(rules.enabled, true)))
    .orderBy(asc(rules.id));
  return compileRules(
    rows.map((r) => ({ ruleId: r.id, type: r.type, matchModel: r.matchModel, rewriteModel: r.rewriteModel, reason: r.reason, enabled: r.enabled })),
  );
}

export function ruleChainError(err: RuleChainInvalidError): ApiError {
  return new ApiError(400, "rule_chain_invalid", `Routing rules form ${err.kind === "cycle" ? "a cycle" : "a chain of more than 10 rewrites"}: ${err.chain.join(" -> ")}.`, {
    chain: err.chain,
  });
}
