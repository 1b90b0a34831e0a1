/**
 * Write-time check of a whole rule set (pure, no I/O): is there *any* model for which
 * `resolveModel` would throw `RuleChainInvalidError`?
 *
 * Only a few models need trying. A model that is neither an exact `match.model` nor a rewrite
 * target behaves exactly like every other model of its provider: its first lookup can only hit
 * the provider's `provider/*` rule (or nothing), and no rule can rewrite back to it, so neither
 * the fixed-point nor the cycle check can tell it apart. So it is enough to resolve:
 * - every exact `match.model`,
 * - every rewrite target,
 * - one stand-in per `provider/*` rule, the pattern itself (`provider/*` is never an exact key
 *   nor a rewrite target, and its provider is `provider`); an error found from it reads
 *   "openai/* -> …", i.e. "any openai model".
 * That is at most 2n + n resolutions of at most 11 lookups each for n rules.
 */
import { RuleChainInvalidError, resolveModel, type CompiledRules } from "./resolve.js";

/** The first chain error of the rule set (in rule order), or null when every model resolves. */
export function findChainError(compiled: CompiledRules): RuleChainInvalidError | null {
  const starts = new Set<string>();
  for (const [model, rule] of compiled.exact) {
    starts.add(model);
    if (rule.rewriteModel !== null) starts.add(rule.rewriteModel);
  }
  for (const [provider, rule] of compiled.byProvider) {
    starts.add(`${provider}/*`);
    if (rule.rewriteModel !== null) starts.add(rule.rewriteModel);
  }
  for (const model of starts) {
    try {
      resolveModel(compiled, model);
    } catch (err) {
      if (err instanceof RuleChainInvalidError) return err;
      throw err;
    }
  }
  return null;
}
