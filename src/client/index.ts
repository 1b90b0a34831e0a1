/**
 * Tollgate's typed API client: openapi-fetch over the types generated from openapi.yaml
 * (src/client/schema.ts, `npm run client`). The CLI talks to the API only through it, and it is
 * exported for TypeScript users as `tollgate/client`:
 *
 *   import { createTollgateClient } from "tollgate/client";
 *   const tg = createTollgateClient({ baseUrl: "http://localhost:3000", token: process.env.TOLLGATE_TOKEN });
 *   const { data, error } = await tg.GET("/v1/api-keys", { params: { query: { teamId: "team_…" } } });
 */
import createClient, { type Client, type MethodResponse } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

export type TollgateClient = Client<paths>;
export type Schemas = components["schemas"];
/** The objects as the client returns them (openapi-fetch's read view of the schemas). */
export type ApiKey = MethodResponse<TollgateClient, "get", "/v1/api-keys/{id}">["apiKey"];
export type ApiKeyQuota = ApiKey["quota"];
export type Rule = MethodResponse<TollgateClient, "get", "/v1/ai-gateway/rules/{ruleId}">;
export type ApiError = Schemas["Error"];

export type TollgateClientOptions = {
  /** The server's base URL, e.g. `http://localhost:3000` (no `/v1`). */
  baseUrl: string;
  /** A personal access token (`tgp_…`), the admin token, or another bearer the API accepts. */
  token?: string | undefined;
  /** Extra headers sent with every request (e.g. a user agent). */
  headers?: Record<string, string>;
  /** A custom fetch (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
};

export function createTollgateClient(opts: TollgateClientOptions): TollgateClient {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ""),
    headers,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
