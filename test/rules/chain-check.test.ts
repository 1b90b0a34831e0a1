import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findChainError } from "../../src/rules/chain-check.js";
import { RuleChainInvalidError, compileRules, resolveModel, type ResolvableRule } from "../../src/rules/resolve.js";

const rw = (ruleId: string, matchModel: string, rewriteModel: string): ResolvableRule => ({
  ruleId,
  type: "rewrite",
  matchModel,
  rewriteModel,
  reason: null,
  enabled: true,
});
const deny = (ruleId: string, matchModel: string): ResolvableRule => ({
  ruleId,
  type: "deny",
  matchModel,
  rewriteModel: null,
  reason: null,
  enabled: true,
});
const check = (rules: ResolvableRule[]) => findChainError(compileRules(rules));

describe("findChainError", () => {
  it("null for no rules, a plain chain, denies and fixed points", () => {
    expect(check([])).toBeNull();
    expect(check([rw("1", "p/a", "p/b"), rw("2", "p/b", "q/c"), deny("3", "q/*")])).toBeNull();
    expect(check([rw("1", "openai/*", "openai/gpt-5")])).toBeNull();
    expect(check([rw("1", "p/a", "p/a")])).toBeNull();
  });

  it("finds a cycle between exact rules", () => {
    const err = check([rw("1", "p/a", "p/b"), rw("2", "p/b", "p/a")]);
    expect(err).toBeInstanceOf(RuleChainInvalidError);
    expect(err!.kind).toBe("cycle");
    expect(err!.chain).toEqual(["p/a", "p/b", "p/a"]);
  });

  it("finds a cycle only reachable from a model no rule names (through a provider wildcard)", () => {
    // q/x -> p/y -> (p/*) q/x: starting from any p model other than p/y
    const err = check([rw("1", "p/*", "q/x"), rw("2", "q/x", "p/y")]);
    expect(err).not.toBeNull();
    expect(err!.kind).toBe("cycle");
  });

  it("finds an 11th hop, and accepts 10", () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => rw(`h${i}`, `p/m${i}`, `p/m${i + 1}`));
    expect(check(chain(10))).toBeNull();
    const err = check(chain(11));
    expect(err!.kind).toBe("too_many_hops");
    expect(err!.chain[0]).toBe("p/m0");
  });

  it("an 11th hop that starts from any model of a provider is reported from `provider/*`", () => {
    const rules = [rw("w", "z/*", "p/m0"), ...Array.from({ length: 10 }, (_, i) => rw(`h${i}`, `p/m${i}`, `p/m${i + 1}`))];
    const err = check(rules);
    expect(err!.kind).toBe("too_many_hops");
    expect(err!.chain[0]).toBe("z/*");
    expect(() => resolveModel(compileRules(rules), "z/anything")).toThrow(RuleChainInvalidError);
  });

  it("a deny on the chain breaks the cycle; disabled rules do not count", () => {
    expect(check([rw("1", "p/a", "p/b"), deny("2", "p/b"), rw("3", "p/*", "p/a")])).toBeNull();
    expect(check([rw("1", "p/a", "p/b"), { ...rw("2", "p/b", "p/a"), enabled: false }])).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// property: findChainError is null exactly when no model at all makes resolveModel throw

const PROVIDERS = ["openai", "anthropic", "google"] as const;
const MODELS = PROVIDERS.flatMap((p) => ["a", "b", "c", "d"].map((m) => `${p}/${m}`));
const PATTERNS = [...MODELS, ...PROVIDERS.map((p) => `${p}/*`)];
/** Every model that can behave differently: the named ones plus one no rule names, per provider. */
const UNIVERSE = [...MODELS, ...PROVIDERS.map((p) => `${p}/unnamed`), "mistral/a"];

const ruleArb: fc.Arbitrary<Omit<ResolvableRule, "ruleId">> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant("rewrite" as const),
      matchModel: fc.constantFrom(...PATTERNS),
      rewriteModel: fc.constantFrom(...MODELS),
      reason: fc.constant(null),
      enabled: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("deny" as const),
      matchModel: fc.constantFrom(...PATTERNS),
      rewriteModel: fc.constant(null),
      reason: fc.constant(null),
      enabled: fc.boolean(),
    }),
  },
);

const throwsFor = (rules: ResolvableRule[], model: string) => {
  try {
    resolveModel(compileRules(rules), model);
    return false;
  } catch (e) {
    if (e instanceof RuleChainInvalidError) return true;
    throw e;
  }
};

/**
 * At most one rule per pattern, each pattern independently: nothing, a deny, or a rewrite to a
 * random model (like a team's enabled rules, which the unique index keeps to one per pattern).
 * Dense like this, about half the sets hold a cycle or a long chain.
 */
const densePerPatternArb = fc
  .tuple(...PATTERNS.map(() => fc.oneof(fc.constant<string | null>(null), fc.constant("deny"), fc.constantFrom(...MODELS), fc.constantFrom(...MODELS))))
  .map((choices) =>
    choices.flatMap((c, i): Omit<ResolvableRule, "ruleId">[] =>
      c === null
        ? []
        : c === "deny"
          ? [{ type: "deny", matchModel: PATTERNS[i]!, rewriteModel: null, reason: null, enabled: true }]
          : [{ type: "rewrite", matchModel: PATTERNS[i]!, rewriteModel: c, reason: null, enabled: true }],
    ),
  );

describe("findChainError properties", () => {
  it("reports an error exactly when some model fails to resolve, and that model does fail", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(ruleArb, { maxLength: 20, size: "max" }), densePerPatternArb), (specs) => {
        const rules = specs.map((s, i) => ({ ...s, ruleId: `r${i}` }));
        const err = findChainError(compileRules(rules));
        const failing = UNIVERSE.filter((m) => throwsFor(rules, m));
        expect(err === null).toBe(failing.length === 0);
        if (err) {
          const start = err.chain[0]!;
          const witness = start.endsWith("/*") ? `${start.slice(0, -2)}/unnamed` : start;
          expect(throwsFor(rules, witness)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
