import { z } from "@hono/zod-openapi";
import { ApiError, ErrorCodeSchema } from "../http/errors.js";

/**
 * Errors in the AI SDK gateway protocol's shape, `{error:{message, type, param?, code?}, generationId?}`,
 * with the `type` values `@ai-sdk/gateway` maps to its error classes (`createGatewayErrorFromResponse`):
 * `authentication_error` → GatewayAuthenticationError, `invalid_request_error` → GatewayInvalidRequestError,
 * `forbidden` → GatewayForbiddenError (`param.ruleId`), `model_not_found` → GatewayModelNotFoundError
 * (`param.modelId`), `rate_limit_exceeded` → GatewayRateLimitError, `internal_server_error` →
 * GatewayInternalServerError. A spent budget (402) is `forbidden` too: refused by a policy of the team,
 * not retryable; its `code` is `quota_for_entity_exceeded` and its message names the budget.
 */
export const AiGatewayError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({ example: "forbidden" }),
      param: z.unknown().optional(),
      code: ErrorCodeSchema.optional(),
    }),
    generationId: z.string().optional(),
  })
  .openapi("AiGatewayError");

const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "forbidden",
  403: "forbidden",
  404: "not_found",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_exceeded",
};

export function typeOf(err: ApiError): string {
  if (err.status === 404 && err.extra.param !== undefined) return "model_not_found";
  return TYPES[err.status] ?? (err.status >= 500 ? "internal_server_error" : "invalid_request_error");
}

export function gatewayErrorBody(err: ApiError, generationId?: string): unknown {
  const params = err.extra.params as { path: string; message: string }[] | undefined;
  const param = err.extra.param ?? (params ? { params } : undefined);
  return {
    error: { message: err.message, type: typeOf(err), ...(param !== undefined ? { param } : {}), code: err.code },
    ...(generationId ? { generationId } : {}),
  };
}

export function gatewayErrorResponse(err: ApiError, headers: Record<string, string> = {}, generationId?: string): Response {
  return new Response(JSON.stringify(gatewayErrorBody(err, generationId)), {
    status: err.status,
    headers: { "content-type": "application/json", ...err.headers, ...headers },
  });
}

/** 404 `model_not_found` with `param.modelId`. */
export const modelNotFound = (modelId: string, message: string) => new ApiError("not_found", message, { param: { modelId } });
