import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { findUser, listUserTeamRoles } from "./queries.js";
import { TeamWithRoleSchema, toUser, UserSchema } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const GetUserResponse = z.object({ user: UserSchema, teams: z.array(TeamWithRoleSchema) }).openapi("GetUserResponse");
export type GetUserResponse = z.infer<typeof GetUserResponse>;

export const route = createRoute({
  operationId: "getUser",
  method: "get",
  path: "/v1/user",
  tags: ["User"],
  summary: "The authenticated user and their teams",
  description: "With a team-scoped token, `teams` lists only that team.",
  security: bearerSecurity,
  responses: { 200: json(GetUserResponse, "The user and the teams it belongs to, with its role in each."), ...errorResponses(401, 403) },
});

export const getUserRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  const { db } = c.get("deps");
  const user = await findUser(db, p.user.id);
  const rows = await listUserTeamRoles(db, p.user.id, p.token.teamId);
  return c.json({ user: toUser(user!), teams: rows }, 200);
});
