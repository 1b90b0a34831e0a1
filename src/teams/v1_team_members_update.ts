import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import type { Role } from "../db/schema.js";
import { resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { findUser } from "../users/queries.js";
import { RoleSchema } from "../users/schemas.js";
import { transact } from "../events/transact.js";
import { lockForOwnerChange } from "./access.js";
import { MemberPathSchema, MemberSchema, teamRef } from "./members.js";
import { setMemberRole } from "./queries.js";
import { apiRoute } from "../http/route.js";

/** Roles by what they may do: a change to a lower rank is a demotion. */
const RANK = { DEVELOPER: 0, MEMBER: 1, OWNER: 2 } as const satisfies Record<Role, number>;

export const UpdateMemberRequest = z.strictObject({ role: RoleSchema }).openapi("UpdateMemberRequest");
export const UpdateMemberResponse = z.object({ member: MemberSchema }).openapi("UpdateMemberResponse");
export type UpdateMemberResponse = z.infer<typeof UpdateMemberResponse>;

export const route = createRoute({
  operationId: "updateTeamMember",
  method: "patch",
  path: "/v1/teams/{teamId}/members/{userId}",
  tags: ["Teams"],
  summary: "Change a member's role",
  description:
    "OWNER only. Demoting the last OWNER is 409. Lowering a role (OWNER → MEMBER → DEVELOPER) ends every project OIDC token the member minted for this team, at once (authorize answers 401); their gateway keys are not changed.",
  security: bearerSecurity,
  request: { params: MemberPathSchema, headers: IdempotencyHeaderSchema, body: jsonBody(UpdateMemberRequest) },
  responses: { 200: json(UpdateMemberResponse, "The updated membership."), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
});

export const updateMemberRoute = apiRoute(route, async (c) => {
  const params = c.req.valid("param");
  const scope = await resolveTeamScope(c, teamRef(params.teamId), "owner");
  const { role } = c.req.valid("json");
  const deps = c.get("deps");
  const now = deps.clock.now();
  const member = await transact(deps, async (tx, publish) => {
    const { current, owners } = await lockForOwnerChange(tx, scope.team.id, scope.principal, params.userId);
    if (current.role === "OWNER" && role !== "OWNER" && owners <= 1) {
      throw conflict("A team needs at least one OWNER: promote another member first.");
    }
    // A demotion ends the OIDC tokens they minted: a new epoch, announced to every instance.
    const lowered = RANK[role] < RANK[current.role];
    await setMemberRole(tx, scope.team.id, params.userId, role, lowered);
    if (lowered) await publish({ t: "member", teamId: scope.team.id, userId: params.userId });
    await writeAudit(tx, {
      teamId: scope.team.id,
      actor: actorOf(scope.principal),
      action: "member.update",
      target: { type: "user", id: params.userId },
      data: { from: current.role, to: role, ...(lowered ? { oidcTokensEnded: true } : {}) },
      at: now,
    });
    const u = await findUser(tx, params.userId);
    return { userId: u!.id, email: u!.email, name: u!.name, role, createdAt: current.createdAt };
  });
  return c.json({ member }, 200);
});
