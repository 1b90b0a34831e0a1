import { createRoute, z } from "@hono/zod-openapi";
import { errorResponse } from "../http/errors.js";
import { json } from "../http/openapi.js";
import { ensureSigningKey, OIDC_ALG, publishedJwks } from "./keys.js";
import { apiRoute } from "../http/route.js";

export const JwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).openapi({ description: "Public JWKs (`kty`, `crv`, `x`, `y`, `kid`, `alg`, `use`), newest first." }) })
  .openapi("Jwks");

export const OpenIdConfigurationSchema = z
  .object({
    issuer: z.string(),
    jwks_uri: z.string(),
    response_types_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string()),
    claims_supported: z.array(z.string()),
  })
  .openapi("OpenIdConfiguration");

/** Keys change only on rotation; a relying party meeting an unknown `kid` refetches anyway. */
const JWKS_CACHE = "public, max-age=300, stale-while-revalidate=60";
const DISCOVERY_CACHE = "public, max-age=3600";

export const jwksRoute = createRoute({
  operationId: "getJwks",
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["OIDC"],
  summary: "This issuer's public keys",
  description:
    "No authentication. The keys that verify the project tokens this instance issues: the signing key, and retired keys until every token they signed has expired. `Cache-Control: public, max-age=300`.",
  security: [],
  responses: { 200: json(JwksSchema, "The JSON Web Key Set."), 405: errorResponse("Only GET (`method_not_allowed`).") },
});

export const discoveryRoute = createRoute({
  operationId: "getOpenIdConfiguration",
  method: "get",
  path: "/.well-known/openid-configuration",
  tags: ["OIDC"],
  summary: "OIDC discovery document",
  description: "No authentication. `issuer` is `TOLLGATE_PUBLIC_URL`; `jwks_uri` points at `/.well-known/jwks.json`. `Cache-Control: public, max-age=3600`.",
  security: [],
  responses: { 200: json(OpenIdConfigurationSchema, "The discovery document."), 405: errorResponse("Only GET (`method_not_allowed`).") },
});

export const jwksGetRoute = apiRoute(jwksRoute, async (c) => {
  const { db, keyring, clock, config } = c.get("deps");
  const now = clock.now();
  // The first request on a fresh database (before any token) still publishes the key that will sign.
  await ensureSigningKey(db, keyring, now, config.oidcKeyMaxAgeMs);
  c.header("cache-control", JWKS_CACHE);
  return c.json({ keys: (await publishedJwks(db, now)) as Record<string, unknown>[] }, 200);
});

export const discoveryGetRoute = apiRoute(discoveryRoute, (c) => {
  const issuer = c.get("deps").config.publicUrl;
  c.header("cache-control", DISCOVERY_CACHE);
  return c.json(
    {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: [OIDC_ALG],
      claims_supported: ["iss", "aud", "sub", "iat", "nbf", "exp", "jti", "owner", "owner_id", "project", "project_id", "environment", "minted_by", "minted_by_epoch"],
    },
    200,
  );
});
