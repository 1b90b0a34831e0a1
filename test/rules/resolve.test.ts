import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  MAX_REWRITE_HOPS,
  RuleChainInvalidError,
  compileRules,
  findConflict,
  resolveModel,
  type ResolvableRule,
  type Resolution,
} from "../../src/rules/resolve.js";
import {
  isProviderWildcard,
  matchModelSchema,
  modelIdSchema,
  providerOf,
} from "../../src/rules/model-id.js";

// ---------------------------------------------------------------------------
// helpers

let seq = 0;
function rewrite(matchModel: string, rewriteModel: string, extra: Partial<ResolvableRule> = {}): ResolvableRule {
  return { ruleId: `r${++seq}`, type: "rewrite", matchModel, rewriteModel, reason: null, enabled: true, ...extra };
}
function deny(matchModel: string, reason: string | null = null, extra: Partial<ResolvableRule> = {}): ResolvableRule {
  return { ruleId: `d${++seq}`, type: "deny", matchModel, rewriteModel: null, reason, enabled: true, ...extra };
}
function resolve(rules: readonly ResolvableRule[], model: string): Resolution {
  return resolveModel(compileRules(rules), model);
}
function errorOf(fn: () => unknown): RuleChainInvalidError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleChainInvalidError) return e;
    throw e;
  }
  throw new Error("expected RuleChainInvalidError");
}
/** p/m0 -> p/m1 -> ... -> p/m{hops} */
function linearChain(hops: number): ResolvableRule[] {
  return Array.from({ length: hops }, (_, i) => rewrite(`p/m${i}`, `p/m${i + 1}`, { ruleId: `hop${i}` }));
}

// ---------------------------------------------------------------------------
// example tests

describe("resolveModel", () => {
  it("no rules = identity", () => {
    expect(resolve([], "openai/gpt-5")).toEqual({
      requestedModel: "openai/gpt-5",
      model: "openai/gpt-5",
      appliedRuleIds: [],
      denied: null,
    });
  });

  it("a model no rule matches is unchanged", () => {
    const rules = [rewrite("openai/gpt-4", "openai/gpt-5"), deny("anthropic/*")];
    expect(resolve(rules, "mistral/large")).toMatchObject({ model: "mistral/large", appliedRuleIds: [], denied: null });
  });

  it("applies an exact rewrite", () => {
    const r = rewrite("openai/gpt-4", "anthropic/claude-sonnet-4");
    expect(resolve([r], "openai/gpt-4")).toEqual({
      requestedModel: "openai/gpt-4",
      model: "anthropic/claude-sonnet-4",
      appliedRuleIds: [r.ruleId],
      denied: null,
    });
  });

  it("applies a provider wildcard rewrite", () => {
    const r = rewrite("openai/*", "anthropic/claude-sonnet-4");
    expect(resolve([r], "openai/gpt-4o-mini")).toMatchObject({
      model: "anthropic/claude-sonnet-4",
      appliedRuleIds: [r.ruleId],
    });
  });

  it("provider is the part before the first '/' (nested model ids)", () => {
    const r = deny("openrouter/*", "no openrouter");
    expect(resolve([r], "openrouter/meta-llama/llama-3-70b").denied).toEqual({ ruleId: r.ruleId, reason: "no openrouter" });
    // a wildcard for "openrouter/meta-llama/*" is not a provider wildcard: it never matches a provider
    expect(resolve([deny("openrouter/meta-llama/*")], "openrouter/meta-llama/llama-3-70b").denied).toBeNull();
  });

  it("exact match beats provider wildcard, regardless of rule order", () => {
    const wild = deny("openai/*", "openai is off");
    const exact = rewrite("openai/gpt-4", "anthropic/claude-sonnet-4");
    for (const rules of [[wild, exact], [exact, wild]]) {
      expect(resolve(rules, "openai/gpt-4")).toMatchObject({
        model: "anthropic/claude-sonnet-4",
        appliedRuleIds: [exact.ruleId],
        denied: null,
      });
      expect(resolve(rules, "openai/gpt-5")).toMatchObject({
        model: "openai/gpt-5",
        appliedRuleIds: [wild.ruleId],
        denied: { ruleId: wild.ruleId, reason: "openai is off" },
      });
    }
  });

  it("exact deny beats wildcard rewrite", () => {
    const wild = rewrite("openai/*", "anthropic/claude-sonnet-4");
    const exact = deny("openai/o3", "too expensive");
    expect(resolve([wild, exact], "openai/o3")).toMatchObject({
      model: "openai/o3",
      appliedRuleIds: [exact.ruleId],
      denied: { ruleId: exact.ruleId, reason: "too expensive" },
    });
  });

  it("chains rewrites, exact and wildcard", () => {
    const a = rewrite("openai/gpt-4", "openai/gpt-4o");
    const b = rewrite("openai/gpt-4o", "anthropic/claude-3-5");
    const c = rewrite("anthropic/*", "google/gemini-2.5-pro");
    expect(resolve([a, b, c], "openai/gpt-4")).toEqual({
      requestedModel: "openai/gpt-4",
      model: "google/gemini-2.5-pro",
      appliedRuleIds: [a.ruleId, b.ruleId, c.ruleId],
      denied: null,
    });
  });

  it("10 rewrite hops are fine", () => {
    const rules = linearChain(MAX_REWRITE_HOPS);
    const res = resolve(rules, "p/m0");
    expect(res.model).toBe("p/m10");
    expect(res.appliedRuleIds).toEqual(rules.map((r) => r.ruleId));
    expect(res.appliedRuleIds).toHaveLength(10);
  });

  it("a deny or a fixed point after 10 hops is fine", () => {
    const d = deny("p/m10", "end of the line");
    const res = resolve([...linearChain(10), d], "p/m0");
    expect(res.model).toBe("p/m10");
    expect(res.appliedRuleIds).toHaveLength(11);
    expect(res.appliedRuleIds.at(-1)).toBe(d.ruleId);
    expect(res.denied).toEqual({ ruleId: d.ruleId, reason: "end of the line" });

    const fixed = rewrite("p/m10", "p/m10");
    expect(resolve([...linearChain(10), fixed], "p/m0")).toMatchObject({ model: "p/m10", denied: null });
  });

  it("needing an 11th hop throws too_many_hops", () => {
    const rules = linearChain(MAX_REWRITE_HOPS + 1);
    const err = errorOf(() => resolve(rules, "p/m0"));
    expect(err.kind).toBe("too_many_hops");
    expect(err.code).toBe("rule_chain_invalid");
    expect(err.chain).toEqual(Array.from({ length: 12 }, (_, i) => `p/m${i}`));
    expect(err.message).toMatch(/more than 10 rewrite hops/);
    // starting one hop later only needs 10 hops
    expect(resolve(rules, "p/m1").model).toBe("p/m11");
  });

  it("cycle A -> B -> A throws cycle", () => {
    const rules = [rewrite("openai/a", "openai/b"), rewrite("openai/b", "openai/a")];
    const err = errorOf(() => resolve(rules, "openai/a"));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("RuleChainInvalidError");
    expect(err.kind).toBe("cycle");
    expect(err.chain).toEqual(["openai/a", "openai/b", "openai/a"]);
  });

  it("cycle through wildcards: A -> B -> C -> B", () => {
    const rules = [
      rewrite("openai/a", "anthropic/b"),
      rewrite("anthropic/*", "google/c"),
      rewrite("google/*", "anthropic/b"),
    ];
    const err = errorOf(() => resolve(rules, "openai/a"));
    expect(err.kind).toBe("cycle");
    expect(err.chain).toEqual(["openai/a", "anthropic/b", "google/c", "anthropic/b"]);
  });

  it("cycle wins over too_many_hops when the 11th hop returns to an earlier model", () => {
    const rules = [...linearChain(10), rewrite("p/m10", "p/m3")];
    expect(errorOf(() => resolve(rules, "p/m0")).kind).toBe("cycle");
  });

  it("provider-wide rewrite to a model of the same provider is a fixed point", () => {
    const r = rewrite("openai/*", "openai/gpt-5");
    expect(resolve([r], "openai/gpt-4")).toEqual({
      requestedModel: "openai/gpt-4",
      model: "openai/gpt-5",
      appliedRuleIds: [r.ruleId], // applied once, not again at openai/gpt-5
      denied: null,
    });
    expect(resolve([r], "openai/gpt-5")).toEqual({
      requestedModel: "openai/gpt-5",
      model: "openai/gpt-5",
      appliedRuleIds: [],
      denied: null,
    });
  });

  it("exact self-rewrite is a fixed point, not a cycle", () => {
    const r = rewrite("openai/gpt-5", "openai/gpt-5");
    expect(resolve([r], "openai/gpt-5")).toMatchObject({ model: "openai/gpt-5", appliedRuleIds: [], denied: null });
  });

  it("fixed point reached through another provider", () => {
    const a = rewrite("anthropic/*", "openai/gpt-5");
    const b = rewrite("openai/*", "openai/gpt-5");
    expect(resolve([a, b], "anthropic/claude")).toMatchObject({ model: "openai/gpt-5", appliedRuleIds: [a.ruleId] });
  });

  it("deny mid-chain stops there with its ruleId and reason", () => {
    const a = rewrite("openai/gpt-4", "openai/gpt-4o");
    const d = deny("openai/gpt-4o", "gpt-4o is retired");
    const c = rewrite("openai/*", "anthropic/claude"); // never reached for gpt-4o: exact deny wins
    expect(resolve([a, d, c], "openai/gpt-4")).toEqual({
      requestedModel: "openai/gpt-4",
      model: "openai/gpt-4o",
      appliedRuleIds: [a.ruleId, d.ruleId],
      denied: { ruleId: d.ruleId, reason: "gpt-4o is retired" },
    });
  });

  it("deny without a reason reports null", () => {
    const d = deny("openai/*");
    expect(resolve([d], "openai/x").denied).toEqual({ ruleId: d.ruleId, reason: null });
  });

  it("disabled rules are skipped (exact and wildcard, rewrite and deny)", () => {
    const offExact = deny("openai/gpt-4", "off", { enabled: false });
    const wild = rewrite("openai/*", "anthropic/claude");
    const offWild = deny("anthropic/*", "off", { enabled: false });
    expect(resolve([offExact, wild, offWild], "openai/gpt-4")).toMatchObject({
      model: "anthropic/claude",
      appliedRuleIds: [wild.ruleId],
      denied: null,
    });
    const offCycle = rewrite("anthropic/claude", "openai/gpt-4", { enabled: false });
    expect(resolve([wild, offCycle], "openai/gpt-4").model).toBe("anthropic/claude");
  });

  it("a disabled duplicate does not shadow the enabled rule", () => {
    const off = rewrite("openai/gpt-4", "x/disabled", { enabled: false });
    const on = rewrite("openai/gpt-4", "x/enabled");
    expect(resolve([off, on], "openai/gpt-4").model).toBe("x/enabled");
  });

  it("compiled rules are reusable across calls and results are independent", () => {
    const compiled = compileRules([rewrite("openai/*", "anthropic/claude")]);
    const r1 = resolveModel(compiled, "openai/a");
    const r2 = resolveModel(compiled, "openai/b");
    r1.appliedRuleIds.push("mutated");
    expect(r2.appliedRuleIds).toHaveLength(1);
    expect(resolveModel(compiled, "openai/a").appliedRuleIds).toHaveLength(1);
  });

  it("compileRules rejects an enabled rewrite without a target", () => {
    const bad: ResolvableRule = { ruleId: "bad", type: "rewrite", matchModel: "a/b", rewriteModel: null, reason: null, enabled: true };
    expect(() => compileRules([bad])).toThrow(/bad/);
    expect(() => compileRules([{ ...bad, enabled: false }])).not.toThrow();
  });
});

describe("findConflict", () => {
  const a = rewrite("openai/gpt-4", "openai/gpt-5", { ruleId: "a" });
  const b = deny("openai/*", null, { ruleId: "b" });
  const c = deny("openai/gpt-4", null, { ruleId: "c", enabled: false });

  it("finds an enabled rule with the same matchModel", () => {
    expect(findConflict([a, b, c], { ruleId: "new", matchModel: "openai/gpt-4" })).toBe(a);
    expect(findConflict([a, b, c], { ruleId: "new", matchModel: "openai/*" })).toBe(b);
  });

  it("ignores the candidate itself (re-enabling c conflicts with a; a does not conflict with itself)", () => {
    expect(findConflict([a, b, c], c)).toBe(a);
    expect(findConflict([a, b], a)).toBeUndefined();
  });

  it("ignores disabled rules and different patterns (exact vs wildcard is not a conflict)", () => {
    expect(findConflict([b, c], { ruleId: "new", matchModel: "openai/gpt-4" })).toBeUndefined();
    expect(findConflict([], { ruleId: "new", matchModel: "openai/gpt-4" })).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// model ids

describe("modelIdSchema", () => {
  const accept = [
    "openai/gpt-5",
    "anthropic/claude-sonnet-4-20250514",
    "a/b",
    "0/0",
    "my.provider_x-1/Model.Name_v2:free",
    "openrouter/meta-llama/llama-3-70b",
    "bedrock/anthropic.claude-v2@2024+x",
    "ollama/llama3:8b",
    `${"p".repeat(64)}/m`,
    `p/${"m".repeat(128)}`,
    `p/${"m".repeat(63)}/${"m".repeat(64)}`,
  ];
  const reject = [
    "",
    "openai",
    "openai/",
    "/gpt-5",
    "OpenAI/gpt-5",
    "-openai/gpt-5",
    ".openai/gpt-5",
    "open ai/gpt-5",
    "openai/gpt 5",
    " openai/gpt-5",
    "openai/gpt-5 ",
    "openai/gpt-5\n",
    "openai/gpt-5\t",
    "openai//gpt-5",
    "openai/gpt-5/",
    "openai/a//b",
    "openai/*",
    "openai/gpt-*",
    "*/gpt-5",
    "openai/gpt-5?",
    "openai/gpt#5",
    "openai/gpt-5é",
    `${"p".repeat(65)}/m`,
    `p/${"m".repeat(129)}`,
    `p/${"m".repeat(64)}/${"m".repeat(64)}`,
  ];

  it.each(accept)("accepts %j", (s) => {
    expect(modelIdSchema.safeParse(s).success).toBe(true);
    expect(matchModelSchema.safeParse(s).success).toBe(true);
  });

  it.each(reject)("rejects %j", (s) => {
    const res = modelIdSchema.safeParse(s);
    expect(res.success).toBe(false);
    if (!res.success) expect(res.error.issues[0]?.message).toMatch(/must be a model id of the form provider\/model/);
  });

  it("rejects non-strings", () => {
    expect(modelIdSchema.safeParse(42).success).toBe(false);
    expect(modelIdSchema.safeParse(null).success).toBe(false);
  });
});

describe("matchModelSchema", () => {
  it.each(["openai/*", "a/*", "my.provider_x-1/*", "openai/gpt-5", "openrouter/meta-llama/llama-3"])("accepts %j", (s) => {
    expect(matchModelSchema.safeParse(s).success).toBe(true);
  });

  it.each(["*", "*/*", "/*", "openai/**", "openai/*/x", "openai/gpt-*", "openrouter/meta-llama/*", "OpenAI/*", "openai/ *", "openai"])(
    "rejects %j",
    (s) => {
      const res = matchModelSchema.safeParse(s);
      expect(res.success).toBe(false);
      if (!res.success) expect(res.error.issues[0]?.message).toMatch(/provider\/model, or provider\/\*/);
    },
  );
});

describe("providerOf / isProviderWildcard", () => {
  it("providerOf returns the text before the first '/'", () => {
    expect(providerOf("openai/gpt-5")).toBe("openai");
    expect(providerOf("openrouter/meta-llama/llama-3")).toBe("openrouter");
    expect(providerOf("openai/*")).toBe("openai");
    expect(providerOf("openai")).toBeNull();
    expect(providerOf("/gpt-5")).toBeNull();
  });

  it("isProviderWildcard", () => {
    expect(isProviderWildcard("openai/*")).toBe(true);
    expect(isProviderWildcard("openai/gpt-5")).toBe(false);
    expect(isProviderWildcard("openrouter/meta-llama/*")).toBe(false);
    expect(isProviderWildcard("*")).toBe(false);
    expect(isProviderWildcard("/*")).toBe(false);
    expect(isProviderWildcard("OpenAI/*")).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// property-based: compare against an independent reference resolver

type RefOutcome =
  | { ok: true; model: string; appliedRuleIds: string[]; denied: { ruleId: string; reason: string | null } | null }
  | { ok: false; kind: "cycle" | "too_many_hops" };

/**
 * Reference resolver, deliberately shaped differently from the real one:
 * first *walk* the chain naively (a plain array + `find`, no hop limit, no
 * early errors) until it stops, is denied, or revisits a model; then *judge*
 * the walk. Termination of the walk is guaranteed because a revisit ends it
 * and the model alphabet is finite.
 */
function referenceResolve(rules: readonly ResolvableRule[], requested: string): RefOutcome {
  const findRule = (model: string): ResolvableRule | undefined => {
    const provider = model.split("/")[0];
    return (
      rules.find((r) => r.enabled && r.matchModel === model) ??
      rules.find((r) => r.enabled && r.matchModel === `${provider}/*`)
    );
  };

  const models = [requested]; // models[i] is the model after i rewrite hops
  const rewrites: string[] = [];
  let end: "none" | "deny" | "revisit" = "none";
  let denyRule: ResolvableRule | undefined;
  for (;;) {
    const current = models[models.length - 1]!;
    const rule = findRule(current);
    if (rule === undefined) break;
    if (rule.type === "deny") {
      end = "deny";
      denyRule = rule;
      break;
    }
    if (rule.rewriteModel === current) break; // fixed point
    if (models.includes(rule.rewriteModel!)) {
      end = "revisit";
      break;
    }
    rewrites.push(rule.ruleId);
    models.push(rule.rewriteModel!);
  }

  const hops = rewrites.length;
  if (end === "revisit") {
    // The revisiting hop would be hop number hops+1. If it is within the
    // allowed hops or is exactly the first disallowed one, it is reported as
    // a cycle; otherwise the hop limit was hit earlier.
    return hops + 1 <= MAX_REWRITE_HOPS + 1 ? { ok: false, kind: "cycle" } : { ok: false, kind: "too_many_hops" };
  }
  if (hops > MAX_REWRITE_HOPS) return { ok: false, kind: "too_many_hops" };
  const model = models[models.length - 1]!;
  if (end === "deny") {
    return {
      ok: true,
      model,
      appliedRuleIds: [...rewrites, denyRule!.ruleId],
      denied: { ruleId: denyRule!.ruleId, reason: denyRule!.reason },
    };
  }
  return { ok: true, model, appliedRuleIds: rewrites, denied: null };
}

function outcomeOf(rules: readonly ResolvableRule[], model: string): RefOutcome {
  try {
    const res = resolveModel(compileRules(rules), model);
    expect(res.requestedModel).toBe(model);
    return { ok: true, model: res.model, appliedRuleIds: res.appliedRuleIds, denied: res.denied };
  } catch (e) {
    if (e instanceof RuleChainInvalidError) {
      expect(e.chain[0]).toBe(model);
      expect(e.chain.length).toBeLessThanOrEqual(MAX_REWRITE_HOPS + 2);
      return { ok: false, kind: e.kind };
    }
    throw e;
  }
}

const PROVIDERS = ["openai", "anthropic", "google"] as const;
const MODELS = PROVIDERS.flatMap((p) => ["a", "b", "c", "d"].map((m) => `${p}/${m}`));
const PATTERNS = [...MODELS, ...PROVIDERS.map((p) => `${p}/*`)];

const modelArb = fc.constantFrom(...MODELS);
// requested models also include ones from a provider no rule can mention
const requestedArb = fc.constantFrom(...MODELS, "mistral/a", "openai/zzz");

type RuleSpec = Omit<ResolvableRule, "ruleId">;
const ruleSpecArb: fc.Arbitrary<RuleSpec> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("rewrite" as const),
      matchModel: fc.constantFrom(...PATTERNS),
      rewriteModel: modelArb,
      reason: fc.constantFrom(null, "r"),
      enabled: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("deny" as const),
      matchModel: fc.constantFrom(...PATTERNS),
      rewriteModel: fc.constant(null),
      reason: fc.constantFrom(null, "policy", "budget"),
      enabled: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
);

const withIds = (specs: RuleSpec[], prefix = "r"): ResolvableRule[] =>
  specs.map((s, i) => ({ ...s, ruleId: `${prefix}${i}` }));

const randomRulesArb = fc.array(ruleSpecArb, { maxLength: 24 }).map((s) => withIds(s));

// Long chains are rare in purely random rule sets, so also generate an
// explicit chain over a random permutation of the 12 models (up to 11 hops),
// optionally closed into a loop, plus random noise rules after it.
const chainRulesArb = fc
  .tuple(
    fc.shuffledSubarray(MODELS, { minLength: 1, maxLength: MODELS.length }),
    fc.boolean(),
    fc.array(ruleSpecArb, { maxLength: 6 }),
  )
  .map(([path, closeLoop, noise]) => {
    const chain: ResolvableRule[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      chain.push({ ruleId: `c${i}`, type: "rewrite", matchModel: path[i]!, rewriteModel: path[i + 1]!, reason: null, enabled: true });
    }
    if (closeLoop && path.length > 1) {
      chain.push({ ruleId: "loop", type: "rewrite", matchModel: path[path.length - 1]!, rewriteModel: path[0]!, reason: null, enabled: true });
    }
    return { rules: [...chain, ...withIds(noise, "n")], start: path[0]! };
  });

describe("resolveModel properties", () => {
  it("agrees with the reference resolver on random rule sets", () => {
    fc.assert(
      fc.property(randomRulesArb, requestedArb, (rules, model) => {
        const actual = outcomeOf(rules, model);
        expect(actual).toEqual(referenceResolve(rules, model));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with the reference resolver on long chains (up to 11 hops, with loops)", () => {
    fc.assert(
      fc.property(chainRulesArb, requestedArb, fc.boolean(), ({ rules, start }, other, fromStart) => {
        const model = fromStart ? start : other;
        expect(outcomeOf(rules, model)).toEqual(referenceResolve(rules, model));
      }),
      { numRuns: 2000 },
    );
  });

  it("terminates, applies at most 10 rewrites, and every applied rule really matches its step", () => {
    fc.assert(
      fc.property(fc.oneof(randomRulesArb, chainRulesArb.map((c) => c.rules)), requestedArb, (rules, model) => {
        const out = outcomeOf(rules, model);
        if (!out.ok) return;
        const byId = new Map(rules.map((r) => [r.ruleId, r]));
        const rewriteCount = out.appliedRuleIds.length - (out.denied ? 1 : 0);
        expect(rewriteCount).toBeLessThanOrEqual(MAX_REWRITE_HOPS);
        let current = model;
        out.appliedRuleIds.forEach((id, i) => {
          const r = byId.get(id)!;
          expect(r.enabled).toBe(true);
          expect(r.matchModel === current || r.matchModel === `${current.split("/")[0]}/*`).toBe(true);
          if (out.denied && i === out.appliedRuleIds.length - 1) {
            expect(r.type).toBe("deny");
            expect(out.denied.ruleId).toBe(id);
          } else {
            expect(r.type).toBe("rewrite");
            expect(r.rewriteModel).not.toBe(current); // fixed points are never applied
            current = r.rewriteModel!;
          }
        });
        expect(out.model).toBe(current);
      }),
      { numRuns: 2000 },
    );
  });

  it("without duplicate enabled patterns, rule order does not matter", () => {
    fc.assert(
      fc.property(
        randomRulesArb.map((rules) => rules.filter((r, i) => !findConflict(rules.slice(0, i), r) || !r.enabled)),
        requestedArb,
        fc.integer(),
        (rules, model, seed) => {
          // deterministic shuffle driven by the seed
          const shuffled = [...rules];
          let s = seed >>> 0;
          for (let i = shuffled.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            const j = s % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(outcomeOf(shuffled, model)).toEqual(outcomeOf(rules, model));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
