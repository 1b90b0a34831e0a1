import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ApiKeyRow } from "../api-keys/schemas.js";
import { GatewayCredentialSchema } from "../byok/schemas.js";
import { dataPlaneRoute, type DataPlaneDeps } from "../http/data-plane.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { MODEL_ID_RE, modelIdSchema } from "../rules/model-id.js";
import type { Resolution } from "../rules/resolve.js";
import { RATE_LIMIT_RESPONSE } from "../ratelimit/errors.js";
import { authorizeCredential, callerKeyId, type Authorized } from "./authorize.js";
import { QuotaSummarySchema } from "./schemas.js";

const MAX_CREDENTIAL_LENGTH = 4096;

export const AuthorizeRequest = z
  .strictObject({
    credential: z
      .string()
      .min(1)
      .max(MAX_CREDENTIAL_LENGTH)
      .openapi({ description: "The gateway API key (`tgk_…`) or the project OIDC token (a JWT from `POST /v1/projects/{id}/oidc-token`) the end user presented." }),
    model: modelIdSchema.openapi({ description: "The model requested, `provider/model`.", example: "openai/gpt-5" }),
    requestId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({
        description:
          "The gateway's id for this request: required when a hard budget is in scope. The request's worst case is reserved under it until `POST /v1/gateway/usage` reports the same `requestId` (or the reservation expires).",
      }),
    estimate: z
      .strictObject({
        inputTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "The request's input tokens, as the gateway counted them (default 0)." }),
        maxOutputTokens: z
          .number()
          .int()
          .min(0)
          .max(1e9)
          .optional()
          .openapi({ description: "The most output tokens the request may produce (its `max_tokens`); default: the model's context window, else 32,768." }),
      })
      .optional()
      .openapi({ description: "The request's worst case in tokens: reserved on hard budgets (× the price table) and on the key's `tokensPerMinute`." }),
  })
  .openapi("AuthorizeRequest");

export const AuthorizeResponse = z
  .object({
    teamId: z.string(),
    projectId: z.string().nullable(),
    keyId: z.string().nullable(),
    requestedModel: z.string(),
    model: z.string().openapi({ description: "The model to call, after routing rules." }),
    appliedRuleIds: z.array(z.string()),
    quotas: z.array(QuotaSummarySchema).openapi({ description: "Every budget in scope: the key's, the team's, the project's, the key creator's." }),
    credentials: z.array(GatewayCredentialSchema).openapi({
      description:
        "The team's enabled BYOK credentials for the resolved model's provider (after routing rules) that this key may use (`apiKeyIds` empty, or naming the key), decrypted, in the team's order: try them first, then the system credentials.",
    }),
    fallbackToSystem: z.literal(true),
  })
  .openapi("AuthorizeResponse");
export type AuthorizeResponse = z.infer<typeof AuthorizeResponse>;

export const route = createRoute({
  operationId: "gatewayAuthorize",
  method: "post",
  path: "/v1/gateway/authorize",
  tags: ["Gateway"],
  summary: "May this credential call this model?",
  description: [
    "For the gateway service token only. Checks, in order: the key (401 `unauthorized` for an unknown, malformed, deleted or leaked key);",
    "its status (403 `API key is inactive` / `API key has expired`); the key's model allow-list, applied to the requested model",
    "(403 `Model '<m>' is not allowed for this API key`); the team's routing rules (403 `Request denied by a routing rule.` with",
    "`param.ruleId` and `param.reason`; 400 `rule_chain_invalid`); then every budget in scope (402 `quota_for_entity_exceeded` when any",
    "is spent; for a `hard` budget, also when the request's worst case does not fit in what is left: the message says so); then the key's rate limits",
    "(429 `rate_limit_exceeded` with `Retry-After` and `param {limit, remaining, resetAt}`; with an `estimate`, `tokensPerMinute` reserves its tokens).",
    "Soft budgets are soft caps: a request admitted here is always recorded by usage, even if it crosses the limit. Hard budgets reserve the",
    "request's worst case under `requestId` (400 without one), settled by the usage report with the same `requestId`.",
    "A project OIDC token is accepted as `credential` too: verified (ES256 signature, `iss`, `aud`, `nbf`, `exp`), its project must",
    "still exist, its signing key must not be revoked, and the member who minted it must still be a member whose role was not lowered since",
    "(else 401, as for any bad token, with no detail); the team's rules and the team's and project's budgets apply;",
    "`keyId` is null, and only BYOK credentials not restricted to particular keys are returned.",
  ].join(" "),
  security: bearerSecurity,
  request: { body: jsonBody(AuthorizeRequest) },
  responses: {
    200: json(AuthorizeResponse, "Allowed: which model to call and with which credentials."),
    ...errorResponses(400, 401, 402, 403, 413),
    429: RATE_LIMIT_RESPONSE,
  },
});

/**
 * Authorize runs before every request a gateway serves. On a warm cache it answers synchronously
 * (no promise, no database), and its answer is assembled from JSON pieces rendered once: the key's
 * (per cached key row), the routing result's (per rule set and model), the budgets' (per view, see
 * `GatewayState.quotaView`). Each step takes its input synchronously when cached, or continues once
 * a database read brings it.
 */
export const gatewayAuthorize = dataPlaneRoute({
  route,
  body: AuthorizeRequest,
  accept: isPlainAuthorizeRequest,
  handle(c, input, deps) {
    const a = authorizeCredential(deps, input, true);
    return a instanceof Promise ? a.then((x) => render(c, deps, x)) : render(c, deps, a);
  },
});

/**
 * The quick test for the body every gateway sends: exactly `credential` and `model`, both strings
 * that `AuthorizeRequest` accepts as they are. Anything else goes through the schema.
 */
export function isPlainAuthorizeRequest(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  let fields = 0;
  for (const k in body) {
    if (k !== "credential" && k !== "model") return false;
    fields++;
  }
  const { credential, model } = body as Record<string, unknown>;
  return (
    fields === 2 &&
    typeof credential === "string" &&
    credential.length >= 1 &&
    credential.length <= MAX_CREDENTIAL_LENGTH &&
    typeof model === "string" &&
    MODEL_ID_RE.test(model)
  );
}

/** The route's answer: the JSON pieces, then the BYOK credentials the caller may use (from the gateway cache). */
function render(c: Context, deps: DataPlaneDeps, { caller, resolution, quotas }: Authorized): Response | Promise<Response> {
  const head = ("digest" in caller ? keyJson(caller) : caller.piece) + resolutionJson(resolution) + quotas.json;
  const credentials = deps.gateway.byokJson(deps, caller.teamId, resolution.model, callerKeyId(caller));
  return typeof credentials === "string"
    ? ok(c, deps, withCredentials(head, credentials))
    : credentials.then((json) => ok(c, deps, withCredentials(head, json)));
}

/** A plain header object keeps @hono/node-server on its fastest path (c.body with two headers builds a Headers). */
const ok = (c: Context, deps: DataPlaneDeps, body: string) =>
  new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": deps.requestId(c) } });

/** The answer's end: the credentials array and the constant tail (one constant when there are none). */
const withCredentials = (head: string, credentials: string) =>
  credentials === "[]" ? head + NO_CREDENTIALS_END : head + CREDENTIALS + credentials + ANSWER_END;

/**
 * The answer's JSON text, in `AuthorizeResponse`'s field order, in five pieces: the key's fields
 * (`{"teamId":…,"projectId":…,"keyId":…`), the routing result's (`,"requestedModel":…,"model":…,
 * "appliedRuleIds":[…],"quotas":`), the quotas array, the BYOK credentials array (after
 * `,"credentials":`; see `GatewayState.byokJson`), and the constant end. Each piece is
 * `JSON.stringify` output with its braces trimmed, so the whole is valid JSON.
 */
const keyPieces = new WeakMap<ApiKeyRow, string>();
const resolutionPieces = new WeakMap<Resolution, string>();
const CREDENTIALS = `,"credentials":` satisfies `,"${keyof AuthorizeResponse}":`;
const ANSWER_END = `,${JSON.stringify({ fallbackToSystem: true } satisfies Pick<AuthorizeResponse, "fallbackToSystem">).slice(1)}`;
const NO_CREDENTIALS_END = `,${JSON.stringify({ credentials: [], fallbackToSystem: true } satisfies Pick<AuthorizeResponse, "credentials" | "fallbackToSystem">).slice(1)}`;

function keyJson(key: ApiKeyRow): string {
  let piece = keyPieces.get(key);
  if (piece === undefined) {
    piece = JSON.stringify({ teamId: key.teamId, projectId: key.projectId, keyId: key.id } satisfies Partial<AuthorizeResponse>).slice(0, -1);
    keyPieces.set(key, piece);
  }
  return piece;
}

function resolutionJson(r: Resolution): string {
  let piece = resolutionPieces.get(r);
  if (piece === undefined) {
    const fields = { requestedModel: r.requestedModel, model: r.model, appliedRuleIds: r.appliedRuleIds } satisfies Partial<AuthorizeResponse>;
    piece = `,${JSON.stringify(fields).slice(1, -1)},"quotas":`;
    resolutionPieces.set(r, piece);
  }
  return piece;
}
