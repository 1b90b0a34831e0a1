import { and, asc, eq } from "drizzle-orm";
import { aiGatewayRuleFromJSON } from "@vercel/sdk/models/aigatewayrule.js";
import { aiGatewayRuleListFromJSON } from "@vercel/sdk/models/aigatewayrulelist.js";
import { auditEvents, rules } from "../../src/db/schema.js";
import { newId } from "../../src/lib/ids.js";
import type { TeamFx } from "../helpers/fixtures.js";
import { getHarness } from "../helpers/harness.js";

export const RULES = "/v1/ai-gateway/rules";

/** Whether the official `@vercel/sdk` client's strict parser accepts a rules list answer. */
export function sdkParsesRuleList(body: unknown): boolean {
  return aiGatewayRuleListFromJSON(JSON.stringify(body)).ok;
}

export const RULE_KEYS = [
  "action",
  "createdAt",
  "createdBy",
  "description",
  "enabled",
  "match",
  "ownerId",
  "ruleId",
  "type",
  "updatedAt",
  "updatedBy",
];

/** Asserts a response body is a Rule the official @vercel/sdk parses, with exactly the contract's fields. */
export function expectRuleShape(body: unknown) {
  const parsed = aiGatewayRuleFromJSON(JSON.stringify(body));
  if (!parsed.ok) throw new Error(`@vercel/sdk refused the rule: ${String(parsed.error)}\n${JSON.stringify(body)}`);
  const keys = Object.keys(body as object).sort();
  if (JSON.stringify(keys) !== JSON.stringify(RULE_KEYS)) throw new Error(`unexpected Rule keys: ${keys.join(",")}`);
  const r = body as { match: object; action: object };
  if (JSON.stringify(Object.keys(r.match)) !== '["model"]') throw new Error("match keys");
  if (JSON.stringify(Object.keys(r.action).sort()) !== '["reason","rewriteModel"]') throw new Error("action keys");
}

export async function db() {
  return (await getHarness()).database.db;
}

export async function ruleRows(teamId: string) {
  return (await db()).select().from(rules).where(eq(rules.teamId, teamId)).orderBy(asc(rules.id));
}

export async function ruleRow(ruleId: string) {
  const [row] = await (await db()).select().from(rules).where(eq(rules.id, ruleId));
  return row;
}

export async function auditRows(teamId: string, action?: string) {
  return (await db())
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.teamId, teamId), action ? eq(auditEvents.action, action) : undefined))
    .orderBy(asc(auditEvents.id));
}

export async function ruleAuditRows(teamId: string) {
  return (await auditRows(teamId)).filter((e) => e.action.startsWith("rule."));
}

/** Inserts rules straight into the database, bypassing the API's checks (for invalid sets). */
export async function insertRulesDirectly(
  team: TeamFx,
  specs: { type: "rewrite" | "deny"; matchModel: string; rewriteModel?: string | null; enabled?: boolean }[],
) {
  const now = Date.now();
  const values = specs.map((s) => ({
    id: newId("rule"),
    teamId: team.id,
    type: s.type,
    matchModel: s.matchModel,
    rewriteModel: s.rewriteModel ?? null,
    reason: null,
    enabled: s.enabled ?? true,
    description: null,
    createdBy: team.owner.id,
    updatedBy: team.owner.id,
    createdAt: now,
    updatedAt: now,
  }));
  return (await db()).insert(rules).values(values).returning();
}

export const rewrite = (match: string, to: string, extra: Record<string, unknown> = {}) => ({
  type: "rewrite" as const,
  match: { model: match },
  action: { rewriteModel: to, ...extra },
});
export const deny = (match: string, reason?: string) => ({
  type: "deny" as const,
  match: { model: match },
  ...(reason === undefined ? {} : { action: { reason } }),
});
