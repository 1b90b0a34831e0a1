import { createRoute } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { writeLockedKey } from "./access.js";
import { keyChanges, markKeyDeleted } from "./queries.js";
import { KeyIdParam } from "./v1_api_keys_get.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "deleteApiKey",
  method: "delete",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Delete a gateway API key",
  description:
    "OWNER or MEMBER. The key fails authorization on the very next request; a second DELETE is 404. The 204 carries `Content-Type: application/json` (as Vercel's API answers).",
  security: bearerSecurity,
  request: { params: KeyIdParam, query: TeamQuerySchema },
  responses: { 204: noContent("Deleted."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteApiKeyRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const deps = c.get("deps");
  const now = deps.clock.now();
  // On the locked key and membership: a removed member's in-flight delete lands before the
  // removal or is 404; a key rolled meanwhile has its current secret invalidated.
  await writeLockedKey(c, id, c.req.valid("query"), "write", { includeDeleted: false }, async (tx, publish, { key, principal }) => {
    await markKeyDeleted(tx, key.id, now);
    for (const change of keyChanges(key)) await publish(change);
    await writeAudit(tx, {
      teamId: key.teamId,
      actor: actorOf(principal),
      action: "api_key.delete",
      target: { type: "api_key", id },
      data: { name: key.name },
      at: now,
    });
  });
  return c.body(null, 204, { "content-type": "application/json" });
});
