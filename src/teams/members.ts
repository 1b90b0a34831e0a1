import { z } from "@hono/zod-openapi";
import { Millis } from "../http/schemas.js";
import { RoleSchema } from "../users/schemas.js";

export const TeamPathSchema = z.object({
  teamId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "teamId", in: "path" }, description: "The team's id (`team_…`) or slug.", example: "team_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
});

export const MemberPathSchema = TeamPathSchema.extend({
  userId: z.string().min(1).max(64).openapi({ param: { name: "userId", in: "path" }, example: "user_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
});

/** `{teamId}` in a path accepts the id or the slug. */
export const teamRef = (v: string) => (v.startsWith("team_") ? { teamId: v } : { slug: v });

export const MemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: RoleSchema,
    createdAt: Millis.openapi({ description: "When the user joined the team." }),
  })
  .openapi("TeamMember");
