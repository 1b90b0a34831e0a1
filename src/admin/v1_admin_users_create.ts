import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { isUniqueViolation } from "../db/errors.js";
import { requireAdmin } from "../http/auth.js";
import type { App } from "../http/context.js";
import { conflict, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdempotencyHeaderSchema } from "../http/schemas.js";
import { EmailSchema, toUser, UserSchema } from "../users/schemas.js";
import { createToken, createUser } from "../users/queries.js";

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

export const registerAdminCreateUser = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(c);
    const body = c.req.valid("json");
    const { db, clock } = c.get("deps");
    const now = clock.now();
    try {
      const result = await db.transaction(async (tx) => {
        const user = await createUser(tx, { email: body.email, name: body.name ?? null, now });
        const { bearerToken } = await createToken(tx, { userId: user.id, name: "default", teamId: null, expiresAt: null, now });
        await writeAudit(tx, {
          teamId: null,
          actor: actorOf(c.get("principal")),
          action: "user.create",
          target: { type: "user", id: user.id },
          data: { email: user.email },
          at: now,
        });
        return { user: toUser(user), bearerToken };
      });
      return c.json(result, 201);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`A user with email ${body.email} already exists.`);
      throw err;
    }
  });
