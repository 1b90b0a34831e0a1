import { z } from "@hono/zod-openapi";
import { Millis } from "../http/schemas.js";

export const QuotaSummarySchema = z
  .object({
    scope: z.enum(["api_key", "team", "project", "user"]),
    scopeId: z.string().openapi({ description: "The key, team, project or user id the budget counts." }),
    quotaEntityId: z.string().openapi({ example: "api_key_id_key_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    limitAmount: z.number().openapi({ description: "US dollars." }),
    currentSpend: z.number().openapi({ description: "Spend counted against the limit this period (BYOK included only when the budget says so)." }),
    remaining: z.number().openapi({ description: "max(0, limitAmount - currentSpend)." }),
    enforced: z.boolean().openapi({ description: "False for a paused (`active: false`) or archived key budget." }),
    enforcement: z.enum(["soft", "hard"]).openapi({ description: "`hard`: requests reserve their worst case and the limit is a cap." }),
    reserved: z.number().openapi({
      description:
        "US dollars gateway instances hold of this hard budget (their leases: requests in flight and the unused rest), as of the last lease change this instance learned of; 0 for soft budgets.",
    }),
    periodEnd: Millis.nullable(),
  })
  .openapi("QuotaSummary");
