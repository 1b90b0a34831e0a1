import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { projects } from "../db/schema.js";
import { Millis } from "../http/schemas.js";

export const ProjectSchema = z
  .object({
    id: z.string().openapi({ example: "prj_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    teamId: z.string(),
    name: z.string().openapi({ example: "storefront" }),
    createdAt: Millis,
    createdBy: z.string().openapi({ description: "The user id that created it." }),
  })
  .openapi("Project");

export const toProject = (p: InferSelectModel<typeof projects>) => ({
  id: p.id,
  teamId: p.teamId,
  name: p.name,
  createdAt: p.createdAt,
  createdBy: p.createdBy,
});
