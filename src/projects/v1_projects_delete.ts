import { createRoute } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { transact } from "../events/transact.js";
import { requireMember, roleAllows, roleError, roleInTeam } from "../http/auth.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { IdParamSchema, TeamQuerySchema } from "../http/schemas.js";
import { apiRoute } from "../http/route.js";
import { deleteProject, findProject } from "./queries.js";

export const route = createRoute({
  operationId: "deleteProject",
  method: "delete",
  path: "/v1/projects/{id}",
  tags: ["Projects"],
  summary: "Delete a project",
  description:
    "OWNER or MEMBER. Keys scoped to the project keep working, with `projectId` null; the project's OIDC tokens stop authorizing (401). Another team's project is 404.",
  security: bearerSecurity,
  request: { params: IdParamSchema("prj", "prj_01jd7y2m3n4p5q6r7s8t9v0w1x"), query: TeamQuerySchema },
  responses: { 204: noContent("Deleted."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteProjectRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const deps = c.get("deps");
  const { db, clock } = deps;
  const project = await findProject(db, id);
  const role = project ? await roleInTeam(c, project.teamId, q) : null;
  if (!project || !role) throw notFound("Project");
  if (!roleAllows(role, "write")) throw roleError(role, "write");
  const deleted = await transact(deps, async (tx, publish) => {
    // Its keys keep working without a project: every instance forgets their cached rows and
    // budget subjects, so the project's budget is no longer charged or enforced.
    const { detachedKeys: keys, deleted } = await deleteProject(tx, project.teamId, id);
    if (!deleted) return false;
    for (const k of keys) await publish({ t: "key", digest: k.digest, keyId: k.id });
    await publish({ t: "project", projectId: id }); // its OIDC tokens stop authorizing
    await writeAudit(tx, {
      teamId: project.teamId,
      actor: actorOf(requireMember(c)),
      action: "project.delete",
      target: { type: "project", id },
      data: { name: project.name },
      at: clock.now(),
    });
    return true;
  });
  if (!deleted) throw notFound("Project");
  return c.body(null, 204);
});
