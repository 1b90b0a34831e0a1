import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit, type Actor } from "../audit/write.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import { requireAdmin } from "../http/auth.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { EmailSchema, toUser, UserSchema } from "../users/schemas.js";
import { createToken, createUser } from "../users/queries.js";
import { apiRoute } from "../http/route.js";

export const CreateUserRequest = z
  .strictObject({
    email: EmailSchema,
    name: z.string().trim().min(1).max(128).optional(),
  })
  .openapi("CreateUserRequest");

export const CreateUserResponse = z
  .object({
    user: UserSchema,
    bearerToken: z.string().openapi({ description: "A personal access token (`tgp_…`) for the new user. Shown only here." }),
  })
  .openapi("CreateUserResponse");

export const route = createRoute({
  operationId: "createUser",
  method: "post",
  path: "/v1/admin/users",
  tags: ["Admin"],
  summary: "Create a user (instance admin)",
  description: "Needs `TOLLGATE_ADMIN_TOKEN`. Creates a user and a first personal access token, returned once. 409 when the email is taken.",
  security: bearerSecurity,
  request: { headers: IdempotencyHeaderSchema, body: jsonBody(CreateUserRequest) },
  responses: {
    201: json(CreateUserResponse, "The user and its first token."),
    ...errorResponses(400, 401, 403, 409, 413, 422),
  },
});

export type CreateUserResponse = z.infer<typeof CreateUserResponse>;

export const adminCreateUserRoute = apiRoute(route, async (c) => {
  requireAdmin(c);
  const body = c.req.valid("json");
  const { db, clock } = c.get("deps");
  return c.json(await createUserWithToken(db, { email: body.email, name: body.name ?? null, actor: actorOf(c.get("principal")), now: clock.now() }), 201);
});

/**
 * Creates a user and its first personal access token in one transaction, with the audit event.
 * Shared by this route and the server-side `tollgate admin create-user`. 409 when the email is taken.
 */
export async function createUserWithToken(
  db: Db,
  input: { email: string; name: string | null; actor: Actor; now: number },
): Promise<CreateUserResponse> {
  try {
    return await db.transaction(async (tx) => {
      const user = await createUser(tx, { email: input.email, name: input.name, now: input.now });
      const { bearerToken } = await createToken(tx, { userId: user.id, name: "default", teamId: null, expiresAt: null, now: input.now });
      await writeAudit(tx, {
        teamId: null,
        actor: input.actor,
        action: "user.create",
        target: { type: "user", id: user.id },
        data: { email: user.email },
        at: input.now,
      });
      return { user: toUser(user), bearerToken };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user with email ${input.email} already exists.`);
    throw err;
  }
}
