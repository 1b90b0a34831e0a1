import { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, memberships } from "../db/schema.js";
import { roleError } from "../http/auth.js";
import type { MemberPrincipal } from "../http/context.js";
import { notFound } from "../http/errors.js";
import { Millis } from "../http/schemas.js";
import { RoleSchema } from "../users/schemas.js";

export const TeamPathSchema = z.object({
  teamId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "teamId", in: "path" }, description: "The team's id (`team_…`) or slug.", example: "team_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
});

export const MemberPathSchema = TeamPathSchema.extend({
  userId: z.string().min(1).max(64).openapi({ param: { name: "userId", in: "path" }, example: "user_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
});

/** `{teamId}` in a path accepts the id or the slug. */
export const teamRef = (v: string) => (v.startsWith("team_") ? { teamId: v } : { slug: v });

export const MemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: RoleSchema,
    createdAt: Millis.openapi({ description: "When the user joined the team." }),
  })
  .openapi("TeamMember");

/**
 * Locks, in one statement and in user id order, the memberships a role change or removal reads:
 * the team's OWNERs, the target and the actor. Two OWNERs demoting or removing each other then
 * queue instead of deadlocking, and each sees the other's committed change (the actor may have
 * lost OWNER meanwhile). Returns the locked rows.
 */
export async function lockMemberships(tx: Db, teamId: string, userIds: string[]) {
  return tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), or(eq(memberships.role, "OWNER"), inArray(memberships.userId, userIds))))
    .orderBy(memberships.userId)
    .for("update");
}

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

/**
 * The user's membership, locked `FOR SHARE` until the transaction ends: a write that depends on
 * being a member (a key created by them) and their removal serialize, so a key is never created
 * after the removal that should have deactivated it.
 */
export async function lockOwnMembership(tx: Db, teamId: string, userId: string) {
  const [m] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))
    .for("share");
  return m;
}

/** Deactivates every live gateway key the user created in the team; returns their ids and digests. */
export async function deactivateKeysCreatedBy(db: Db, teamId: string, userId: string, now: number) {
  return db
    .update(apiKeys)
    .set({ deactivatedAt: now })
    .where(and(eq(apiKeys.teamId, teamId), eq(apiKeys.createdBy, userId), isNull(apiKeys.deactivatedAt), isNull(apiKeys.deletedAt)))
    .returning({ id: apiKeys.id, digest: apiKeys.digest });
}
