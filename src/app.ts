import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { Context, ErrorHandler } from "hono";
import { principalResolver } from "./http/auth.js";
import { bodyLimiter, requestHeaders } from "./http/body-limit.js";
import { DataPlane } from "./http/data-plane.js";
import type { App, AppEnv, Deps } from "./http/context.js";
import { ApiError, apiErrorOf, errorOfStatus } from "./http/errors.js";
import { zodParams } from "./http/zod-params.js";
import { idempotency } from "./http/idempotency.js";
import { rejectUnstorableText } from "./http/text-guard.js";
import { randomUUID } from "node:crypto";
import { UsageBatcher } from "./gateway/usage-batcher.js";
import { RateLimits } from "./ratelimit/limits.js";
import { createOidc } from "./oidc/service.js";
import { registerRoutes } from "./routes.js";
import { metricsForRoute } from "./ops/metrics.js";
import { registerOpsRoutes } from "./ops/routes.js";
import { registerDashboard } from "./dashboard/routes.js";
import { withUnavailable } from "./ops/openapi.js";

export const MAX_BODY_BYTES = 64 * 1024;

const TARGET_TEXT: Record<string, string> = {
  json: "Invalid request body.",
  query: "Invalid query parameters.",
  param: "Invalid path parameters.",
  header: "Invalid headers.",
};

/** Builds the HTTP application from its dependencies; starts nothing. */
export function createApp(deps: Deps): App {
  // Request ids: 64 random bits per process start and a counter, sortable within a start; no
  // randomness needed per request. A gateway request's id is also its usage record's (unique per
  // team): the answer's `x-request-id`, the log line and the usage row name it alike.
  const idPrefix = `req_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  let seq = 0;
  const requestId = (c: Context): string => {
    let id = c.get("requestId") as string | undefined;
    if (id === undefined) {
      id = `${idPrefix}${(++seq).toString(36).padStart(8, "0")}`;
      c.set("requestId", id);
    }
    return id;
  };

  /**
   * Every error answer, in the envelope. Every answer carries `x-request-id` (to quote to an
   * operator, who finds it in the request log): errors here, the management API's answers in its
   * middleware, the data plane's in its handlers.
   */
  const render = (c: Context, err: ApiError) => {
    c.header("x-request-id", requestId(c));
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    // The client has gone: nobody reads this answer; its status is for the request log.
    if (err.status === 499) return new Response(null, { status: err.status, headers: { "x-request-id": requestId(c) } });
    return c.json(err.toBody(), err.status);
  };

  /** Any HTTPException (hono's, a middleware's) answers its own status, with that status's code. */
  const onError: ErrorHandler<AppEnv> = (err, c) => {
    if (err instanceof ApiError) return render(c, err);
    if (err instanceof HTTPException) {
      const malformed = err.status === 400 && (/json/i.test(err.message) || /content-type/i.test(err.message));
      return render(c, errorOfStatus(err.status, malformed ? `Invalid request body: ${err.message}` : err.message));
    }
    return render(c, apiErrorOf(err, deps.log.child({ requestId: requestId(c) }), c.req.path));
  };

  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const err = new ApiError("bad_request", TARGET_TEXT[result.target] ?? "Invalid request.", {
          params: zodParams(result.error.issues as never),
        });
        return render(c, err);
      }
    },
  });

  const logRequests = deps.log.enabled("info");
  const logRequest = (c: Context, res: Response, started: number) =>
    deps.log.info("request", {
      requestId: requestId(c),
      method: c.req.method,
      path: c.req.path,
      status: res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  const tooLarge = (c: Context) => render(c, new ApiError("payload_too_large", `Request body is over ${MAX_BODY_BYTES / 1024} KiB.`));
  const limit = bodyLimiter(MAX_BODY_BYTES, tooLarge);
  const oidc = createOidc(deps);
  const principal = principalResolver(deps, { external: oidc.external });

  // The gateway's data plane (authorize, usage) is served ahead of everything below.
  const usage = new UsageBatcher(deps);
  usageBatchers.set(app, usage);
  const dataPlane = new DataPlane(app, {
    deps: { ...deps, usage, rateLimits: deps.rateLimits ?? RateLimits.memory(), tokens: oidc.tokens, requestId },
    principal,
    limit,
    onError,
    logRequest: logRequests ? logRequest : undefined,
    metricsFor: metricsForRoute,
  });

  // Every management request: its context, the body size limit, the unstorable-text check, the
  // request log.
  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("deps", deps);
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") {
      await rejectUnstorableText(c);
      await next();
    } else {
      const refused = await limit(c, requestHeaders(c), async () => {
        await rejectUnstorableText(c);
        await next();
      });
      if (refused instanceof Response) c.res = refused;
    }
    c.header("x-request-id", requestId(c));
    if (logRequests) logRequest(c, c.res, started);
    const matched = c.req.matchedRoutes[c.req.matchedRoutes.length - 1];
    metricsForRoute(matched && matched.method !== "ALL" ? matched.path : "unmatched").observe(c.res.status, performance.now() - started);
  });

  app.onError(onError);

  app.notFound((c) => {
    const allowed = methodsFor(app, c.req.path).filter((m) => m !== c.req.method);
    if (allowed.length > 0) {
      return render(
        c,
        new ApiError("method_not_allowed", `${c.req.method} is not supported on ${c.req.path}.`, { allowed }, { allow: allowed.join(", ") }),
      );
    }
    return render(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`));
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerToken", {
    type: "http",
    scheme: "bearer",
    description:
      "A personal access token (`tgp_…`), the instance admin token (`TOLLGATE_ADMIN_TOKEN`, /v1/admin only), the gateway service token (`TOLLGATE_GATEWAY_TOKEN`, /v1/gateway only), or a JWT of a trusted external OIDC issuer (`TOLLGATE_TRUSTED_ISSUERS`: its team's endpoints, with the configured role).",
  });

  // Auth, then Idempotency-Key (the data plane has its own idempotency: `requestId` on usage;
  // authorize is a read).
  app.use("/v1/*", async (c, next) => {
    const p = principal(c.req.header("authorization"), c.req.path);
    c.set("principal", p instanceof Promise ? await p : p);
    const replayed = await idempotency(c, next);
    if (replayed instanceof Response) c.res = replayed;
  });
  registerRoutes(app, dataPlane);
  dataPlane.mount();
  dataPlanes.set(app, dataPlane);

  app.get("/openapi.json", (c) => c.json(withUnavailable(app.getOpenAPI31Document(openApiConfig()))));
  registerOpsRoutes(app, deps, render);
  registerDashboard(app, deps);
  return app;
}

export function openApiConfig() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Tollgate API",
      version: "0.1.0",
      description:
        "Self-hosted control plane for AI gateways: gateway API keys with budgets, routing rules, BYOK credentials and revocation. " +
        "Shapes follow Vercel's AI Gateway REST API. JSON in and out; timestamps are milliseconds since the Unix epoch; money is US dollars " +
        "(stored as integer micro-dollars). Every error is `{\"error\": {\"code\", \"message\", ...}}`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "This Tollgate instance (same origin as this document)" }],
  };
}

const dataPlanes = new WeakMap<App, DataPlane>();
const usageBatchers = new WeakMap<App, UsageBatcher>();

/** The app's usage batcher (shutdown waits for it to be idle). */
export function usageBatcherOf(app: App): UsageBatcher | undefined {
  return usageBatchers.get(app);
}

/** Every (method, path) the app serves, the data plane's included (`:param` path syntax). */
export function servedRoutes(app: App): { method: string; path: string }[] {
  return [...app.routes.filter((r) => r.method !== "ALL"), ...(dataPlanes.get(app)?.served() ?? [])];
}

type RouteInfo = { method: string; re: RegExp };
const routeCache = new WeakMap<object, RouteInfo[]>();

/** Methods registered for a concrete path (for 405 and its `Allow` header). */
function methodsFor(app: App, path: string): string[] {
  let routes = routeCache.get(app);
  if (!routes) {
    routes = servedRoutes(app).map((r) => ({
        method: r.method,
        re: new RegExp("^" + r.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+") + "/?$"),
      }));
    routeCache.set(app, routes);
  }
  return [...new Set(routes.filter((r) => r.re.test(path)).map((r) => r.method))];
}
