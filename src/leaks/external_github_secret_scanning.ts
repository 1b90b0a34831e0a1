import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/context.js";
import { ApiError, errorResponse, errorResponses, unauthorized } from "../http/errors.js";
import { json, jsonBody } from "../http/openapi.js";
import { GATEWAY_KEY_PATTERN, hasValidChecksum, sha256Hex } from "../lib/secrets.js";
import { GITHUB_KEY_IDENTIFIER_HEADER, GITHUB_KEY_SIGNATURE_HEADER, verifyGithubSignature } from "./github-signature.js";
import { keyChange, knownDigests, markLeaked, type LeakReport } from "./queries.js";
import { apiRoute } from "../http/route.js";

/** Most tokens GitHub may send in one request. */
export const GITHUB_MAX_TOKENS = 100;

export const GithubTokenMatch = z
  .object({
    token: z.string().openapi({ description: `The string GitHub found (our pattern: \`${GATEWAY_KEY_PATTERN}\`).` }),
    type: z.string().openapi({ description: "The secret type registered with GitHub.", example: "tollgate_api_key" }),
    url: z.string().nullish().openapi({ description: "Where it was found; becomes the key's `leakedUrl`." }),
    source: z.string().nullish().openapi({ description: "GitHub's source kind, e.g. `content`, `commit`, `issue_comment`." }),
  })
  .openapi("GithubSecretScanningMatch", {
    description: "One match, as GitHub sends it. Fields GitHub may add later are ignored rather than rejected.",
  });

export const GithubSecretScanningRequest = z
  .array(GithubTokenMatch)
  .max(GITHUB_MAX_TOKENS)
  .openapi("GithubSecretScanningRequest");

export const GithubSecretScanningResponse = z
  .array(
    z.object({
      token_raw: z.string().openapi({ description: "The `token` as received." }),
      token_type: z.string().openapi({ description: "The `type` as received." }),
      label: z.enum(["true_positive", "false_positive"]).openapi({
        description: "`true_positive` when the token is a key this instance issued (live, already leaked or deleted); otherwise `false_positive`.",
      }),
    }),
  )
  .openapi("GithubSecretScanningResponse");
export type GithubSecretScanningResponse = z.infer<typeof GithubSecretScanningResponse>;

const SignatureHeaders = z.object({
  [GITHUB_KEY_IDENTIFIER_HEADER]: z.string().openapi({ description: "Which of GitHub's public keys signed the request." }),
  [GITHUB_KEY_SIGNATURE_HEADER]: z
    .string()
    .openapi({ description: "Base64 ASN.1 DER ECDSA P-256/SHA-256 signature over the raw request body." }),
});

export const route = createRoute({
  operationId: "githubSecretScanning",
  method: "post",
  path: "/external/github/secret-scanning",
  tags: ["Leaked keys"],
  summary: "GitHub secret scanning partner endpoint",
  description:
    "Called by GitHub's secret scanning partner program when it finds strings matching Tollgate's key pattern in a public " +
    "repository, gist, issue or comment. No bearer token: the request must carry GitHub's signature, verified over the raw " +
    "body against the public keys in `TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` before the body is parsed. Unsigned or badly " +
    "signed requests get 401 and revoke nothing.\n\n" +
    "Every match that is a live key this instance issued is marked `leaked` and refused by authorize from then on (`leakedUrl` = the match's `url`, unless the key " +
    "was already leaked: the first report wins), with an `api_key.leak` audit event (actor type `external`) per key; all " +
    `marks of one request happen in one transaction. At most ${GITHUB_MAX_TOKENS} matches per request (more: 400).\n\n` +
    "Not configured (`TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` unset): 404, as if the route did not exist.",
  // An explicit empty list: OpenAPI's way to say "no authentication" (no bearer token).
  security: [],
  request: { headers: SignatureHeaders, body: jsonBody(GithubSecretScanningRequest) },
  responses: {
    200: json(GithubSecretScanningResponse, "One label per match, in request order."),
    400: errorResponse(
      `A signed body that is not an array of matches, or more than ${GITHUB_MAX_TOKENS} of them (\`bad_request\`, with \`params\`).`,
    ),
    401: errorResponse("Missing signature headers, unknown key identifier or a signature that does not verify (`unauthorized`)."),
    404: errorResponse("GitHub secret scanning is not configured on this instance (`not_found`)."),
    ...errorResponses(413),
  },
});

/** Verifies GitHub's signature over the raw bytes, before any JSON parsing (the body validator runs after). */
const verifySignature: MiddlewareHandler<AppEnv> = async (c, next) => {
  const keys = c.get("deps").config.githubSecretScanningKeys;
  if (!keys) throw new ApiError("not_found", "GitHub secret scanning is not configured on this instance.");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const ok = verifyGithubSignature(raw, c.req.header(GITHUB_KEY_IDENTIFIER_HEADER), c.req.header(GITHUB_KEY_SIGNATURE_HEADER), keys);
  if (!ok) throw unauthorized("Missing or invalid GitHub-Public-Key-Identifier / GitHub-Public-Key-Signature.");
  await next();
};

export const githubSecretScanningRoute = apiRoute({ ...route, middleware: [verifySignature] }, async (c) => {
  const matches = c.req.valid("json");
  const { db, clock, gateway } = c.get("deps");
  const now = clock.now();
  // Only strings with a valid `tgk_` checksum are ever looked up.
  const digests = matches.map((m) => {
    const token = m.token.trim();
    return hasValidChecksum(token, "tgk") ? sha256Hex(token) : null;
  });
  const reports: LeakReport[] = [];
  matches.forEach((m, i) => {
    const digest = digests[i];
    if (digest) reports.push({ digest, url: m.url ?? null, detail: { type: m.type, githubSource: m.source ?? null } });
  });
  const { known, marked } = await db.transaction(async (tx) => {
    const known = await knownDigests(tx, reports.map((r) => r.digest));
    const marked = await markLeaked(tx, reports.filter((r) => known.has(r.digest)), { now, source: "github_secret_scanning" });
    return { known, marked };
  });
  // After the commit, as `transact` does: this instance refuses them from its very next request.
  for (const k of marked) gateway.apply(keyChange(k.digest));
  const body: GithubSecretScanningResponse = matches.map((m, i) => {
    const digest = digests[i];
    return {
      token_raw: m.token,
      token_type: m.type,
      label: digest && known.has(digest) ? "true_positive" : "false_positive",
    };
  });
  return c.json(body, 200);
});
