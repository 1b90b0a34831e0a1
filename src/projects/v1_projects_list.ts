import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema, TeamQuerySchema } from "../http/schemas.js";
import { listProjects } from "./queries.js";
import { ProjectSchema, toProject } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ListProjectsResponse = z.object({ projects: z.array(ProjectSchema), pagination: PaginationSchema }).openapi("ListProjectsResponse");
export type ListProjectsResponse = z.infer<typeof ListProjectsResponse>;

export const route = createRoute({
  operationId: "listProjects",
  method: "get",
  path: "/v1/projects",
  tags: ["Projects"],
  summary: "List projects",
  description: "Newest first.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema.extend(PageQuerySchema.shape) },
  responses: { 200: json(ListProjectsResponse, "A page of projects."), ...errorResponses(400, 401, 403) },
});

export const listProjectsRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const cursor = decodeCursor(q.until);
  const rows = await listProjects(c.get("deps").db, scope.team.id, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  return c.json({ projects: page.map(toProject), pagination }, 200);
});
