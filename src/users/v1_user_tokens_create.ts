import { createRoute, z } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { requireUser } from "../http/auth.js";
import { badRequest, errorResponses, forbidden } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { createToken, findMembership } from "./queries.js";
import { toToken, TokenSchema } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const CreateTokenRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(128),
    expiresAt: z.number().int().positive().optional().openapi({ description: "Expiry in ms since the epoch; must be in the future." }),
    teamId: z.string().min(1).max(64).optional().openapi({ description: "Scope the token to one team you belong to." }),
  })
  .openapi("CreateTokenRequest");

export const CreateTokenResponse = z
  .object({
    token: TokenSchema,
    bearerToken: z.string().openapi({ description: "The secret (`tgp_…`). Shown only here; stored hashed." }),
  })
  .openapi("CreateTokenResponse");
export type CreateTokenResponse = z.infer<typeof CreateTokenResponse>;

export const route = createRoute({
  operationId: "createAuthToken",
  method: "post",
  path: "/v1/user/tokens",
  tags: ["User"],
  summary: "Create a personal access token",
  description:
    "A team-scoped token can only create tokens scoped to its own team. `teamId` must be a team you belong to (403 otherwise). A token with an expiry cannot create one that expires later (403); without `expiresAt`, the new token expires when the token creating it does.",
  security: bearerSecurity,
  request: { headers: IdempotencyHeaderSchema, body: jsonBody(CreateTokenRequest) },
  responses: { 201: json(CreateTokenResponse, "The token and its secret."), ...errorResponses(400, 401, 403, 413, 422) },
});

export const createTokenRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  const body = c.req.valid("json");
  const { db, clock } = c.get("deps");
  const now = clock.now();
  if (body.expiresAt !== undefined && body.expiresAt <= now) {
    throw badRequest("expiresAt must be in the future.", [{ path: "expiresAt", message: "must be in the future" }]);
  }
  const teamId = body.teamId ?? p.token.teamId;
  if (p.token.teamId && teamId !== p.token.teamId) throw forbidden("A team-scoped token can only create tokens for its own team.");
  // A token never mints one that outlives it: by default the new one expires with it.
  const expiresAt = body.expiresAt ?? p.token.expiresAt;
  if (p.token.expiresAt !== null && expiresAt !== null && expiresAt > p.token.expiresAt) {
    throw forbidden("A token that expires cannot create a token that expires later than itself.");
  }
  if (teamId) {
    const m = await findMembership(db, teamId, p.user.id);
    if (!m) throw forbidden("You are not a member of this team.");
  }
  const result = await db.transaction(async (tx) => {
    const created = await createToken(tx, { userId: p.user.id, name: body.name, teamId: teamId ?? null, expiresAt: expiresAt ?? null, now });
    await writeAudit(tx, {
      teamId: teamId ?? null,
      actor: { type: "user", id: p.user.id },
      action: "token.create",
      target: { type: "token", id: created.token.id },
      data: { name: body.name },
      at: now,
    });
    return { token: toToken(created.token), bearerToken: created.bearerToken };
  });
  return c.json(result, 201);
});
