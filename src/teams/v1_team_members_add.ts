import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { isUniqueViolation } from "../db/errors.js";
import { resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { transact } from "../events/transact.js";
import { addMember, findUserByEmail } from "../users/queries.js";
import { EmailSchema, RoleSchema } from "../users/schemas.js";
import { MemberSchema, TeamPathSchema, teamRef } from "./members.js";
import { apiRoute } from "../http/route.js";

export const AddMemberRequest = z.strictObject({ email: EmailSchema, role: RoleSchema }).openapi("AddMemberRequest");
export const AddMemberResponse = z.object({ member: MemberSchema }).openapi("AddMemberResponse");
export type AddMemberResponse = z.infer<typeof AddMemberResponse>;

export const route = createRoute({
  operationId: "addTeamMember",
  method: "post",
  path: "/v1/teams/{teamId}/members",
  tags: ["Teams"],
  summary: "Add a member",
  description:
    "OWNER only. The user must already exist (an instance admin creates users with `POST /v1/admin/users`); an unknown email is 404. 409 when already a member.",
  security: bearerSecurity,
  request: { params: TeamPathSchema, headers: IdempotencyHeaderSchema, body: jsonBody(AddMemberRequest) },
  responses: { 201: json(AddMemberResponse, "The new membership."), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
});

export const addMemberRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, teamRef(c.req.valid("param").teamId), "owner");
  const body = c.req.valid("json");
  const deps = c.get("deps");
  const { db } = deps;
  const now = deps.clock.now();
  const user = await findUserByEmail(db, body.email);
  if (!user) throw notFound(`User with email ${body.email}`);
  try {
    await transact(deps, async (tx, publish) => {
      await addMember(tx, { teamId: scope.team.id, userId: user.id, role: body.role, now });
      // Every instance forgets the "not a member" it may hold from an earlier removal.
      await publish({ t: "member", teamId: scope.team.id, userId: user.id });
      await writeAudit(tx, {
        teamId: scope.team.id,
        actor: actorOf(scope.principal),
        action: "member.add",
        target: { type: "user", id: user.id },
        data: { role: body.role },
        at: now,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`${body.email} is already a member of this team.`);
    throw err;
  }
  return c.json({ member: { userId: user.id, email: user.email, name: user.name, role: body.role, createdAt: now } }, 201);
});
