import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { teams, tokens, users } from "../db/schema.js";
import { ROLES } from "../db/schema.js";
import { Millis } from "../http/schemas.js";

export const EmailSchema = z
  .string()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email("must be an email address"))
  .openapi({ type: "string", format: "email", example: "ada@example.com" });

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "user_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    email: z.string(),
    name: z.string().nullable(),
    createdAt: Millis,
  })
  .openapi("User");

export const RoleSchema = z.enum(ROLES).openapi({
  description: "OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.",
});

export const TeamSchema = z
  .object({
    id: z.string().openapi({ example: "team_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    slug: z.string().openapi({ example: "acme" }),
    name: z.string().openapi({ example: "Acme" }),
    createdAt: Millis,
  })
  .openapi("Team");

export const TeamWithRoleSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), role: RoleSchema })
  .openapi("TeamMembership");

export const TokenSchema = z
  .object({
    id: z.string().openapi({ example: "tok_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    name: z.string(),
    teamId: z.string().nullable().openapi({ description: "The one team this token may act on; null for every team of its user." }),
    expiresAt: Millis.nullable(),
    createdAt: Millis,
    activeAt: Millis.openapi({ description: "Last use (updated at most once a minute)." }),
  })
  .openapi("AuthToken");

export const toUser = (u: InferSelectModel<typeof users>) => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt });
export const toTeam = (t: InferSelectModel<typeof teams>) => ({ id: t.id, slug: t.slug, name: t.name, createdAt: t.createdAt });
export const toToken = (t: InferSelectModel<typeof tokens>) => ({
  id: t.id,
  name: t.name,
  teamId: t.teamId,
  expiresAt: t.expiresAt,
  createdAt: t.createdAt,
  activeAt: t.activeAt,
});
