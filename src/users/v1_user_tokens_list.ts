import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { PageQuerySchema, PaginationSchema } from "../http/schemas.js";
import { listTokens } from "./queries.js";
import { toToken, TokenSchema } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ListTokensResponse = z.object({ tokens: z.array(TokenSchema), pagination: PaginationSchema }).openapi("ListTokensResponse");
export type ListTokensResponse = z.infer<typeof ListTokensResponse>;

export const route = createRoute({
  operationId: "listAuthTokens",
  method: "get",
  path: "/v1/user/tokens",
  tags: ["User"],
  summary: "List your personal access tokens",
  description: "Newest first. Secrets are never returned. A team-scoped token lists only the tokens scoped to its team.",
  security: bearerSecurity,
  request: { query: PageQuerySchema },
  responses: { 200: json(ListTokensResponse, "A page of tokens."), ...errorResponses(400, 401, 403) },
});

export const listTokensRoute = apiRoute(route, async (c) => {
  const p = requireUser(c);
  const q = c.req.valid("query");
  const cursor = decodeCursor(q.until);
  const rows = await listTokens(c.get("deps").db, p.user.id, p.token.teamId, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  return c.json({ tokens: page.map(toToken), pagination }, 200);
});
