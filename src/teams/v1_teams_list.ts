import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema } from "../http/schemas.js";
import { RoleSchema, TeamSchema } from "../users/schemas.js";
import { listUserTeams } from "./queries.js";
import { apiRoute } from "../http/route.js";

const TeamListItem = TeamSchema.extend({ role: RoleSchema }).openapi("TeamWithRole");
export const ListTeamsResponse = z.object({ teams: z.array(TeamListItem), pagination: PaginationSchema }).openapi("ListTeamsResponse");
export type ListTeamsResponse = z.infer<typeof ListTeamsResponse>;

export const route = createRoute({
  operationId: "listTeams",
  method: "get",
  path: "/v1/teams",
  tags: ["Teams"],
  summary: "List your teams",
  description: "Oldest first, with your role in each. A team-scoped token sees only its team.",
  security: bearerSecurity,
  request: { query: PageQuerySchema },
  responses: { 200: json(ListTeamsResponse, "A page of teams."), ...errorResponses(400, 401, 403) },
});

export const listTeamsRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  const q = c.req.valid("query");
  const cursor = decodeCursor(q.until);
  const rows = await listUserTeams(c.get("deps").db, p.user.id, p.token.teamId, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  return c.json({ teams: page, pagination }, 200);
});
