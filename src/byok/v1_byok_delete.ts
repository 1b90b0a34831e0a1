import { createRoute } from "@hono/zod-openapi";
import { writeAudit } from "../audit/write.js";
import { transact } from "../events/transact.js";
import { requireUser } from "../http/auth.js";
import { errorResponses, notFound } from "../http/errors.js";
import { bearerSecurity, noContent } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { loadCredentialForCaller } from "./access.js";
import { deleteCredential, lockTeam, placeAt } from "./queries.js";
import { CredentialIdParam } from "./v1_byok_get.js";
import { apiRoute } from "../http/route.js";

export const route = createRoute({
  operationId: "deleteByokCredential",
  method: "delete",
  path: "/v1/ai-gateway/byok/{id}",
  tags: ["BYOK"],
  summary: "Delete a provider credential (BYOK)",
  description:
    "OWNER or MEMBER. The encrypted secret is deleted with the row; authorize stops returning it on every instance within 100 ms. " +
    "The provider's other credentials close the gap in the order. A second delete is 404. Writes an audit event `byok.delete`. Works without `TOLLGATE_ENCRYPTION_KEY`.",
  security: bearerSecurity,
  request: { params: CredentialIdParam, query: TeamQuerySchema },
  responses: { 204: noContent("Deleted."), ...errorResponses(400, 401, 403, 404) },
});

export const deleteCredentialRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const found = await loadCredentialForCaller(c, id, c.req.valid("query"), "write");
  const userId = requireUser(c).user.id;
  const deps = c.get("deps");
  const now = deps.clock.now();
  await transact(deps, async (tx, publish) => {
    await lockTeam(tx, found.teamId);
    const deleted = await deleteCredential(tx, found.teamId, id);
    if (!deleted) throw notFound("Credential");
    await placeAt(tx, deleted.teamId, deleted.provider, id, undefined);
    await writeAudit(tx, {
      teamId: deleted.teamId,
      actor: { type: "user", id: userId },
      action: "byok.delete",
      target: { type: "byok_credential", id },
      data: { provider: deleted.provider, name: deleted.name, hint: deleted.hint, enabled: deleted.enabled },
      at: now,
    });
    await publish({ t: "byok", teamId: deleted.teamId });
  });
  return c.body(null, 204);
});
