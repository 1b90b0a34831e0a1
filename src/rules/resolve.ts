/**
 * Pure routing-rule resolver (no database, no I/O).
 *
 * Semantics (product contract):
 * - For the current model, the matching *enabled* rule is looked up; an exact
 *   `match.model` beats a `provider/*` match (provider = text before the
 *   first `/`). Disabled rules are ignored entirely.
 * - `deny` anywhere on the chain denies: resolution stops at that model and
 *   reports the deny rule's id and reason.
 * - `rewrite` rules chain: apply, then look up the new model, and so on, for
 *   at most MAX_REWRITE_HOPS (10) applied rewrites. Needing an 11th hop, or
 *   a cycle, is a configuration error (`rule_chain_invalid`), thrown as
 *   RuleChainInvalidError.
 *
 * Design choice — fixed points: a rewrite whose target equals the *current*
 * model (e.g. `openai/*` -> `openai/gpt-5`, looked up again once the current
 * model is `openai/gpt-5`, or an exact self-rewrite) is a fixed point: the
 * chain stops there and that rule is NOT applied again (it does not appear a
 * second time in appliedRuleIds and costs no hop). This is what makes a
 * provider-wide rewrite to a model of the same provider usable. A *cycle* is
 * returning to a model seen earlier in the chain through a different model
 * (A -> B -> A).
 *
 * Precedence of errors: when the hop that would be the 11th also returns to
 * an earlier model, it is reported as "cycle" (the more specific diagnosis).
 * A deny or a fixed point reached after exactly 10 hops is fine.
 *
 * Duplicate enabled rules with the same matchModel should be prevented by
 * findConflict at write time; if present anyway, the first one in input
 * order wins (deterministic; callers should pass rules in a stable order).
 */
import { isProviderWildcard, providerOf } from "./model-id.js";

export type ResolvableRule = {
  ruleId: string;
  type: "rewrite" | "deny";
  matchModel: string;
  rewriteModel: string | null;
  reason: string | null;
  enabled: boolean;
};

export type Resolution = {
  /** The model the client asked for. */
  requestedModel: string;
  /** The final model (when denied: the model at which the deny matched). */
  model: string;
  /** Applied rewrite rule ids in order, then the deny rule id last when denied. */
  appliedRuleIds: string[];
  denied: { ruleId: string; reason: string | null } | null;
};

export const MAX_REWRITE_HOPS = 10;

export class RuleChainInvalidError extends Error {
  /** Stable error code for the API layer. */
  readonly code = "rule_chain_invalid" as const;

  /**
   * @param kind  "cycle" (returned to an earlier model) or "too_many_hops"
   *              (an 11th rewrite would be needed)
   * @param chain the models visited, starting with the requested model and
   *              ending with the offending rewrite target
   */
  constructor(
    readonly kind: "cycle" | "too_many_hops",
    readonly chain: string[],
  ) {
    super(
      kind === "cycle"
        ? `routing rules form a cycle: ${chain.join(" -> ")}`
        : `routing rules need more than ${MAX_REWRITE_HOPS} rewrite hops: ${chain.join(" -> ")}`,
    );
    this.name = "RuleChainInvalidError";
  }
}

/** Internal, pre-digested form of an enabled rule. */
type CompiledRule =
  | { readonly ruleId: string; readonly type: "deny"; readonly reason: string | null; readonly rewriteModel: null }
  | { readonly ruleId: string; readonly type: "rewrite"; readonly reason: string | null; readonly rewriteModel: string };

/**
 * A team's enabled rules, indexed for resolution. Build once per rule-set
 * (e.g. cache it keyed by the rule-set version) and resolve many times.
 */
export type CompiledRules = {
  /** exact matchModel -> rule */
  readonly exact: ReadonlyMap<string, CompiledRule>;
  /** provider (from `provider/*`) -> rule */
  readonly byProvider: ReadonlyMap<string, CompiledRule>;
};

export function compileRules(rules: readonly ResolvableRule[]): CompiledRules {
  const exact = new Map<string, CompiledRule>();
  const byProvider = new Map<string, CompiledRule>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    let compiled: CompiledRule;
    if (rule.type === "rewrite") {
      if (rule.rewriteModel === null || rule.rewriteModel === "") {
        throw new TypeError(`rewrite rule ${rule.ruleId} has no rewriteModel`);
      }
      compiled = { ruleId: rule.ruleId, type: "rewrite", reason: rule.reason, rewriteModel: rule.rewriteModel };
    } else {
      compiled = { ruleId: rule.ruleId, type: "deny", reason: rule.reason, rewriteModel: null };
    }
    if (isProviderWildcard(rule.matchModel)) {
      const provider = rule.matchModel.slice(0, -2);
      if (!byProvider.has(provider)) byProvider.set(provider, compiled);
    } else if (!exact.has(rule.matchModel)) {
      exact.set(rule.matchModel, compiled);
    }
  }
  return { exact, byProvider };
}

function lookup(compiled: CompiledRules, model: string): CompiledRule | undefined {
  const hit = compiled.exact.get(model);
  if (hit !== undefined) return hit;
  if (compiled.byProvider.size === 0) return undefined;
  const provider = providerOf(model);
  return provider === null ? undefined : compiled.byProvider.get(provider);
}

/**
 * Resolve `model` against the compiled rules.
 * @throws RuleChainInvalidError on a rewrite cycle or more than 10 rewrite hops.
 */
export function resolveModel(compiled: CompiledRules, model: string): Resolution {
  const appliedRuleIds: string[] = [];
  // Models visited so far, only materialised once a rewrite is applied
  // (the common no-rule / single-deny path allocates nothing extra).
  let chain: string[] | null = null;
  let current = model;

  for (;;) {
    const rule = lookup(compiled, current);
    if (rule === undefined) {
      return { requestedModel: model, model: current, appliedRuleIds, denied: null };
    }
    if (rule.type === "deny") {
      appliedRuleIds.push(rule.ruleId);
      return {
        requestedModel: model,
        model: current,
        appliedRuleIds,
        denied: { ruleId: rule.ruleId, reason: rule.reason },
      };
    }
    const target = rule.rewriteModel;
    // Fixed point: rewriting to the current model is a no-op, not a cycle.
    if (target === current) {
      return { requestedModel: model, model: current, appliedRuleIds, denied: null };
    }
    if (chain === null) chain = [model];
    // chain holds at most MAX_REWRITE_HOPS + 1 entries: a linear scan is cheapest.
    if (chain.includes(target)) {
      chain.push(target);
      throw new RuleChainInvalidError("cycle", chain);
    }
    if (appliedRuleIds.length >= MAX_REWRITE_HOPS) {
      chain.push(target);
      throw new RuleChainInvalidError("too_many_hops", chain);
    }
    appliedRuleIds.push(rule.ruleId);
    chain.push(target);
    current = target;
  }
}

/**
 * An *enabled* rule, other than `candidate` (compared by ruleId), with the
 * same matchModel — i.e. the rule that makes creating or re-enabling
 * `candidate` a 409 conflict. The candidate's own `enabled` flag is not
 * consulted: call this when the candidate is about to be (or stay) enabled.
 */
export function findConflict(
  rules: readonly ResolvableRule[],
  candidate: Pick<ResolvableRule, "ruleId" | "matchModel">,
): ResolvableRule | undefined {
  return rules.find(
    (r) => r.enabled && r.ruleId !== candidate.ruleId && r.matchModel === candidate.matchModel,
  );
}

const resolutions = new WeakMap<CompiledRules, Map<string, Resolution | RuleChainInvalidError>>();
/** Models remembered per rule set at most (the gateway sends few distinct models; this bounds the rest). */
const MAX_REMEMBERED = 1024;

/**
 * `resolveModel`, remembered per compiled rule set and model: a team's compiled rules are replaced
 * whenever its rules change, so an answer is never older than the rules. The answer is shared:
 * callers must not modify it.
 * @throws RuleChainInvalidError as `resolveModel` does.
 */
export function resolveModelCached(compiled: CompiledRules, model: string): Resolution {
  let known = resolutions.get(compiled);
  if (known === undefined) {
    known = new Map();
    resolutions.set(compiled, known);
  }
  let r = known.get(model);
  if (r === undefined) {
    try {
      r = resolveModel(compiled, model);
    } catch (err) {
      if (!(err instanceof RuleChainInvalidError)) throw err;
      r = err;
    }
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(model, r);
  }
  if (r instanceof RuleChainInvalidError) throw r;
  return r;
}
