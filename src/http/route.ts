import { defineOpenAPIRoute, type OpenAPIRoute, type RouteConfig } from "@hono/zod-openapi";
import type { AppEnv } from "./context.js";

/**
 * One route of the management API: its `createRoute` config and its handler, registered with the
 * others in `src/routes.ts` (one list, `app.openapiRoutes`). A route file exports one of these
 * per route and registers nothing itself; what a route needs at request time (the database, the
 * config, the clock) comes from the context's `deps`.
 */
export type ApiRoute = OpenAPIRoute<RouteConfig, AppEnv>;

/** A route of the management API (see `ApiRoute`); the handler is typed by the route's schemas. */
export const apiRoute = <R extends RouteConfig>(route: R, handler: OpenAPIRoute<R, AppEnv>["handler"]): ApiRoute =>
  defineOpenAPIRoute<R, AppEnv>({ route, handler }) as unknown as ApiRoute;
