import { createRoute, z } from "@hono/zod-openapi";
import { actorOf, writeAudit } from "../audit/write.js";
import type { Role } from "../db/schema.js";
import { requireMember, roleInTeam } from "../http/auth.js";
import { ApiError, errorResponse, errorResponses, forbidden, notFound } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { IdParamSchema, Millis, TeamQuerySchema } from "../http/schemas.js";
import { SigningUnavailableError } from "./keys.js";
import { ENVIRONMENTS, mintProjectToken, type Environment } from "./tokens.js";
import { apiRoute } from "../http/route.js";
import { findProjectWithTeam } from "../projects/queries.js";
import { findMinterMembership } from "./queries.js";

/** Who may mint a token for which environment. */
export const MINT_ROLES: Record<Environment, readonly Role[]> = {
  development: ["OWNER", "MEMBER", "DEVELOPER"],
  preview: ["OWNER", "MEMBER"],
  production: ["OWNER", "MEMBER"],
};

export const CreateOidcTokenRequest = z
  .strictObject({
    environment: z.enum(ENVIRONMENTS).optional().openapi({ description: "The environment the token is for (default `development`)." }),
  })
  .openapi("CreateOidcTokenRequest");

export const CreateOidcTokenResponse = z
  .object({
    token: z.string().openapi({ description: "The JWT (ES256). Present it to the gateway as the credential, like a `tgk_…` key." }),
    expiresAt: Millis.openapi({ description: "When it stops being accepted: 12 hours after it was issued." }),
  })
  .openapi("CreateOidcTokenResponse");
export type CreateOidcTokenResponse = z.infer<typeof CreateOidcTokenResponse>;

export const route = createRoute({
  operationId: "createProjectOidcToken",
  method: "post",
  path: "/v1/projects/{id}/oidc-token",
  tags: ["OIDC"],
  summary: "Issue an OIDC token for a project",
  description: [
    "A JWT signed by this instance (ES256, keys at `/.well-known/jwks.json`), valid 12 hours, that the gateway accepts as `credential`",
    "instead of an API key: no secret to store, nothing to rotate. Claims: `iss` (`TOLLGATE_PUBLIC_URL`), `aud` (`<iss>/<team slug>`),",
    "`sub` (`owner:<team slug>:project:<project name>:environment:<environment>`), `owner`, `owner_id`, `project`, `project_id`,",
    "`environment`, `iat`, `nbf`, `exp`, `jti`, and for a token a member minted `minted_by` (their user id) and `minted_by_epoch`.",
    "Requests authorized with it count against the team's and the project's budgets",
    "(there is no key budget). It stops authorizing when the project is deleted, when the member who minted it is removed from the team or",
    "their role is lowered, and when its signing key is revoked (`POST /v1/admin/oidc/rotate`",
    "with `revokePrevious`).\n\n",
    "Roles: any member (DEVELOPER included) may mint `development` tokens; `preview` and `production` need OWNER or MEMBER.",
    "Another team's project is 404. Each issuance is in the audit log (`oidc_token.create`, with its `jti`, never the token).",
    "503 `encryption_key_missing` on Postgres without `TOLLGATE_ENCRYPTION_KEY` (signing keys are stored encrypted).",
  ].join(" "),
  security: bearerSecurity,
  request: {
    params: IdParamSchema("prj", "prj_01jd7y2m3n4p5q6r7s8t9v0w1x"),
    query: TeamQuerySchema,
    body: jsonBody(CreateOidcTokenRequest),
  },
  responses: {
    201: json(CreateOidcTokenResponse, "The token."),
    ...errorResponses(400, 401, 403, 404, 413),
    503: errorResponse("This instance cannot sign: `TOLLGATE_ENCRYPTION_KEY` is not set (`encryption_key_missing`)."),
  },
});

export const createOidcTokenRoute = apiRoute(route, async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const environment = c.req.valid("json").environment ?? "development";
  const principal = requireMember(c);
  const { db, clock, keyring, config } = c.get("deps");
  const row = await findProjectWithTeam(db, id);
  const named = row && (!q.teamId || q.teamId === row.team.id) && (!q.slug || q.slug === row.team.slug);
  let role = named ? await roleInTeam(c, row.team.id) : null;
  // A member's token carries their membership's epoch, read with the role in one statement: a
  // removal or demotion committed after this read changes it, and authorize refuses the token.
  let minter: { minted_by: string; minted_by_epoch: string } | undefined;
  if (row && role && principal.kind === "user") {
    const m = await findMinterMembership(db, row.team.id, principal.user.id);
    role = m?.role ?? null;
    if (m) minter = { minted_by: principal.user.id, minted_by_epoch: m.epoch };
  }
  if (!row || !role) throw notFound("Project");
  if (!MINT_ROLES[environment].includes(role)) {
    throw forbidden(`Your role ${role} may not issue ${environment} tokens (allowed: ${MINT_ROLES[environment].join(", ")}).`);
  }
  const now = clock.now();
  let minted;
  try {
    minted = await mintProjectToken(
      { db, keyring, issuer: config.publicUrl, keyMaxAgeMs: config.oidcKeyMaxAgeMs },
      { owner: row.team.slug, owner_id: row.team.id, project: row.project.name, project_id: row.project.id, environment, ...minter },
      now,
    );
  } catch (err) {
    if (err instanceof SigningUnavailableError) throw new ApiError("encryption_key_missing", err.message);
    throw err;
  }
  await writeAudit(db, {
    teamId: row.team.id,
    actor: actorOf(principal),
    action: "oidc_token.create",
    target: { type: "project", id: row.project.id },
    data: { environment, jti: minted.jti, kid: minted.kid, expiresAt: minted.expiresAt },
    at: now,
  });
  return c.json({ token: minted.token, expiresAt: minted.expiresAt }, 201);
});
