import type { Db } from "../db/client.js";
import { roleError } from "../http/auth.js";
import type { MemberPrincipal } from "../http/context.js";
import { notFound } from "../http/errors.js";
import { lockMemberships } from "./queries.js";

/** Team memberships as the HTTP routes need them: the caller's access, errors in the envelope. */

/**
 * The start of a role change or removal by `actor`: locks the memberships involved (see
 * `lockMemberships`), rechecks that a user actor is still an OWNER once the locks are held
 * (another OWNER may have demoted them meanwhile; a trusted external issuer's identity has its
 * role from configuration), and returns the target's membership (404 when none) and the number
 * of OWNERs.
 */
export async function lockForOwnerChange(tx: Db, teamId: string, actor: MemberPrincipal, targetUserId: string) {
  const locked = await lockMemberships(tx, teamId, actor.kind === "user" ? [targetUserId, actor.user.id] : [targetUserId]);
  if (actor.kind === "user") {
    const self = locked.find((m) => m.userId === actor.user.id);
    if (!self || self.role !== "OWNER") throw roleError(self?.role ?? "DEVELOPER", "owner");
  }
  const current = locked.find((m) => m.userId === targetUserId);
  if (!current) throw notFound("Member");
  return { current, owners: locked.filter((m) => m.role === "OWNER").length };
}
