/** Rule changes shared by the Vercel-style (`?ruleId=`, body `ruleId`) and REST-style (`/{ruleId}`) routes. */
import { transact } from "../events/transact.js";
import type { Context } from "hono";
import { actorOf, writeAudit } from "../audit/write.js";
import { creatorId, requireMember } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { badRequest, notFound } from "../http/errors.js";
import { guardedRuleWrite, loadRuleForCaller, rethrowEnabledConflict } from "./access.js";
import { deleteTeamRule, lockRule, updateRule } from "./queries.js";
import type { RuleActionInput, RulePatch, RuleRow, RuleType } from "./schemas.js";

type TeamRef = { teamId?: string | undefined; slug?: string | undefined };

/**
 * A rule's action checked against its type: a rewrite needs `rewriteModel`, a deny must not have
 * one. Fields left out become null (an action is always replaced as a whole).
 */
export function checkAction(type: RuleType, action: RuleActionInput | undefined): { rewriteModel: string | null; reason: string | null } {
  const rewriteModel = action?.rewriteModel ?? null;
  if (type === "rewrite" && rewriteModel === null) {
    throw badRequest("A rewrite rule needs action.rewriteModel.", [{ path: "action.rewriteModel", message: "required for a rewrite rule" }]);
  }
  if (type === "deny" && rewriteModel !== null) {
    throw badRequest("A deny rule cannot have action.rewriteModel.", [{ path: "action.rewriteModel", message: "must not be set for a deny rule" }]);
  }
  return { rewriteModel, reason: action?.reason ?? null };
}

const actionOf = (r: RuleRow) => ({ rewriteModel: r.rewriteModel, reason: r.reason });

export async function updateRuleForCaller(c: Context<AppEnv>, ruleId: string, q: TeamRef, patch: RulePatch): Promise<RuleRow> {
  if (patch.enabled === undefined && patch.description === undefined && patch.action === undefined) {
    throw badRequest("Nothing to update: pass enabled, description or action.", [
      { path: "", message: "pass at least one of enabled, description, action" },
    ]);
  }
  const found = await loadRuleForCaller(c, ruleId, q, "write");
  const action = patch.action === undefined ? undefined : checkAction(found.type, patch.action);
  const principal = requireMember(c);
  const userId = creatorId(principal);
  const deps = c.get("deps");
  const { db, clock } = deps;
  const now = clock.now();
  // Only a change that can add a mapping is chain-checked; disabling or describing never is.
  const check = action !== undefined || patch.enabled === true;
  try {
    return await transact(deps, (tx, publish) =>
      guardedRuleWrite(tx, found.teamId, publish, async () => {
        const current = await lockRule(tx, ruleId);
        if (!current) throw notFound("Rule");
        const set: Partial<RuleRow> = { updatedBy: userId, updatedAt: now };
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (patch.enabled !== undefined) {
          set.enabled = patch.enabled;
          changes.enabled = { from: current.enabled, to: patch.enabled };
        }
        if (patch.description !== undefined) {
          set.description = patch.description;
          changes.description = { from: current.description, to: patch.description };
        }
        if (action) {
          Object.assign(set, action);
          changes.action = { from: actionOf(current), to: action };
        }
        const updated = await updateRule(tx, ruleId, set);
        await writeAudit(tx, {
          teamId: current.teamId,
          actor: actorOf(principal),
          action: "rule.update",
          target: { type: "rule", id: ruleId },
          data: { matchModel: current.matchModel, changes },
          at: now,
        });
        return updated!;
      }, { check }),
    );
  } catch (err) {
    return rethrowEnabledConflict(db, err, found.teamId, found.matchModel);
  }
}

export async function deleteRuleForCaller(c: Context<AppEnv>, ruleId: string, q: TeamRef): Promise<void> {
  const found = await loadRuleForCaller(c, ruleId, q, "write");
  const principal = requireMember(c);
  const deps = c.get("deps");
  const now = deps.clock.now();
  await transact(deps, (tx, publish) =>
    guardedRuleWrite(tx, found.teamId, publish, async () => {
      const deleted = await deleteTeamRule(tx, found.teamId, ruleId);
      if (!deleted) throw notFound("Rule");
      await writeAudit(tx, {
        teamId: deleted.teamId,
        actor: actorOf(principal),
        action: "rule.delete",
        target: { type: "rule", id: ruleId },
        data: { type: deleted.type, matchModel: deleted.matchModel, action: actionOf(deleted), enabled: deleted.enabled },
        at: now,
      });
    }, { check: false }),
  );
}
