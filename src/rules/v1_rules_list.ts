import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { TeamQuerySchema } from "../http/schemas.js";
import { listRules } from "./queries.js";
import { MAX_RULES_PER_TEAM, RuleSchema, toRule } from "./schemas.js";
import { apiRoute } from "../http/route.js";

export const ListRulesQuery = TeamQuerySchema.extend({
  includeDisabled: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true` lists disabled rules too; by default only enabled rules are listed.", example: "true" }),
});

export const ListRulesResponse = z.object({ rules: z.array(RuleSchema) }).openapi("ListRulesResponse");
export type ListRulesResponse = z.infer<typeof ListRulesResponse>;

export const route = createRoute({
  operationId: "listRules",
  method: "get",
  path: "/v1/ai-gateway/rules",
  tags: ["Routing rules"],
  summary: "List routing rules",
  description:
    `Any member. Oldest first. Vercel's shape \`{rules}\`: every rule of the team in one answer, not paginated (a team holds at most ${MAX_RULES_PER_TEAM} rules). ` +
    "Enabled rules only, unless `includeDisabled=true`.",
  security: bearerSecurity,
  request: { query: ListRulesQuery },
  responses: { 200: json(ListRulesResponse, "The team's rules."), ...errorResponses(400, 401, 403) },
});

export const listRulesRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const rows = await listRules(c.get("deps").db, scope.team.id, q.includeDisabled === "true");
  return c.json({ rules: rows.map(toRule) }, 200);
});
