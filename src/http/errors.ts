import { z } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable } from "../db/unavailable.js";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "idempotency_key_reused"
  | "idempotency_key_in_use"
  | "request_id_reused"
  | "quota_for_entity_exceeded"
  | "rule_chain_invalid"
  | "rate_limited"
  | "service_unavailable"
  | "rate_limit_exceeded"
  | "encryption_key_missing"
  | "internal_error"
  | "provider_not_configured"
  | "upstream_unavailable"
  | "upstream_timeout";

export type ErrorParam = { path: string; message: string };

/** The one typed error every handler throws; `onError` renders it in the envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export type ErrorBody = { error: { code: string; message: string; [k: string]: unknown } };

export const badRequest = (message: string, params?: ErrorParam[]) =>
  new ApiError(400, "bad_request", message, params ? { params } : {});
export const unauthorized = (message = "Missing or invalid credentials.") =>
  new ApiError(401, "unauthorized", message);
export const forbidden = (message = "You do not have permission to do this.") =>
  new ApiError(403, "forbidden", message);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found.`);
export const conflict = (message: string) => new ApiError(409, "conflict", message);
/** The database is unreachable: retry after `Retry-After` seconds (usage: with the same `requestId`). */
export const serviceUnavailable = (message = "The database is unavailable; retry shortly.") =>
  new ApiError(503, "service_unavailable", message, {}, { "retry-after": "1" });

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
  return new ApiError(500, "internal_error", "Internal server error.");
}

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string().openapi({ example: "bad_request", description: "Stable snake_case error code." }),
        message: z.string().openapi({ example: "Invalid request body." }),
        params: z
          .array(z.object({ path: z.string(), message: z.string() }))
          .optional()
          .openapi({ description: "Validation failures, one per offending field (400 bad_request only)." }),
      })
      .catchall(z.unknown()),
  })
  .openapi("Error");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input (`bad_request`, with `params` naming each offending field).",
  401: "Missing or invalid bearer token (`unauthorized`).",
  402: "A budget in scope is spent (`quota_for_entity_exceeded`).",
  403: "Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`).",
  404: "Not found, or it belongs to a team the caller cannot see (`not_found`).",
  409: "Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost).",
  413: "Request body over 64 KiB (`payload_too_large`).",
  422: "The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`).",
  429: "Rate limited (`rate_limited`); see `Retry-After`.",
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
