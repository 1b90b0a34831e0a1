import { createRoute } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { transact } from "../events/transact.js";
import { lockForOwnerChange } from "./access.js";
import { MemberPathSchema, teamRef } from "./members.js";
import { deactivateKeysCreatedBy, deleteMembership } from "./queries.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "removeTeamMember",
  method: "delete",
  path: "/v1/teams/{teamId}/members/{userId}",
  tags: ["Teams"],
  summary: "Remove a member",
  description:
    "OWNER only. Every gateway key the member created in this team is deactivated in the same transaction (status `deactivated`; authorize refuses it), and every project OIDC token they minted for this team stops authorizing at once (401). Removing the last OWNER is 409.",
  security: bearerSecurity,
  request: { params: MemberPathSchema },
  responses: { 204: noContent("Removed; their keys are deactivated."), ...errorResponses(400, 401, 403, 404, 409) },
});

export const removeMemberRoute = apiRoute(route, async (c) => {
  const params = c.req.valid("param");
  const scope = await resolveTeamScope(c, teamRef(params.teamId), "owner");
  const deps = c.get("deps");
  const now = deps.clock.now();
  await transact(deps, async (tx, publish) => {
    const { current, owners } = await lockForOwnerChange(tx, scope.team.id, scope.principal, params.userId);
    if (current.role === "OWNER" && owners <= 1) {
      throw conflict("A team needs at least one OWNER: it cannot remove its last one.");
    }
    await deleteMembership(tx, scope.team.id, params.userId);
    await publish({ t: "member", teamId: scope.team.id, userId: params.userId }); // the OIDC tokens they minted stop authorizing
    const deactivated = await deactivateKeysCreatedBy(tx, scope.team.id, params.userId, now);
    for (const k of deactivated) await publish({ t: "key", digest: k.digest });
    await writeAudit(tx, {
      teamId: scope.team.id,
      actor: actorOf(scope.principal),
      action: "member.remove",
      target: { type: "user", id: params.userId },
      data: { role: current.role, deactivatedKeyIds: deactivated.map((k) => k.id) },
      at: now,
    });
  });
  return c.body(null, 204);
});
