import type { RouteConfig, z } from "@hono/zod-openapi";
import { Hono, type Context, type ErrorHandler } from "hono";
import type { UsageBatcher } from "../gateway/usage-batcher.js";
import type { RateLimits } from "../ratelimit/limits.js";
import type { TokenVerifier } from "../oidc/tokens.js";
import { requireGateway } from "./auth.js";
import { requestHeaders, type BodyLimiter, type RequestHeaders } from "./body-limit.js";
import type { App, AppEnv, Deps, Principal } from "./context.js";
import { isReplayedDatabaseError } from "../db/unavailable.js";
import { ApiError, badRequest } from "./errors.js";
import { rejectDeepJson } from "./json-depth.js";
import { UNSTORABLE_MESSAGE, unstorableInJson } from "./text-guard.js";
import { zodParams } from "./zod-params.js";

/** What a data-plane handler works with: the app's dependencies, its usage batcher, rate limits and OIDC token verifier. */
export type DataPlaneDeps = Deps & {
  usage: UsageBatcher;
  rateLimits: RateLimits;
  tokens: TokenVerifier;
  /** The request's id, sent as `x-request-id` on every answer and written in the request log. */
  requestId: (c: Context) => string;
};

/**
 * A route of the gateway's data plane (authorize, usage): a POST whose only input is a JSON body,
 * called by the gateway service on every request it serves. Documented from its `createRoute`
 * config like every other route; served by the data-plane lane (see `DataPlane`).
 */
export type DataPlaneRoute<S extends z.ZodType = z.ZodType> = {
  route: RouteConfig & { method: "post" };
  body: S;
  /**
   * Optional quick test, for the commonest well-formed bodies: true only for a body `body` accepts
   * as it is (same fields, same values; a property test holds the two together). Any other body
   * is validated by `body`, which also writes the 400.
   */
  accept?: (parsed: unknown) => boolean;
  handle(c: Context<AppEnv>, input: z.infer<S>, deps: DataPlaneDeps): Response | Promise<Response>;
};

export const dataPlaneRoute = <S extends z.ZodType>(r: DataPlaneRoute<S>): DataPlaneRoute<S> => r;

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/** 400 unless the request says its body is JSON. */
export function requireJsonContentType(contentType: string | undefined): void {
  if (contentType !== "application/json" && !JSON_TYPE.test(contentType ?? "")) throw badRequest("Content-Type must be application/json.");
}

/**
 * A JSON body's text, parsed and validated against `schema` (or passed by `accept`), with the same
 * 400 answers as every other route: malformed JSON, text Postgres cannot store (NUL, unpaired
 * surrogates; see `text-guard.ts`), then the schema's issues as `params`.
 */
export function parseJsonBody<T extends z.ZodType>(text: string, schema: T, accept?: (parsed: unknown) => boolean): z.infer<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("Invalid request body: Malformed JSON in request body");
  }
  // JSON.parse itself does not recurse; walking a deep value would. A body `accept` passes is flat.
  const accepted = accept?.(body) ?? false;
  if (!accepted) rejectDeepJson(text);
  const unstorable = unstorableInJson(text, body);
  if (unstorable.length > 0) throw badRequest(UNSTORABLE_MESSAGE, unstorable);
  if (accepted) return body as z.infer<T>;
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError("bad_request", "Invalid request body.", { params: zodParams(result.error.issues) });
  return result.data;
}

export type DataPlaneOptions = {
  deps: DataPlaneDeps;
  /** The principal of an `Authorization` header (401 when there is none); see `principalResolver`. */
  principal: (authorization: string | undefined, path?: string) => Principal | Promise<Principal>;
  /** The body size limit (413). */
  limit: BodyLimiter;
  onError: ErrorHandler<AppEnv>;
  /** Called after each answer when request logs are on. */
  logRequest?: (c: Context, res: Response, startedAt: number) => void;
  /** A route's request metrics (status and milliseconds of each answer), bound once per route. */
  metricsFor?: (route: string) => { observe(status: number, ms: number): void };
};

/**
 * The gateway's data plane, served ahead of the management API. Each of its routes is one Hono
 * handler with nothing matched before it (so Hono calls it directly, with no middleware chain),
 * doing in one pass what the management API's middleware does for every other route: the body
 * size limit, the bearer token (the gateway service token only: 401/403 as everywhere), the JSON
 * body checks and validation, the error envelope. Every other request, and every other method on
 * these paths (405), goes on to the management API unchanged.
 *
 * Why: authorize runs before every request a gateway serves, and each middleware layer (an async
 * step, a closure, a context lookup) costs a measurable share of it (`npm run bench`).
 */
export class DataPlane {
  private readonly routes: { method: string; path: string }[] = [];
  private readonly lane = new Hono<AppEnv>();

  constructor(
    private readonly app: App,
    private readonly opts: DataPlaneOptions,
  ) {}

  /** Documents a route in the app's OpenAPI document and serves it on the lane. */
  add<S extends z.ZodType>(r: DataPlaneRoute<S>): void {
    this.app.openAPIRegistry.registerPath(r.route);
    this.routes.push({ method: "POST", path: r.route.path });
    const handler = this.handler(r);
    const { logRequest, onError } = this.opts;
    this.lane.post(
      r.route.path,
      logRequest
        ? async (c) => {
            const started = performance.now();
            let res: Response;
            try {
              res = await handler(c);
            } catch (err) {
              res = await onError(err as Error, c);
            }
            logRequest(c, res, started);
            return res;
          }
        : handler,
    );
  }

  /**
   * Serves a handler that does its own authentication, body reading and error answers on the lane
   * (the gateway's OpenAI- and Anthropic-compatible routes, which answer in their providers' error
   * shapes); documented by `route` when given.
   */
  serve(
    method: "GET" | "POST",
    path: string,
    handle: (c: Context<AppEnv>, deps: DataPlaneDeps) => Response | Promise<Response>,
    route?: RouteConfig,
    opts: { namesItsAnswers?: boolean } = {},
  ): void {
    if (route) this.app.openAPIRegistry.registerPath(route);
    this.routes.push({ method, path });
    const { deps, logRequest } = this.opts;
    // Every answer names the request's id (the usage record's, for a metered call), errors included:
    // here, unless the handler does it itself (`namesItsAnswers`: reading a Response's headers makes
    // @hono/node-server build a Headers object, a measurable share of a proxied request).
    const named = (c: Context<AppEnv>, res: Response): Response => {
      if (opts.namesItsAnswers) return res;
      try {
        if (!res.headers.has("x-request-id")) res.headers.set("x-request-id", deps.requestId(c));
      } catch {} // a Response whose headers are immutable (none of ours) keeps them
      return res;
    };
    this.lane.on(
      method,
      path,
      logRequest
        ? async (c) => {
            const started = performance.now();
            const res = named(c, await handle(c, deps));
            logRequest(c, res, started);
            return res;
          }
        : async (c) => named(c, await handle(c, deps)),
    );
  }

  /** The dependencies its handlers get (the usage batcher included). */
  get deps(): DataPlaneDeps {
    return this.opts.deps;
  }

  /** The (method, path) pairs the lane serves. */
  served(): readonly { method: string; path: string }[] {
    return this.routes;
  }

  /** From now on the app's `fetch` (what the server and `app.request` call) tries the lane first. */
  mount(): void {
    const management = this.app.fetch;
    this.lane.notFound((c) => management(c.req.raw, c.env));
    this.lane.onError(this.opts.onError);
    this.app.fetch = this.lane.fetch;
  }

  private handler<S extends z.ZodType>(r: DataPlaneRoute<S>): (c: Context<AppEnv>) => Promise<Response> {
    const { deps, principal, limit, onError } = this.opts;
    const metrics = this.opts.metricsFor?.(r.route.path);
    // One async step per request (reading the body); everything else answers synchronously when
    // it can: only a personal token's lookup and the handler's own cache misses add promises.
    const serve = async (c: Context<AppEnv>, h: RequestHeaders): Promise<Response> => {
      const started = metrics ? performance.now() : 0;
      let res: Response;
      try {
        const p = principal(h.authorization, r.route.path);
        requireGateway(p instanceof Promise ? await p : p);
        requireJsonContentType(h.contentType);
        const input = parseJsonBody(await c.req.text(), r.body, r.accept);
        const handled = r.handle(c, input, deps);
        // Data-plane routes are idempotent (authorize reads; usage is keyed by requestId): an error
        // postgres-js replays from a connection lost before it reconnected is retried once.
        res = handled instanceof Promise ? await handled.catch((err) => (isReplayedDatabaseError(err) ? r.handle(c, input, deps) : Promise.reject(err))) : handled;
      } catch (err) {
        if (!metrics) throw err;
        res = await onError(err as Error, c);
      }
      if (metrics) metrics.observe(res.status, performance.now() - started);
      return res;
    };
    return (c) => {
      const h = requestHeaders(c);
      return limit(c, h, () => serve(c, h));
    };
  }
}
