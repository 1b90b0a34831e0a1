import { createRoute, z } from "@hono/zod-openapi";
import { resolveTeamScope } from "../http/auth.js";
import { errorResponses } from "../http/errors.js";
import { bearerSecurity, json } from "../http/openapi.js";
import { decodeCursor, paginate } from "../http/pagination.js";
import { Millis, PageQuerySchema, PaginationSchema, TeamQuerySchema } from "../http/schemas.js";
import { apiRoute } from "../http/route.js";
import { listAuditEvents } from "./queries.js";

export const AuditEventSchema = z
  .object({
    id: z.string().openapi({ example: "evt_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    actor: z.object({
      type: z.enum(["user", "admin", "gateway", "system", "external"]),
      id: z.string(),
      issuer: z.string().optional().openapi({ description: "`external` actors (a trusted OIDC issuer's workload): the token's `iss`." }),
      subject: z.string().optional().openapi({ description: "`external` actors: the token's `sub`." }),
    }),
    action: z.string().openapi({ example: "api_key.create" }),
    target: z.object({ type: z.string(), id: z.string() }),
    data: z.record(z.string(), z.unknown()).openapi({ description: "Details of the change; never a secret." }),
    createdAt: Millis,
  })
  .openapi("AuditEvent");

export const ListAuditResponse = z.object({ events: z.array(AuditEventSchema), pagination: PaginationSchema }).openapi("ListAuditEventsResponse");
export type ListAuditResponse = z.infer<typeof ListAuditResponse>;

export const route = createRoute({
  operationId: "listAuditEvents",
  method: "get",
  path: "/v1/audit-log",
  tags: ["Audit"],
  summary: "The team's audit log",
  description:
    "Any member. Every mutation (keys, budgets, rules, members, projects, leaks) and every `quota.threshold` alert, newest first. Written in the same transaction as the change it records.",
  security: bearerSecurity,
  request: { query: TeamQuerySchema.extend(PageQuerySchema.shape) },
  responses: { 200: json(ListAuditResponse, "A page of events."), ...errorResponses(400, 401, 403) },
});

export const listAuditRoute = apiRoute(route, async (c) => {
  const q = c.req.valid("query");
  const scope = await resolveTeamScope(c, q, "read");
  const cursor = decodeCursor(q.until);
  const rows = await listAuditEvents(c.get("deps").db, scope.team.id, cursor, q.limit + 1);
  const { page, pagination } = paginate(rows, q.limit);
  return c.json(
    {
      events: page.map((e) => ({
        id: e.id,
        actor: actorView(e.actorType, e.actorId),
        action: e.action,
        target: { type: e.targetType, id: e.targetId },
        data: e.data,
        createdAt: e.createdAt,
      })),
      pagination,
    },
    200,
  );
});

/** An `external` actor's id is `<issuer>#<subject>` (an issuer URL has no fragment): both are shown. */
function actorView(type: string, id: string) {
  const hash = id.indexOf("#");
  if (type === "external" && hash > 0) return { type: "external" as const, id, issuer: id.slice(0, hash), subject: id.slice(hash + 1) };
  return { type: type as "user", id };
}
