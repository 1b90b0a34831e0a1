import type { RouteConfig, z } from "@hono/zod-openapi";
import { Hono, type Context, type ErrorHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { UsageBatcher } from "../gateway/usage-batcher.js";
import { requireGateway } from "./auth.js";
import type { App, AppEnv, Deps, Principal } from "./context.js";
import { ApiError, badRequest } from "./errors.js";
import { UNSTORABLE_MESSAGE, unstorableFields } from "./text-guard.js";
import { zodParams } from "./zod-params.js";

/** What a data-plane handler works with: the app's dependencies and its usage batcher. */
export type DataPlaneDeps = Deps & { usage: UsageBatcher };

/**
 * A route of the gateway's data plane (authorize, usage): a POST whose only input is a JSON body,
 * called by the gateway service on every request it serves. Documented from its `createRoute`
 * config like every other route; served by the data-plane lane (see `DataPlane`).
 */
export type DataPlaneRoute<S extends z.ZodType = z.ZodType> = {
  route: RouteConfig & { method: "post" };
  body: S;
  handle(c: Context<AppEnv>, input: z.infer<S>, deps: DataPlaneDeps): Response | Promise<Response>;
};

export const dataPlaneRoute = <S extends z.ZodType>(r: DataPlaneRoute<S>): DataPlaneRoute<S> => r;

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/** 400 unless the request says its body is JSON. */
export function requireJsonContentType(c: Context): void {
  if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) throw badRequest("Content-Type must be application/json.");
}

/**
 * A JSON body's text, parsed and validated against `schema`, with the same 400 answers as every
 * other route: malformed JSON, text Postgres cannot store (NUL, unpaired surrogates; see
 * `text-guard.ts`), then the schema's issues as `params`.
 */
export function parseJsonBody<T extends z.ZodType>(text: string, schema: T): z.infer<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("Invalid request body: Malformed JSON in request body");
  }
  // Decoded UTF-8 holds neither NUL (JSON forbids it raw) nor a lone surrogate (decoding replaces
  // it): either can only come from a `\u` escape, so text without one needs no walk.
  if (text.includes("\\u")) {
    const unstorable = unstorableFields(body);
    if (unstorable.length > 0) throw badRequest(UNSTORABLE_MESSAGE, unstorable);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(400, "bad_request", "Invalid request body.", { params: zodParams(result.error.issues) });
  return result.data;
}

export type DataPlaneOptions = {
  deps: DataPlaneDeps;
  /** The bearer token's principal (401 when there is none); see `principalResolver`. */
  principal: (c: Context) => Principal | Promise<Principal>;
  maxBodyBytes: number;
  /** The 413 answer. */
  tooLarge: (c: Context) => Response;
  onError: ErrorHandler<AppEnv>;
  /** Called after each answer when request logs are on. */
  logRequest?: (c: Context, res: Response, startedAt: number) => void;
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
  private readonly streamingLimit;

  constructor(
    private readonly app: App,
    private readonly opts: DataPlaneOptions,
  ) {
    this.streamingLimit = bodyLimit({ maxSize: opts.maxBodyBytes, onError: opts.tooLarge });
  }

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
    const { deps, principal, maxBodyBytes, tooLarge } = this.opts;
    const streamingLimit = this.streamingLimit;
    // One async step per request (reading the body); everything else answers synchronously when
    // it can: only a personal token's lookup and the handler's own cache misses add promises.
    const serve = async (c: Context<AppEnv>): Promise<Response> => {
      const p = principal(c);
      requireGateway(p instanceof Promise ? await p : p);
      requireJsonContentType(c);
      return r.handle(c, parseJsonBody(await c.req.text(), r.body), deps);
    };
    return (c) => {
      // Decided from the headers when they say it all; a streamed body is counted as it arrives.
      const length = c.req.header("content-length");
      if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
        return Number(length) > maxBodyBytes ? Promise.resolve(tooLarge(c)) : serve(c);
      }
      return streamingLimit(c, async () => {
        c.res = await serve(c);
      }).then((refused) => (refused instanceof Response ? refused : c.res));
    };
  }
}
