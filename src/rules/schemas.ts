import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { rules } from "../db/schema.js";
import { ErrorSchema } from "../http/errors.js";
import { json } from "../http/openapi.js";
import { Millis } from "../http/schemas.js";
import { matchModelSchema, modelIdSchema } from "./model-id.js";
import type { ResolvableRule } from "./resolve.js";

export type RuleRow = InferSelectModel<typeof rules>;

export const RULE_TYPES = ["rewrite", "deny"] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** A team holds at most this many rules (enabled or not): the list is not paginated. */
export const MAX_RULES_PER_TEAM = 1000;

export const RuleSchema = z
  .object({
    ruleId: z.string().openapi({ example: "rule_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    ownerId: z.string().openapi({ description: "The team id that owns the rule.", example: "team_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    type: z.enum(RULE_TYPES).openapi({ description: "`rewrite` replaces the model; `deny` refuses the request." }),
    match: z
      .object({
        model: z.string().openapi({ description: "An exact model id (`provider/model`) or `provider/*`.", example: "openai/gpt-4o" }),
      })
      .openapi("RuleMatch"),
    action: z
      .object({
        rewriteModel: z.string().nullable().openapi({ description: "The model a rewrite replaces the match with; null for a deny.", example: "openai/gpt-5" }),
        reason: z.string().nullable().openapi({ description: "Why (a deny's reason is reported to the caller); null when not given." }),
      })
      .openapi("RuleAction"),
    enabled: z.boolean().openapi({ description: "Disabled rules are kept and skipped by resolution." }),
    description: z.string().nullable(),
    createdBy: z.string().openapi({ description: "The user id that created the rule." }),
    updatedBy: z.string().openapi({ description: "The user id that last changed the rule (the creator until the first change)." }),
    createdAt: Millis,
    updatedAt: Millis,
  })
  .openapi("Rule");
export type Rule = z.infer<typeof RuleSchema>;

export function toRule(r: RuleRow): Rule {
  return {
    ruleId: r.id,
    ownerId: r.teamId,
    type: r.type,
    match: { model: r.matchModel },
    action: { rewriteModel: r.rewriteModel, reason: r.reason },
    enabled: r.enabled,
    description: r.description,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toResolvable(r: RuleRow): ResolvableRule {
  return { ruleId: r.id, type: r.type, matchModel: r.matchModel, rewriteModel: r.rewriteModel, reason: r.reason, enabled: r.enabled };
}

// ---------------------------------------------------------------------------
// request pieces

export const RuleIdSchema = z.string().min(1).max(64).openapi({ description: "The `rule_…` id.", example: "rule_01jd7y2m3n4p5q6r7s8t9v0w1x" });

export const RuleIdParam = z.object({
  ruleId: RuleIdSchema.openapi({ param: { name: "ruleId", in: "path" } }),
});

/**
 * Text Postgres can store: no U+0000 and no unpaired UTF-16 surrogate (JSON may carry either as an
 * escape). Refused as input (400) rather than failing in the database (500).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isStorableText = (s: string) => !s.includes("\u0000") && !LONE_SURROGATE.test(s);
const STORABLE = "must be valid Unicode text without NUL (U+0000) characters";

export const ReasonSchema = z.string().min(1).max(500).refine(isStorableText, STORABLE).openapi({ description: "1-500 characters." });
export const DescriptionSchema = z
  .string()
  .max(500)
  .refine(isStorableText, STORABLE)
  .openapi({ description: "Up to 500 characters, returned as given." });

export const RuleActionInput = z
  .strictObject({
    rewriteModel: modelIdSchema
      .nullable()
      .optional()
      .openapi({ description: "Required for a rewrite (a `provider/model` id, never a wildcard); absent or null for a deny." }),
    reason: ReasonSchema.nullable().optional().openapi({ description: "Optional; a deny's reason is reported when it refuses a request." }),
  })
  .openapi("RuleActionInput");
export type RuleActionInput = z.infer<typeof RuleActionInput>;

export const RuleMatchInput = z.strictObject({ model: matchModelSchema }).openapi("RuleMatchInput");

/** The fields a PATCH may change (with `ruleId` in the body for the Vercel-style route). */
export const RulePatchFields = {
  enabled: z.boolean().optional().openapi({ description: "Enable or disable. Enabling is 409 when another enabled rule has the same `match.model`." }),
  description: DescriptionSchema.nullable().optional().openapi({ description: "New description; null clears it." }),
  action: RuleActionInput.optional().openapi({
    description: "Replaces the whole action (a field left out becomes null), re-validated against the rule's type.",
  }),
};
export type RulePatch = { enabled?: boolean | undefined; description?: string | null | undefined; action?: RuleActionInput | undefined };

/**
 * The 400 entry of routes that can answer `rule_chain_invalid` as well as `bad_request` (the shared
 * `errorResponses` describes `bad_request` only).
 */
export const chainError400 = (what: string) => ({
  400: json(
    ErrorSchema,
    "Invalid input (`bad_request`, with `params` naming each offending field), or `rule_chain_invalid` (with `kind` " +
      "`cycle`|`too_many_hops` and the `chain` of models): " +
      what,
  ),
});
