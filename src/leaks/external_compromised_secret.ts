import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { clientAddress } from "../http/client-address.js";
import type { AppEnv, Deps } from "../http/context.js";
import { ApiError, errorResponse, errorResponses } from "../http/errors.js";
import { json, jsonBody } from "../http/openapi.js";
import { GATEWAY_KEY_PATTERN, hasValidChecksum, sha256Hex } from "../lib/secrets.js";
import { keyChange, markLeaked } from "./queries.js";
import { apiRoute } from "../http/route.js";

export const CompromisedSecretRequest = z
  .strictObject({
    secret: z.strictObject({
      api_key: z.string().openapi({
        description:
          `The leaked gateway key (\`${GATEWAY_KEY_PATTERN}\`). Any string is accepted; one that is not a \`tgk_\` key with a valid ` +
          "checksum is answered the same way but never looked up.",
        example: "tgk_3hQ9xV2mP8rT1wY6zK4nB7cD5fG0jL2sA9eR8uI3oP1qW7M4n",
      }),
    }),
  })
  .openapi("CompromisedSecretRequest");

export const CompromisedSecretResponse = z
  .object({ status: z.literal("received") })
  .openapi("CompromisedSecretResponse");
export type CompromisedSecretResponse = z.infer<typeof CompromisedSecretResponse>;

const RETRY_AFTER = { "Retry-After": { description: "Seconds until this address may report again.", schema: { type: "integer" as const } } };

export const route = createRoute({
  operationId: "reportCompromisedSecret",
  method: "post",
  path: "/external/compromised_secret",
  tags: ["Leaked keys"],
  summary: "Report a leaked gateway key",
  description:
    "No authentication: anyone who finds a Tollgate key (`tgk_…`) in the wild can report it. " +
    "A live key becomes `leaked` at once (`leakedAt` set; `/v1/gateway/authorize` refuses it from the next request, on every instance), and an " +
    "`api_key.leak` audit event (actor type `external`) is written for its team. A key already leaked keeps its first " +
    "`leakedAt`; a deleted key stays deleted.\n\n" +
    "**No oracle:** every well-formed request (`{\"secret\": {\"api_key\": \"<string>\"}}`) is answered 202 `{\"status\": \"received\"}` with the " +
    "same headers, whether the key exists, is unknown, was already leaked or deleted, or is not a key at all. A string " +
    "without a valid `tgk_` checksum is never looked up; every string with one costs the same single database statement, " +
    "found or not. Input that is not that JSON shape (malformed JSON, missing or unknown fields, a non-string key) is 400.\n\n" +
    "Rate-limited per client address (`TOLLGATE_COMPROMISED_RATE_LIMIT` requests a minute, default 60; the address is the " +
    "socket's, or the first `X-Forwarded-For` hop when `TOLLGATE_TRUST_PROXY=true`). Every request counts, well-formed or not.",
  // An explicit empty list: OpenAPI's way to say "no authentication" (no bearer token).
  security: [],
  request: { body: jsonBody(CompromisedSecretRequest) },
  responses: {
    202: json(CompromisedSecretResponse, "Received (whether or not the key exists)."),
    ...errorResponses(400, 413),
    429: errorResponse("Too many reports from this client address (`rate_limit_exceeded`); retry after `Retry-After` seconds.", RETRY_AFTER),
  },
});

/** One limiter per app instance (by its deps). */
const limiters = new WeakMap<Deps, RateLimiterMemory>();
const limiterFor = (deps: Deps): RateLimiterMemory => {
  let limiter = limiters.get(deps);
  if (limiter === undefined) {
    limiter = new RateLimiterMemory({ keyPrefix: "compromised_secret", points: deps.config.compromisedRateLimitPerMinute, duration: 60 });
    limiters.set(deps, limiter);
  }
  return limiter;
};

/** Per-client limit on reports, from `rate-limiter-flexible`; one limiter per app instance. */
const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get("deps");
  const limiter = limiterFor(deps);
  const { config } = deps;
  try {
    await limiter.consume(clientAddress(c, config.trustProxy));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new ApiError("rate_limit_exceeded", `Too many reports from this address; retry in ${seconds} s.`, {}, { "retry-after": String(seconds) });
  }
  await next();
};

export const compromisedSecretRoute = apiRoute({ ...route, middleware: [rateLimit] }, async (c) => {
  const candidate = c.req.valid("json").secret.api_key.trim();
  if (hasValidChecksum(candidate, "tgk")) {
    const { db, clock, gateway } = c.get("deps");
    const digest = sha256Hex(candidate);
    const marked = await markLeaked(db, [{ digest, url: null }], { now: clock.now(), source: "compromised_secret" });
    // Refused by this instance's very next authorize (others hear it from the notification).
    // Dropped whether or not it matched: the same work for a real and an unknown key. A rolled
    // key's previous secret marks the key: its current secret is dropped too, not left to the
    // notification (which arrives a moment later).
    gateway.apply(keyChange(digest));
    for (const k of marked) if (k.digest !== digest) gateway.apply(keyChange(k.digest));
  }
  return c.json({ status: "received" as const }, 202);
});
