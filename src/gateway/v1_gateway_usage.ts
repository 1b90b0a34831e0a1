import { createRoute, z } from "@hono/zod-openapi";
import { dataPlaneRoute } from "../http/data-plane.js";
import { looksLikeJwt } from "../http/auth.js";
import { ApiError, badRequest, errorResponses, notFound, unauthorized } from "../http/errors.js";
import { bearerSecurity, json, jsonBody } from "../http/openapi.js";
import { dollarsToMicros, isValidUsdAmount } from "../quotas/money.js";
import { quotaSummary } from "../quotas/state.js";
import { modelIdSchema } from "../rules/model-id.js";
import { notifyChange } from "../events/changes.js";
import { QuotaSummarySchema } from "./schemas.js";

export const MAX_COST_USD = 1_000_000;

export const UsageRequest = z
  .strictObject({
    keyId: z.string().min(1).max(64).optional().openapi({ description: "The key authorize returned (`keyId`). Give this or `credential`." }),
    credential: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .openapi({ description: "The presented `tgk_…` key or project OIDC token, instead of `keyId` (a token that expired less than an hour ago still counts)." }),
    requestId: z.string().min(1).max(200).openapi({ description: "The gateway's id for the request: reports are idempotent on it." }),
    model: modelIdSchema.openapi({ description: "The model actually called." }),
    costUsd: z
      .number()
      .min(0)
      .max(MAX_COST_USD)
      .openapi({ description: "What the request cost, in US dollars; rounded to the nearest micro-dollar (1e-6)." }),
    byok: z.boolean().optional().openapi({ description: "True when the request used the team's own provider credentials (default false)." }),
    inputTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "Every input token, cache reads and writes included." }),
    outputTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "Every output token, reasoning tokens included." }),
    cacheReadTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "Of the input tokens: read from the provider's prompt cache (kept with the usage and in reports)." }),
    cacheWriteTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "Of the input tokens: written to the provider's prompt cache." }),
    reasoningTokens: z.number().int().min(0).max(1e9).optional().openapi({ description: "Of the output tokens: reasoning tokens." }),
  })
  .openapi("UsageRequest");

export const UsageResponse = z
  .object({
    recorded: z.boolean().openapi({ description: "False when this `requestId` was already recorded (nothing was added again)." }),
    quotas: z.array(QuotaSummarySchema),
  })
  .openapi("UsageResponse");
export type UsageResponse = z.infer<typeof UsageResponse>;

export const route = createRoute({
  operationId: "gatewayUsage",
  method: "post",
  path: "/v1/gateway/usage",
  tags: ["Gateway"],
  summary: "Report what a request cost",
  description:
    "For the gateway service token only. Adds the cost to every budget in the key's scope, exactly, in one transaction; a 202 means the spend is durable. Idempotent on `requestId` within the team: a retry (the same key, cost and byok flag) adds nothing and answers 202 `recorded: false`, so a report can be retried safely after a timeout or a 503; the same `requestId` with another key, cost or byok flag is 409 `request_id_reused` and adds nothing. Another team's request ids never affect this team's. Budgets are soft caps: spend is recorded even past the limit (the request was already admitted), and the next authorize is refused. Usage of a key deleted or revoked since its request was admitted is still recorded.",
  security: bearerSecurity,
  request: { body: jsonBody(UsageRequest) },
  responses: { 202: json(UsageResponse, "Recorded (or already recorded)."), ...errorResponses(400, 401, 403, 404, 409, 413) },
});

/** Dollars to micro-dollars, exact up to 6 decimals and rounded to the nearest micro-dollar beyond. */
export function costToMicros(usd: number): number {
  return isValidUsdAmount(usd) ? dollarsToMicros(usd) : Math.round(usd * 1_000_000);
}

export const gatewayUsage = dataPlaneRoute({
  route,
  body: UsageRequest,
  async handle(c, body, { db, gateway, clock, usage, rateLimits, tokens, requestId }) {
    if ((body.keyId === undefined) === (body.credential === undefined)) {
      throw badRequest("Give exactly one of keyId and credential.", [{ path: body.keyId ? "credential" : "keyId", message: "exactly one of keyId and credential" }]);
    }
    const now = clock.now();
    const jwt = body.credential !== undefined && looksLikeJwt(body.credential);
    const found = body.keyId
      ? gateway.subjectOfKey(body.keyId)
      : jwt
        ? tokens.verifyForUsage(body.credential!, now)
        : gateway.subjectOfCredential(body.credential!);
    const subject = found instanceof Promise ? await found : found;
    if (!subject) throw jwt ? unauthorized("Invalid or expired token.") : notFound("API key");
    const micros = costToMicros(body.costUsd);
    const submitted = usage.submit({
      subject,
      requestId: body.requestId,
      model: body.model,
      micros,
      byok: body.byok ?? false,
      inputTokens: body.inputTokens ?? null,
      outputTokens: body.outputTokens ?? null,
      cacheReadTokens: body.cacheReadTokens ?? null,
      cacheWriteTokens: body.cacheWriteTokens ?? null,
      reasoningTokens: body.reasoningTokens ?? null,
      createdAt: now,
    });
    // A reservation authorize made under this requestId (hard budgets, tokensPerMinute) becomes the real cost.
    const held = gateway.leases.settleRequest(subject.teamId, body.requestId, micros, submitted);
    const result = await submitted;
    if (held?.tokens) rateLimits.settleTokens(held.tokens, result.conflict ? 0 : (body.inputTokens ?? 0) + (body.outputTokens ?? 0), now);
    else if (!held && result.recorded && result.states.some((s) => s.budget.enforcement === "hard")) {
      // Authorized by another instance, maybe: it settles its reservation on this notification.
      await notifyChange(db, { t: "settled", teamId: subject.teamId, requestId: body.requestId, micros });
    }
    if (result.conflict) {
      throw new ApiError(
        "request_id_reused",
        "This requestId was already reported with another key, cost or byok flag: give each gateway request its own requestId.",
      );
    }
    // Tokens count towards the key's tokensPerMinute once, when the report is first recorded.
    if (result.recorded && subject.keyId !== null && !held?.tokens) rateLimits.countTokens(subject.keyId, (body.inputTokens ?? 0) + (body.outputTokens ?? 0));
    c.header("x-request-id", requestId(c));
    return c.json({ recorded: result.recorded, quotas: gateway.withLeased(result.states).map(quotaSummary) }, 202);
  },
});
