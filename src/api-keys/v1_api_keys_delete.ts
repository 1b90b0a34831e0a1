import { createRoute } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { actorOf, writeAudit } from "../audit/write.js";
import { apiKeys } from "../db/schema.js";
import { requireMember } from "../http/auth.js";
import type { App } from "../http/context.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { transact } from "../events/transact.js";
import { loadKeyForCaller } from "./access.js";
import { keyChanges } from "./queries.js";
import { KeyIdParam } from "./v1_api_keys_get.js";

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

export const registerDeleteApiKey = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const key = await loadKeyForCaller(c, id, c.req.valid("query"), "write");
    const deps = c.get("deps");
    const now = deps.clock.now();
    const deleted = await transact(deps, async (tx, publish) => {
      const rows = await tx
        .update(apiKeys)
        .set({ deletedAt: now })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.deletedAt)))
        .returning({ id: apiKeys.id });
      if (rows.length === 0) return false;
      for (const change of keyChanges(key)) await publish(change);
      await writeAudit(tx, {
        teamId: key.teamId,
        actor: actorOf(requireMember(c)),
        action: "api_key.delete",
        target: { type: "api_key", id },
        data: { name: key.name },
        at: now,
      });
      return true;
    });
    if (!deleted) throw notFound("API key");
    return c.body(null, 204, { "content-type": "application/json" });
  });
