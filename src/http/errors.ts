import { z } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import type { Keyring } from "../lib/keyring.js";

/**
 * Every error code Tollgate answers, with its HTTP status: the one place a status is chosen. Each
 * status's generic code comes first; the others name a more precise cause a client may act on.
 */
export const ERROR_CODES = {
  /** Invalid input; validation failures list each offending field in `params`. */
  bad_request: 400,
  /** A routing rule chain that loops or is too long (`kind`, `chain`). */
  rule_chain_invalid: 400,
  /** No credential for the model's provider (no BYOK credential, no `<PROVIDER>_API_KEY`). */
  provider_not_configured: 400,
  unauthorized: 401,
  /** A budget in scope is spent, or a hard budget cannot hold the request's worst case (`param`). */
  quota_for_entity_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** The first request with this `Idempotency-Key` is still running. */
  idempotency_key_in_use: 409,
  /** A usage `requestId` reported before with another key, cost or byok flag. */
  request_id_reused: 409,
  payload_too_large: 413,
  /** The `Idempotency-Key` was used with a different request. */
  idempotency_key_reused: 422,
  /** A rate limit: a key's (`param {limit, remaining, resetAt, limitType}`), a provider's, or a client address's; see `Retry-After`. */
  rate_limit_exceeded: 429,
  /**
   * The client closed the connection before the answer (nginx's 499): nobody reads this answer,
   * but the request log and metrics tell it apart from a refusal.
   */
  client_closed_request: 499,
  internal_error: 500,
  /** A provider could not be reached, refused the provider credential, or failed. */
  upstream_unavailable: 502,
  /** The database is unavailable; retry after `Retry-After`. */
  service_unavailable: 503,
  /** A feature that stores secrets, without `TOLLGATE_ENCRYPTION_KEY`. */
  encryption_key_missing: 503,
  /** What Tollgate waited on (a provider) did not answer in time. */
  upstream_timeout: 504,
} as const satisfies Record<string, ContentfulStatusCode | 499>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode];

/** Every code, in the table's order (the OpenAPI enum). */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export type ErrorParam = { path: string; message: string };

/** The one typed error every handler throws; `onError` renders it in the envelope. Its status is its code's. */
export class ApiError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export type ErrorBody = { error: { code: ErrorCode; message: string; [k: string]: unknown } };

export const badRequest = (message: string, params?: ErrorParam[]) => new ApiError("bad_request", message, params ? { params } : {});
export const unauthorized = (message = "Missing or invalid credentials.") => new ApiError("unauthorized", message);
export const forbidden = (message = "You do not have permission to do this.") => new ApiError("forbidden", message);
export const notFound = (what: string) => new ApiError("not_found", `${what} not found.`);
export const conflict = (message: string) => new ApiError("conflict", message);
/** The database is unreachable: retry after `Retry-After` seconds (usage: with the same `requestId`). */
export const serviceUnavailable = (message = "The database is unavailable; retry shortly.") =>
  new ApiError("service_unavailable", message, {}, { "retry-after": "1" });

/** The generic code of each status an `HTTPException` (hono's, a middleware's) may carry. */
const CODE_OF_STATUS = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  429: "rate_limit_exceeded",
  500: "internal_error",
  502: "upstream_unavailable",
  503: "service_unavailable",
  504: "upstream_timeout",
} as const satisfies { [S in ErrorStatus]?: CodeWithStatus<S> };

const codeOfStatus: Partial<Record<number, ErrorCode>> = CODE_OF_STATUS;

type CodeWithStatus<S extends ErrorStatus> = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends S ? C : never }[ErrorCode];

const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  bad_request: "Bad request.",
  unauthorized: "Unauthorized.",
  forbidden: "Forbidden.",
  not_found: "Not found.",
  method_not_allowed: "Method not allowed.",
  conflict: "Conflict.",
  payload_too_large: "Request body too large.",
  rate_limit_exceeded: "Too many requests.",
  internal_error: "Internal server error.",
  upstream_unavailable: "Bad gateway.",
  service_unavailable: "Service unavailable.",
  upstream_timeout: "Gateway timeout.",
};

/**
 * The error an HTTP status stands for (an `HTTPException`'s): its generic code, so a 504 stays a
 * 504 `upstream_timeout`; a status without one is `bad_request` (4xx) or `internal_error` (5xx).
 */
export function errorOfStatus(status: number, message?: string): ApiError {
  const code = codeOfStatus[status] ?? (status >= 500 ? "internal_error" : "bad_request");
  return new ApiError(code, message || DEFAULT_MESSAGES[code] || code);
}

/**
 * What any thrown value answers, on every surface (each renders it in its own shape): an ApiError
 * as it is, a database that went away as 503 with Retry-After, anything else as a 500, logged.
 */
export function apiErrorOf(err: unknown, log: { error(msg: string, data?: Record<string, unknown>): void }, path: string): ApiError {
  if (err instanceof ApiError) return err;
  if (isDatabaseUnavailable(err)) {
    log.error("database unavailable", { path, error: err instanceof Error ? err.message : String(err) });
    return serviceUnavailable();
  }
  log.error("unhandled error", { path, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
  return new ApiError("internal_error", "Internal server error.");
}

const CODES_TEXT = Object.entries(ERROR_CODES)
  .map(([code, status]) => `\`${code}\` (${status})`)
  .join(", ");

/** The codes, as one OpenAPI component: the management envelope's and the AI SDK protocol's `code`. */
export const ErrorCodeSchema = z.enum(ERROR_CODE_LIST).openapi("ErrorCode", {
  example: "bad_request",
  description: `Stable snake_case error code; each has one HTTP status: ${CODES_TEXT}. \`client_closed_request\` is only logged: its client has gone.`,
});

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: ErrorCodeSchema,
        message: z.string().openapi({ example: "Invalid request body." }),
        params: z
          .array(z.object({ path: z.string(), message: z.string() }))
          .optional()
          .openapi({ description: "Validation failures, one per offending field (400 `bad_request` only)." }),
      })
      .catchall(z.unknown()),
  })
  .openapi("Error", {
    description:
      "Every error: `{\"error\": {\"code\", \"message\", ...}}`. Extra fields by code: `params` (a list of `{path, message}`) on a 400 `bad_request` " +
      "for invalid input; `param` (one object) on the refusals the gateway contract shapes: 402 `quota_for_entity_exceeded` (`scope`, " +
      "`quotaEntityId`, `limitAmount`, ...), 403 `forbidden` by a routing rule (`ruleId`, `reason`), 429 `rate_limit_exceeded` for a key's " +
      "limit (`limit`, `remaining`, `resetAt`, `limitType`); `kind` and `chain` on 400 `rule_chain_invalid`; `allowed` on 405 " +
      "`method_not_allowed`; `conflictingRuleId` on a rule's 409 `conflict`.",
  });

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input (`bad_request`, with `params` naming each offending field).",
  401: "Missing or invalid bearer token (`unauthorized`).",
  402: "A budget in scope is spent (`quota_for_entity_exceeded`).",
  403: "Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`).",
  404: "Not found, or it belongs to a team the caller cannot see (`not_found`).",
  409: "Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost).",
  413: "Request body over 64 KiB (`payload_too_large`).",
  422: "The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`).",
  429: "Rate limited (`rate_limit_exceeded`); see `Retry-After`.",
};

type ErrStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 422 | 429;

/** OpenAPI `responses` entries for the error statuses a route really returns. */
export function errorResponses<S extends ErrStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
  for (const s of statuses) {
    out[s] = { description: DESCRIPTIONS[s]!, content: { "application/json": { schema: ErrorSchema } } };
  }
  return out;
}

/** One OpenAPI error response with a route-specific description (and optional headers). */
export function errorResponse(description: string, headers?: Record<string, { description: string; schema: { type: "integer" | "string" } }>) {
  return { description, ...(headers ? { headers } : {}), content: { "application/json": { schema: ErrorSchema } } };
}

/**
 * The server's keyring, or 503 `encryption_key_missing` with `text` (what needs the key, and how to
 * set TOLLGATE_ENCRYPTION_KEY): Postgres without a key cannot store a secret.
 */
export function requireKeyring(keyring: Keyring | null, text: string): Keyring {
  if (!keyring) throw new ApiError("encryption_key_missing", text);
  return keyring;
}

/** The documented 503 of a route that stores `what` encrypted (see `requireKeyring`). */
export const encryptionMissing503 = (what: string) => ({
  503: errorResponse(`\`encryption_key_missing\`: the server has no \`TOLLGATE_ENCRYPTION_KEY\` (Postgres without a key), so it cannot store ${what}.`),
});
