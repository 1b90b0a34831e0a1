import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { requireAdmin } from "../http/auth.js";
import type { App } from "../http/context.js";
import { ApiError, errorResponse, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { rotateSigningKey, SigningUnavailableError } from "./keys.js";

export const RotateOidcKeyRequest = z
  .strictObject({
    reason: z.string().trim().min(1).max(200).optional().openapi({ description: "Why, for the audit log." }),
  })
  .openapi("RotateOidcKeyRequest");

export const RotateOidcKeyResponse = z
  .object({
    kid: z.string().openapi({ description: "The new signing key's id." }),
    retiredKids: z.array(z.string()).openapi({ description: "Older keys still published until every token they signed has expired." }),
  })
  .openapi("RotateOidcKeyResponse");

export const route = createRoute({
  operationId: "rotateOidcSigningKey",
  method: "post",
  path: "/v1/admin/oidc/rotate",
  tags: ["Admin", "OIDC"],
  summary: "Rotate the OIDC signing key (instance admin)",
  description:
    "Needs `TOLLGATE_ADMIN_TOKEN`. A new ES256 key signs every token from now on, on every instance; the previous key stays in `/.well-known/jwks.json` for 12 hours and 5 minutes (until every token it signed has expired), so rotation never breaks a live token. Keys also rotate by themselves once older than `TOLLGATE_OIDC_KEY_MAX_AGE_DAYS` (default 30). Body: `{}` or `{\"reason\": …}`. 503 `encryption_key_missing` without `TOLLGATE_ENCRYPTION_KEY` on Postgres.",
  security: bearerSecurity,
  request: { body: jsonBody(RotateOidcKeyRequest) },
  responses: {
    200: json(RotateOidcKeyResponse, "Rotated."),
    ...errorResponses(400, 401, 403, 413),
    503: errorResponse("This instance cannot sign: `TOLLGATE_ENCRYPTION_KEY` is not set (`encryption_key_missing`)."),
  },
});

export const registerRotateOidcKey = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(c);
    const { reason } = c.req.valid("json");
    const { db, keyring, clock } = c.get("deps");
    const now = clock.now();
    try {
      const rotated = await db.transaction(async (tx) => {
        const r = await rotateSigningKey(tx, keyring, now);
        await writeAudit(tx, {
          teamId: null,
          actor: actorOf(c.get("principal")),
          action: "oidc_key.rotate",
          target: { type: "oidc_key", id: r.kid },
          data: { retiredKids: r.retired, ...(reason ? { reason } : {}) },
          at: now,
        });
        return r;
      });
      return c.json({ kid: rotated.kid, retiredKids: rotated.retired }, 200);
    } catch (err) {
      if (err instanceof SigningUnavailableError) throw new ApiError(503, "encryption_key_missing", err.message);
      throw err;
    }
  });
