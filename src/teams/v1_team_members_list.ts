import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema } from "../http/schemas.js";
import { MemberSchema, TeamPathSchema, teamRef } from "./members.js";
import { listMembers } from "./queries.js";
import { apiRoute } from "../http/route.js";

export const ListMembersResponse = z.object({ members: z.array(MemberSchema), pagination: PaginationSchema }).openapi("ListMembersResponse");
export type ListMembersResponse = z.infer<typeof ListMembersResponse>;

export const route = createRoute({
  operationId: "listTeamMembers",
  method: "get",
  path: "/v1/teams/{teamId}/members",
  tags: ["Teams"],
  summary: "List members",
  description: "Any member may read. Ordered by user id (oldest user first).",
  security: bearerSecurity,
  request: { params: TeamPathSchema, query: PageQuerySchema },
  responses: { 200: json(ListMembersResponse, "A page of members."), ...errorResponses(400, 401, 403) },
});

export const listMembersRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, teamRef(c.req.valid("param").teamId), "read");
  const q = c.req.valid("query");
  const cursor = decodeCursor(q.until);
  const rows = await listMembers(c.get("deps").db, scope.team.id, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  return c.json({ members: page.map(({ id, ...m }) => ({ userId: id, ...m })), pagination }, 200);
});
