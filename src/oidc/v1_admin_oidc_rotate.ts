import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import { requireAdmin } from "../http/auth.js";
import { ApiError, errorResponse, errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { transact } from "../events/transact.js";
import { rotateSigningKey, SigningUnavailableError } from "./keys.js";
import { apiRoute } from "../http/route.js";

export const RotateOidcKeyRequest = z
  .strictObject({
    reason: z.string().trim().min(1).max(200).optional().openapi({ description: "Why, for the audit log." }),
    revokePrevious: z.boolean().optional().openapi({
      description:
        "`true`: also revoke every older key (e.g. a key may have leaked): they leave the JWKS at once, and every token they signed stops authorizing at once, on every instance (401). Default `false`: older keys stay published until their tokens expire.",
    }),
  })
  .openapi("RotateOidcKeyRequest");

export const RotateOidcKeyResponse = z
  .object({
    kid: z.string().openapi({ description: "The new signing key's id." }),
    retiredKids: z.array(z.string()).openapi({ description: "Older keys still published until every token they signed has expired (none after `revokePrevious`)." }),
    revokedKids: z.array(z.string()).openapi({ description: "Keys revoked by this rotation (`revokePrevious`): their tokens no longer authorize. Empty otherwise." }),
  })
  .openapi("RotateOidcKeyResponse");

export const route = createRoute({
  operationId: "rotateOidcSigningKey",
  method: "post",
  path: "/v1/admin/oidc/rotate",
  tags: ["Admin", "OIDC"],
  summary: "Rotate the OIDC signing key (instance admin)",
  description:
    "Needs `TOLLGATE_ADMIN_TOKEN`. A new ES256 key signs every token from now on, on every instance; the previous key stays in `/.well-known/jwks.json` for 12 hours and 5 minutes (until every token it signed has expired), so rotation never breaks a live token. With `{\"revokePrevious\": true}` every older key is revoked instead: it leaves the JWKS at once and every token it signed stops authorizing at once on every instance (401; usage of requests admitted before still counts); use it when a key may have leaked or to end every token issued so far. Keys also rotate by themselves once older than `TOLLGATE_OIDC_KEY_MAX_AGE_DAYS` (default 30), never revoking. Body: `{}`, `{\"reason\": …}`, `{\"revokePrevious\": true}`. 503 `encryption_key_missing` without `TOLLGATE_ENCRYPTION_KEY` on Postgres.",
  security: bearerSecurity,
  request: { body: jsonBody(RotateOidcKeyRequest) },
  responses: {
    200: json(RotateOidcKeyResponse, "Rotated."),
    ...errorResponses(400, 401, 403, 413),
    503: errorResponse("This instance cannot sign: `TOLLGATE_ENCRYPTION_KEY` is not set (`encryption_key_missing`)."),
  },
});

export const rotateOidcKeyRoute = apiRoute(route, async (c) => {
  requireAdmin(c);
  const { reason, revokePrevious } = c.req.valid("json");
  const deps = c.get("deps");
  const { keyring, clock } = deps;
  const now = clock.now();
  try {
    const rotated = await transact(deps, async (tx, publish) => {
      const r = await rotateSigningKey(tx, keyring, now, { revokePrevious });
      if (r.revoked.length > 0) await publish({ t: "oidc_keys" }); // every instance's gateway cache refuses their tokens
      await writeAudit(tx, {
        teamId: null,
        actor: actorOf(c.get("principal")),
        action: "oidc_key.rotate",
        target: { type: "oidc_key", id: r.kid },
        data: { retiredKids: r.retired, ...(revokePrevious ? { revokedKids: r.revoked } : {}), ...(reason ? { reason } : {}) },
        at: now,
      });
      return r;
    });
    return c.json({ kid: rotated.kid, retiredKids: rotated.retired, revokedKids: rotated.revoked }, 200);
  } catch (err) {
    if (err instanceof SigningUnavailableError) throw new ApiError("encryption_key_missing", err.message);
    throw err;
  }
});
