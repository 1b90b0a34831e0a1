import type { Context } from "hono";
import type { Caller } from "../gateway/authorize.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { apiErrorOf, unauthorized } from "../http/errors.js";
import { readCaller as readCallerOf } from "../proxy/catalog.js";
import { credentialOf } from "../proxy/proxy.js";
import { gatewayErrorResponse } from "./errors.js";

/** The base paths of the two protocol versions: `@ai-sdk/gateway` 4 (`ai` 7) and 3 (`ai` 6). */
export const BASES = { 4: "/v4/ai", 3: "/v3/ai" } as const;
export type SpecVersion = keyof typeof BASES;

export const MISSING_KEY = "Missing API key: pass your Tollgate gateway key (or a project OIDC token) as `createGateway({ apiKey })`, sent as `Authorization: Bearer <key>`.";

/** The caller's credential (Authorization: Bearer, else x-api-key), or a 401. */
export function requireCredential(c: Context): string {
  const credential = credentialOf(c, c.req.header("authorization"));
  if (!credential) throw unauthorized(MISSING_KEY);
  return credential;
}

/**
 * Who calls a read-only route (config, credits, report, generation): a live gateway key (its status
 * checked as authorize does) or a project OIDC token (verified as authorize does). No model, no
 * budget or rate-limit check.
 */
export async function readCaller(c: Context, deps: DataPlaneDeps): Promise<Caller> {
  return readCallerOf(deps, requireCredential(c));
}

/** A failure in the gateway protocol's error shape; anything not an ApiError is logged and is a 500. */
export function failure(deps: DataPlaneDeps, err: unknown, c: Context, headers: Record<string, string> = {}): Response {
  return gatewayErrorResponse(apiErrorOf(err, deps.log.child({ requestId: deps.requestId(c) }), c.req.path), headers);
}
