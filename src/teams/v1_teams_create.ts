import { createRoute, z } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { isUniqueViolation } from "../db/errors.js";
import { requireUser } from "../http/auth.js";
import { conflict, errorResponses, forbidden } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { createTeamWithOwner } from "../users/queries.js";
import { TeamSchema, toTeam } from "../users/schemas.js";
import { apiRoute } from "../http/route.js";

export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, "must be 1-48 lowercase letters, digits or dashes, starting with a letter or digit")
  .openapi({ example: "acme" });

export const CreateTeamRequest = z.strictObject({ slug: SlugSchema, name: z.string().trim().min(1).max(128) }).openapi("CreateTeamRequest");
export const CreateTeamResponse = z.object({ team: TeamSchema }).openapi("CreateTeamResponse");
export type CreateTeamResponse = z.infer<typeof CreateTeamResponse>;

export const route = createRoute({
  operationId: "createTeam",
  method: "post",
  path: "/v1/teams",
  tags: ["Teams"],
  summary: "Create a team",
  description: "The caller becomes its OWNER. 409 when the slug is taken. A team-scoped token cannot create teams (403).",
  security: bearerSecurity,
  request: { headers: IdempotencyHeaderSchema, body: jsonBody(CreateTeamRequest) },
  responses: { 201: json(CreateTeamResponse, "The new team."), ...errorResponses(400, 401, 403, 409, 413, 422) },
});

export const createTeamRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  if (p.token.teamId) throw forbidden("A team-scoped token cannot create teams.");
  const body = c.req.valid("json");
  const { db, clock } = c.get("deps");
  const now = clock.now();
  try {
    const team = await db.transaction(async (tx) => {
      const team = await createTeamWithOwner(tx, { slug: body.slug, name: body.name, ownerId: p.user.id, now });
      await writeAudit(tx, {
        teamId: team.id,
        actor: { type: "user", id: p.user.id },
        action: "team.create",
        target: { type: "team", id: team.id },
        data: { slug: team.slug },
        at: now,
      });
      return team;
    });
    return c.json({ team: toTeam(team) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The slug '${body.slug}' is taken.`);
    throw err;
  }
});
