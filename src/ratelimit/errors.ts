import { ApiError, errorResponse } from "../http/errors.js";
import type { Refusal } from "./limits.js";

/** Authorize's 429 for a key past one of its rate limits. */
export function rateLimitError(r: Refusal): ApiError {
  const what = r.kind === "requestsPerMinute" ? "requests" : "tokens";
  return new ApiError(
    "rate_limit_exceeded",
    `This API key is over its limit of ${r.limit} ${what} per minute. Retry after ${r.retryAfterS} s.`,
    { param: { limit: r.limit, remaining: r.remaining, resetAt: r.resetAt, limitType: r.kind } },
    { "retry-after": String(r.retryAfterS) },
  );
}

export const RATE_LIMIT_RESPONSE = errorResponse(
  "The key is over its `requestsPerMinute` or `tokensPerMinute` (`rate_limit_exceeded`, `param: {limit, remaining, resetAt, limitType}`; `resetAt` in ms).",
  { "Retry-After": { description: "Seconds until the key's current one-minute window ends.", schema: { type: "integer" } } },
);
