import { createRoute } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { requireUser } from "../http/auth.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { IdParamSchema } from "../http/schemas.js";
import { deleteToken } from "./queries.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "deleteAuthToken",
  method: "delete",
  path: "/v1/user/tokens/{id}",
  tags: ["User"],
  summary: "Revoke a personal access token",
  description: "The token stops working at once. Another user's token is 404, and so is, for a team-scoped token, a token not scoped to its team.",
  security: bearerSecurity,
  request: { params: IdParamSchema("tok", "tok_01jd7y2m3n4p5q6r7s8t9v0w1x") },
  responses: { 204: noContent("Revoked."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteTokenRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  const { id } = c.req.valid("param");
  const { db, clock } = c.get("deps");
  const deleted = await db.transaction(async (tx) => {
    const rows = await deleteToken(tx, id, p.user.id, p.token.teamId);
    if (rows.length === 0) return false;
    await writeAudit(tx, {
      teamId: rows[0]!.teamId,
      actor: { type: "user", id: p.user.id },
      action: "token.delete",
      target: { type: "token", id },
      at: clock.now(),
    });
    return true;
  });
  if (!deleted) throw notFound("Token");
  return c.body(null, 204);
});
