import { ApiError } from "../http/errors.js";
import type { ProviderApi } from "./providers.js";

/**
 * Error answers in each provider API's own shape, so that the official clients raise their usual
 * errors: OpenAI `{"error":{"message","type","param","code"}}`, Anthropic
 * `{"type":"error","error":{"type","message"}}`. Tollgate's refusals (authorize's ApiErrors)
 * keep their status and put their code in OpenAI's `code`.
 */
const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  402: "insufficient_quota",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  429: "rate_limit_exceeded",
  502: "api_error",
  503: "api_error",
  504: "timeout_error",
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "request_too_large",
  429: "rate_limit_error",
  502: "api_error",
  503: "overloaded_error",
  504: "timeout_error",
};

/** Tollgate codes that OpenAI's clients know under another name. */
const OPENAI_CODES: Record<string, string> = { unauthorized: "invalid_api_key" };

export function errorBody(api: ProviderApi, err: ApiError): unknown {
  if (api === "anthropic") {
    return { type: "error", error: { type: ANTHROPIC_TYPES[err.status] ?? "api_error", message: err.message } };
  }
  const params = err.extra.params as { path: string }[] | undefined;
  return {
    error: {
      message: err.message,
      type: OPENAI_TYPES[err.status] ?? "api_error",
      param: params?.[0]?.path ?? null,
      code: OPENAI_CODES[err.code] ?? err.code,
    },
  };
}

/** An error answer in `api`'s shape; anything not an ApiError is logged by the caller and is a 500. */
export function errorResponse(api: ProviderApi, err: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(errorBody(api, err)), {
    status: err.status,
    headers: { "content-type": "application/json", ...err.headers, ...headers },
  });
}



