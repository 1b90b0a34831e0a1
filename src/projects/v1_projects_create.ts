import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { isUniqueViolation } from "../db/errors.js";
import { creatorId, resolveTeamScope } from "../http/auth.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema, TeamQuerySchema } from "../http/schemas.js";
import { newId } from "../lib/ids.js";
import { insertProject } from "./queries.js";
import { ProjectSchema, toProject } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CreateProjectRequest = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "must be 1-100 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"),
  })
  .openapi("CreateProjectRequest");
export const CreateProjectResponse = z.object({ project: ProjectSchema }).openapi("CreateProjectResponse");
export type CreateProjectResponse = z.infer<typeof CreateProjectResponse>;

export const route = createRoute({
  operationId: "createProject",
  method: "post",
  path: "/v1/projects",
  tags: ["Projects"],
  summary: "Create a project",
  description: "OWNER or MEMBER. Names are unique within a team (409).",
  security: bearerSecurity,
  request: { query: TeamQuerySchema, headers: IdempotencyHeaderSchema, body: jsonBody(CreateProjectRequest) },
  responses: { 201: json(CreateProjectResponse, "The new project."), ...errorResponses(400, 401, 403, 409, 413, 422) },
});

export const createProjectRoute = apiRoute(route, async (c) => {
  const scope = await resolveTeamScope(c, c.req.valid("query"), "write");
  const { name } = c.req.valid("json");
  const { db, clock } = c.get("deps");
  const now = clock.now();
  try {
    const project = await db.transaction(async (tx) => {
      const project = await insertProject(tx, { id: newId("project"), teamId: scope.team.id, name, createdAt: now, createdBy: creatorId(scope.principal) });
      await writeAudit(tx, {
        teamId: scope.team.id,
        actor: actorOf(scope.principal),
        action: "project.create",
        target: { type: "project", id: project.id },
        data: { name },
        at: now,
      });
      return project;
    });
    return c.json({ project: toProject(project) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A project named '${name}' already exists in this team.`);
    throw err;
  }
});
