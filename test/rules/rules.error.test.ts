import { beforeAll, describe, expect, it } from "vitest";
import { MAX_RULES_PER_TEAM } from "../../src/rules/schemas.js";
import { createKeyFx, createRuleFx, createTeamFx, freshModel, type TeamFx } from "../helpers/fixtures.js";
import { call, uniq, type Res } from "../helpers/harness.js";
import { auditRows, deny, insertRulesDirectly, rewrite, ruleAuditRows, ruleRow, ruleRows, RULES } from "./helpers.js";

function expectEnvelope(r: Res, status?: number) {
  if (status !== undefined) expect(r.status, r.text).toBe(status);
  expect(r.status, r.text).toBeGreaterThanOrEqual(400);
  expect(r.status, r.text).toBeLessThan(500);
  expect(typeof r.body?.error?.code, r.text).toBe("string");
  expect(typeof r.body?.error?.message, r.text).toBe("string");
}

const paramPaths = (r: Res) => (r.body.error.params ?? []).map((p: { path: string }) => p.path);

// ---------------------------------------------------------------------------
// malformed input: every answer a 4xx in the envelope, never a 500

const BAD_MODELS: unknown[] = [
  "",
  "gpt-5",
  "openai",
  "openai/",
  "/gpt-5",
  "OpenAI/gpt-5",
  "openai//gpt-5",
  "openai/gpt-5/",
  "openai/gpt 5",
  " openai/gpt-5",
  "openai/*/x",
  "*/*",
  "openai/g*",
  "openai/" + "x".repeat(129),
  "p".repeat(65) + "/m",
  "openai/gpt-5\n",
  "ｏｐｅｎａｉ/gpt",
  42,
  null,
  true,
  ["openai/gpt-5"],
  { model: "openai/gpt-5" },
];

const CREATE_BODIES: [string, unknown][] = [
  ["empty object", {}],
  ["no match", { type: "deny" }],
  ["no type", { match: { model: "openai/gpt-5" } }],
  ["unknown type", { type: "allow", match: { model: "openai/gpt-5" } }],
  ["type in capitals", { type: "DENY", match: { model: "openai/gpt-5" } }],
  ["type null", { type: null, match: { model: "openai/gpt-5" } }],
  ["match a string", { type: "deny", match: "openai/gpt-5" }],
  ["match null", { type: "deny", match: null }],
  ["match empty", { type: "deny", match: {} }],
  ["match with an unknown field", { type: "deny", match: { model: "openai/gpt-5", provider: "openai" } }],
  ...BAD_MODELS.map((m): [string, unknown] => [`match.model ${JSON.stringify(m)}`, { type: "deny", match: { model: m } }]),
  ["rewrite without action", { type: "rewrite", match: { model: "openai/gpt-4" } }],
  ["rewrite with an empty action", { type: "rewrite", match: { model: "openai/gpt-4" }, action: {} }],
  ["rewrite with only a reason", { type: "rewrite", match: { model: "openai/gpt-4" }, action: { reason: "x" } }],
  ["rewrite to null", { type: "rewrite", match: { model: "openai/gpt-4" }, action: { rewriteModel: null } }],
  ["rewrite to a wildcard", { type: "rewrite", match: { model: "openai/gpt-4" }, action: { rewriteModel: "openai/*" } }],
  ...BAD_MODELS.filter((m) => m !== null).map((m): [string, unknown] => [
    `action.rewriteModel ${JSON.stringify(m)}`,
    { type: "rewrite", match: { model: "openai/gpt-4" }, action: { rewriteModel: m } },
  ]),
  ["deny with a rewriteModel", { type: "deny", match: { model: "openai/gpt-4" }, action: { rewriteModel: "openai/gpt-5" } }],
  ["action a string", { type: "deny", match: { model: "openai/gpt-4" }, action: "deny" }],
  ["action null", { type: "deny", match: { model: "openai/gpt-4" }, action: null }],
  ["action with an unknown field", { type: "deny", match: { model: "openai/gpt-4" }, action: { reason: "x", message: "y" } }],
  ["empty reason", { type: "deny", match: { model: "openai/gpt-4" }, action: { reason: "" } }],
  ["reason too long", { type: "deny", match: { model: "openai/gpt-4" }, action: { reason: "x".repeat(501) } }],
  ["reason a number", { type: "deny", match: { model: "openai/gpt-4" }, action: { reason: 1 } }],
  ["description too long", { type: "deny", match: { model: "openai/gpt-4" }, description: "x".repeat(501) }],
  ["description an object", { type: "deny", match: { model: "openai/gpt-4" }, description: {} }],
  ["enabled on create (not a field)", { type: "deny", match: { model: "openai/gpt-4" }, enabled: false }],
  ["ruleId on create", { type: "deny", match: { model: "openai/gpt-4" }, ruleId: "rule_x" }],
  ["ownerId on create", { type: "deny", match: { model: "openai/gpt-4" }, ownerId: "team_x" }],
  ["__proto__ field", JSON.parse('{"type":"deny","match":{"model":"openai/gpt-4"},"__proto__":{"x":1}}')],
  ["an array", [{ type: "deny", match: { model: "openai/gpt-4" } }]],
  ["a string", "deny openai/gpt-4"],
  ["a number", 7],
  ["null", null],
];

const RAW_BODIES: [string, string, Record<string, string>?][] = [
  ["not JSON", "type=deny&match=openai/gpt-4"],
  ["truncated JSON", '{"type":"deny","match":{"model":"openai/gpt-4"}'],
  ["an empty body", ""],
  ["JSON with a text/plain content type", '{"type":"deny","match":{"model":"openai/gpt-4"}}', { "content-type": "text/plain" }],
  ["deeply nested JSON", '{"type":"deny","match":{"model":"openai/gpt-4"},"x":' + "[".repeat(5000) + "]".repeat(5000) + "}"],
  ["a lone surrogate", '{"type":"deny","match":{"model":"openai/\\ud800"}}'],
  ["a NUL in a description", '{"type":"deny","match":{"model":"openai/gpt-4"},"description":"a\\u0000b"}'],
  ["a NUL in a reason", '{"type":"deny","match":{"model":"openai/gpt-4"},"action":{"reason":"\\u0000"}}'],
  ["a NUL in a model", '{"type":"deny","match":{"model":"openai/gpt\\u0000"}}'],
  ["a lone high surrogate in a description", '{"type":"deny","match":{"model":"openai/gpt-4"},"description":"x\\ud800y"}'],
  ["a lone low surrogate in a reason", '{"type":"deny","match":{"model":"openai/gpt-4"},"action":{"reason":"\\udfff"}}'],
];

const PATCH_FIELDS: [string, unknown][] = [
  ["nothing to update", {}],
  ["enabled a string", { enabled: "false" }],
  ["enabled null", { enabled: null }],
  ["type is not editable", { type: "deny" }],
  ["match is not editable", { match: { model: "openai/gpt-4" } }],
  ["an unknown field", { name: "x" }],
  ["action null", { action: null }],
  ["action with an unknown field", { action: { rewriteModel: "openai/gpt-5", foo: 1 } }],
  ["action.rewriteModel a wildcard", { action: { rewriteModel: "openai/*" } }],
  ["action.rewriteModel malformed", { action: { rewriteModel: "gpt-5" } }],
  ["rewrite action without rewriteModel", { action: { reason: "x" } }],
  ["rewrite action emptied", { action: {} }],
  ["rewrite action with a null rewriteModel", { action: { rewriteModel: null } }],
  ["description too long", { description: "x".repeat(501) }],
  ["description a number", { description: 5 }],
  ["ownerId", { ownerId: "team_x", enabled: true }],
];

describe("malformed input is a 4xx in the error envelope, never a 500", () => {
  let team: TeamFx;
  let rewriteRule: { ruleId: string };
  let denyRule: { ruleId: string };
  beforeAll(async () => {
    team = await createTeamFx();
    rewriteRule = await createRuleFx(team, rewrite(freshModel(), "openai/gpt-5"));
    denyRule = await createRuleFx(team, deny(freshModel()));
  });

  it.each(CREATE_BODIES)("POST /rules: %s → 400", async (_label, body) => {
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body });
    expectEnvelope(r, 400);
    expect(r.body.error.code).toBe("bad_request");
  });

  it.each(RAW_BODIES)("POST /rules: %s → 400", async (_label, raw, headers) => {
    const r = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.owner.token,
      raw,
      headers: headers ?? { "content-type": "application/json" },
    });
    expectEnvelope(r, 400);
  });

  it("POST /rules: a body over 64 KiB → 413", async () => {
    const r = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "deny", match: { model: "openai/gpt-4" }, description: "x".repeat(70 * 1024) },
    });
    expectEnvelope(r, 413);
    expect(r.body.error.code).toBe("payload_too_large");
  });

  it("validation errors name each offending field in params", async () => {
    const r = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "rewrite", match: { model: "OpenAI/gpt" }, action: { rewriteModel: "x" }, extra: 1 },
    });
    expectEnvelope(r, 400);
    expect(paramPaths(r).sort()).toEqual(["action.rewriteModel", "extra", "match.model"]);
    const rw = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: { type: "rewrite", match: { model: "openai/gpt-4" } } });
    expect(paramPaths(rw)).toEqual(["action.rewriteModel"]);
    expect(rw.body.error.params[0].message).toMatch(/required for a rewrite/);
    const dn = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "deny", match: { model: "openai/gpt-4" }, action: { rewriteModel: "openai/gpt-5" } },
    });
    expect(paramPaths(dn)).toEqual(["action.rewriteModel"]);
    expect(dn.body.error.params[0].message).toMatch(/must not be set for a deny/);
  });

  it.each(PATCH_FIELDS)("PATCH /rules (ruleId in the body) on a rewrite: %s → 400", async (_label, fields) => {
    const r = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: rewriteRule.ruleId, ...(fields as object) } });
    expectEnvelope(r, 400);
  });

  it.each(PATCH_FIELDS)("PATCH /rules/{ruleId} on a rewrite: %s → 400", async (_label, fields) => {
    const r = await call("PATCH", `${RULES}/${rewriteRule.ruleId}`, { token: team.owner.token, body: fields });
    expectEnvelope(r, 400);
  });

  it.each([
    ["no ruleId", { enabled: false }],
    ["ruleId null", { ruleId: null, enabled: false }],
    ["ruleId a number", { ruleId: 5, enabled: false }],
    ["ruleId empty", { ruleId: "", enabled: false }],
    ["ruleId too long", { ruleId: "r".repeat(65), enabled: false }],
    ["an array", [{ enabled: false }]],
    ["null", null],
  ])("PATCH /rules: %s → 400", async (_label, body) => {
    const r = await call("PATCH", RULES, { token: team.owner.token, body });
    expectEnvelope(r, 400);
  });

  it("PATCH of a deny with a rewriteModel → 400 naming action.rewriteModel; the rule is unchanged", async () => {
    const before = await ruleRow(denyRule.ruleId);
    const r = await call("PATCH", `${RULES}/${denyRule.ruleId}`, { token: team.owner.token, body: { action: { rewriteModel: "openai/gpt-5" } } });
    expectEnvelope(r, 400);
    expect(paramPaths(r)).toEqual(["action.rewriteModel"]);
    expect(await ruleRow(denyRule.ruleId)).toEqual(before);
  });

  it("a PATCH that would leave a rewrite without rewriteModel is 400 and changes nothing", async () => {
    const before = await ruleRow(rewriteRule.ruleId);
    const r = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: rewriteRule.ruleId, action: { reason: "only a reason" } } });
    expectEnvelope(r, 400);
    expect(paramPaths(r)).toEqual(["action.rewriteModel"]);
    expect(await ruleRow(rewriteRule.ruleId)).toEqual(before);
  });

  it.each(RAW_BODIES)("PATCH /rules/{ruleId}: %s → 4xx", async (_label, raw, headers) => {
    const r = await call("PATCH", `${RULES}/${rewriteRule.ruleId}`, {
      token: team.owner.token,
      raw,
      headers: headers ?? { "content-type": "application/json" },
    });
    expectEnvelope(r);
  });

  it.each([
    ...BAD_MODELS.map((m): [string, unknown] => [`model ${JSON.stringify(m)}`, { model: m }]),
    ["a wildcard", { model: "openai/*" }],
    ["no model", {}],
    ["an unknown field", { model: "openai/gpt-5", teamId: "x" }],
    ["an array", ["openai/gpt-5"]],
  ])("POST /rules/resolve: %s → 400", async (_label, body) => {
    const r = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body });
    expectEnvelope(r, 400);
    expect(r.body.error.code).toBe("bad_request");
  });

  it.each(RAW_BODIES)("POST /rules/resolve: %s → 4xx", async (_label, raw, headers) => {
    const r = await call("POST", `${RULES}/resolve?teamId=${team.id}`, {
      token: team.owner.token,
      raw,
      headers: headers ?? { "content-type": "application/json" },
    });
    expectEnvelope(r);
  });

  it.each([
    ["includeDisabled=yes", `${RULES}?teamId=TEAM&includeDisabled=yes`],
    ["includeDisabled=1", `${RULES}?teamId=TEAM&includeDisabled=1`],
    ["an empty teamId", `${RULES}?teamId=`],
    ["a 65-char teamId", `${RULES}?teamId=${"t".repeat(65)}`],
  ])("GET /rules: %s → 400", async (_label, path) => {
    const r = await call("GET", path.replace("TEAM", team.id), { token: team.owner.token });
    expectEnvelope(r, 400);
  });

  it("GET /rules without teamId on an unscoped token → 400 naming teamId", async () => {
    const r = await call("GET", RULES, { token: team.owner.token });
    expectEnvelope(r, 400);
    expect(paramPaths(r)).toEqual(["teamId"]);
  });

  it.each([
    ["no ruleId", `${RULES}`],
    ["an empty ruleId", `${RULES}?ruleId=`],
    ["a 65-char ruleId", `${RULES}?ruleId=${"r".repeat(65)}`],
  ])("DELETE /rules: %s → 400", async (_label, path) => {
    const r = await call("DELETE", path, { token: team.owner.token });
    expectEnvelope(r, 400);
  });

  it("unknown ids, other methods and the resolve path", async () => {
    for (const [method, path] of [
      ["GET", `${RULES}/rule_01jd7y2m3n4p5q6r7s8t9v0w1x`],
      ["GET", `${RULES}/not-a-rule-id`],
      ["GET", `${RULES}/resolve`],
      ["PATCH", `${RULES}/rule_01jd7y2m3n4p5q6r7s8t9v0w1x`],
      ["DELETE", `${RULES}/rule_01jd7y2m3n4p5q6r7s8t9v0w1x`],
      ["DELETE", `${RULES}?ruleId=rule_01jd7y2m3n4p5q6r7s8t9v0w1x`],
    ] as const) {
      const r = await call(method, path, { token: team.owner.token, body: method === "PATCH" ? { enabled: true } : undefined });
      expectEnvelope(r, 404);
      expect(r.body.error.code).toBe("not_found");
    }
    const put = await call("PUT", RULES, { token: team.owner.token, body: {} });
    expectEnvelope(put, 405);
    expect(put.headers.get("allow")).toContain("PATCH");
    const getResolve = await call("PUT", `${RULES}/resolve`, { token: team.owner.token, body: {} });
    expectEnvelope(getResolve, 405);
  });
});

// ---------------------------------------------------------------------------
// conflicts

describe("409 for a second enabled rule on the same match.model", () => {
  it("create: whatever the type; names the rule that holds the pattern; nothing written", async () => {
    const team = await createTeamFx();
    const model = freshModel();
    const first = await createRuleFx(team, rewrite(model, "openai/gpt-5"));
    const auditBefore = (await auditRows(team.id)).length;
    for (const body of [deny(model), rewrite(model, "openai/gpt-4o")]) {
      const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.member.token, body });
      expectEnvelope(r, 409);
      expect(r.body.error).toMatchObject({ code: "conflict", conflictingRuleId: first.ruleId });
      expect(r.body.error.message).toContain(model);
    }
    expect(await ruleRows(team.id)).toHaveLength(1);
    expect(await auditRows(team.id)).toHaveLength(auditBefore);
  });

  it("concurrent creates on the same pattern: exactly one wins (the unique index)", async () => {
    const team = await createTeamFx();
    const model = freshModel();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: deny(model) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await ruleRows(team.id)).toHaveLength(1);
    expect(await auditRows(team.id, "rule.create")).toHaveLength(1);
  });

  it("a disabled rule does not block; re-enabling it then is 409 and leaves it disabled", async () => {
    const team = await createTeamFx();
    const model = freshModel();
    const old = await createRuleFx(team, deny(model));
    expect((await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: old.ruleId, enabled: false } })).status).toBe(200);
    const current = await createRuleFx(team, rewrite(model, "openai/gpt-5"));
    const auditBefore = (await auditRows(team.id)).length;
    for (const [path, body] of [
      [RULES, { ruleId: old.ruleId, enabled: true }],
      [`${RULES}/${old.ruleId}`, { enabled: true, description: "back" }],
    ] as const) {
      const r = await call("PATCH", path, { token: team.owner.token, body });
      expectEnvelope(r, 409);
      expect(r.body.error).toMatchObject({ code: "conflict", conflictingRuleId: current.ruleId });
    }
    expect(await ruleRow(old.ruleId)).toMatchObject({ enabled: false, description: null });
    expect(await auditRows(team.id)).toHaveLength(auditBefore);
  });

  it(`a team holds at most ${MAX_RULES_PER_TEAM} rules`, async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    await insertRulesDirectly(
      team,
      Array.from({ length: MAX_RULES_PER_TEAM }, (_, i) => ({ type: "deny" as const, matchModel: `${p}/m${i}`, enabled: false })),
    );
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: deny(`${p}/one-more`) });
    expectEnvelope(r, 409);
    expect(r.body.error.message).toContain(String(MAX_RULES_PER_TEAM));
    expect(await ruleRows(team.id)).toHaveLength(MAX_RULES_PER_TEAM);
  });
});

// ---------------------------------------------------------------------------
// rule_chain_invalid

describe("400 rule_chain_invalid", () => {
  async function expectChainRefused(r: Res, kind: "cycle" | "too_many_hops") {
    expectEnvelope(r, 400);
    expect(r.body.error).toMatchObject({ code: "rule_chain_invalid", kind });
    expect(Array.isArray(r.body.error.chain)).toBe(true);
    expect(r.body.error.message).toContain(r.body.error.chain.join(" -> "));
  }

  it("create: a rule closing a cycle is refused; no row, no audit event", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    await createRuleFx(team, rewrite(`${p}/a`, `${p}/b`));
    await createRuleFx(team, rewrite(`${p}/b`, `${p}/c`));
    const before = await ruleAuditRows(team.id);
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: rewrite(`${p}/c`, `${p}/a`) });
    await expectChainRefused(r, "cycle");
    expect(r.body.error.chain).toEqual([`${p}/a`, `${p}/b`, `${p}/c`, `${p}/a`]);
    expect(r.body.error.message).toMatch(/^This change would break the team's enabled rules: routing rules form a rewrite cycle/);
    expect(await ruleRows(team.id)).toHaveLength(2);
    expect(await ruleAuditRows(team.id)).toEqual(before);
  });

  it("two concurrent creates that only form a cycle together: one wins, the other is refused", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    for (let round = 0; round < 3; round++) {
      const [x, y] = [`${p}/r${round}x`, `${p}/r${round}y`];
      const answers = await Promise.all([
        call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: rewrite(x, y) }),
        call("POST", `${RULES}?teamId=${team.id}`, { token: team.member.token, body: rewrite(y, x) }),
      ]);
      expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join("\n")).toEqual([201, 400]);
      expect(answers.find((a) => a.status === 400)!.body.error.code).toBe("rule_chain_invalid");
    }
    expect(await ruleRows(team.id)).toHaveLength(3);
  });

  it("create: a cycle through a provider wildcard is refused", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const q = uniq("q");
    await createRuleFx(team, rewrite(`${q}/x`, `${p}/y`));
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: rewrite(`${p}/*`, `${q}/x`) });
    await expectChainRefused(r, "cycle");
  });

  it("create: the 11th rewrite in a row is refused; a deny at the end is fine", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    for (let i = 1; i <= 10; i++) await createRuleFx(team, rewrite(`${p}/m${i}`, `${p}/m${i + 1}`));
    await createRuleFx(team, deny(`${p}/m11`));
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: rewrite(`${p}/m0`, `${p}/m1`) });
    await expectChainRefused(r, "too_many_hops");
    expect(r.body.error.chain[0]).toBe(`${p}/m0`);
    expect(r.body.error.chain).toHaveLength(12);
    expect(await ruleRows(team.id)).toHaveLength(11);
  });

  it("PATCH: a new target closing a cycle, or enabling a rule that closes one, is refused and changes nothing", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const back = await createRuleFx(team, rewrite(`${p}/b`, `${p}/a`));
    await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: back.ruleId, enabled: false } });
    const fwd = await createRuleFx(team, rewrite(`${p}/a`, `${p}/b`));
    const other = await createRuleFx(team, rewrite(`${p}/c`, `${p}/d`));
    const snapshot = await ruleRows(team.id);
    const auditBefore = await ruleAuditRows(team.id);

    await expectChainRefused(await call("PATCH", RULES, { token: team.member.token, body: { ruleId: back.ruleId, enabled: true } }), "cycle");
    // c -> c is a fixed point, not a cycle
    const selfRewrite = await call("PATCH", `${RULES}/${other.ruleId}`, { token: team.member.token, body: { action: { rewriteModel: `${p}/c` } } });
    expect(selfRewrite.status, selfRewrite.text).toBe(200);
    const toCycle = await call("PATCH", `${RULES}/${other.ruleId}`, { token: team.member.token, body: { action: { rewriteModel: `${p}/a` } } });
    expect(toCycle.status, toCycle.text).toBe(200); // c -> a -> b: fine
    const cycle = await call("PATCH", `${RULES}/${fwd.ruleId}`, { token: team.member.token, body: { action: { rewriteModel: `${p}/c` } } });
    await expectChainRefused(cycle, "cycle"); // a -> c -> a
    const rows = await ruleRows(team.id);
    expect(rows.find((r) => r.id === fwd.ruleId)).toEqual(snapshot.find((r) => r.id === fwd.ruleId));
    expect(rows.find((r) => r.id === back.ruleId)).toEqual(snapshot.find((r) => r.id === back.ruleId));
    expect((await ruleAuditRows(team.id)).length).toBe(auditBefore.length + 2);
  });

  it("removing a deny that was breaking a cycle is allowed; the cycle then surfaces at resolve and authorize", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    await createRuleFx(team, rewrite(`${p}/a`, `${p}/b`));
    const guard = await createRuleFx(team, deny(`${p}/b`, "stop"));
    await createRuleFx(team, rewrite(`${p}/*`, `${p}/a`));
    const disabled = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: guard.ruleId, enabled: false } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    await expectChainRefused(await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.developer.token, body: { model: `${p}/a` } }), "cycle");
    // Re-enabling the deny is a change that repairs the set: allowed.
    expect((await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: guard.ruleId, enabled: true } })).status).toBe(200);
    expect((await call("DELETE", `${RULES}?ruleId=${guard.ruleId}`, { token: team.owner.token })).status).toBe(204);
    expect(await auditRows(team.id, "rule.delete")).toHaveLength(1);
    const key = await createKeyFx(team);
    const { authorize } = await import("../helpers/gateway.js");
    await expectChainRefused(await authorize(key.apiKeyString, `${p}/a`), "cycle");
  });

  it("resolve over an invalid set (written around the API) answers 400 with the chain; the set can still be repaired", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const [ab, ba] = await insertRulesDirectly(team, [
      { type: "rewrite", matchModel: `${p}/a`, rewriteModel: `${p}/b` },
      { type: "rewrite", matchModel: `${p}/b`, rewriteModel: `${p}/a` },
    ]);
    const r = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.developer.token, body: { model: `${p}/a` } });
    await expectChainRefused(r, "cycle");
    expect(r.body.error.chain).toEqual([`${p}/a`, `${p}/b`, `${p}/a`]);
    expect(r.body.error.message).toBe(
      `Routing rules form a rewrite cycle: ${p}/a -> ${p}/b -> ${p}/a. Change or disable one of the rules on it.`,
    );
    // models off the cycle still resolve
    const ok = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.developer.token, body: { model: `${p}/c` } });
    expect(ok.status).toBe(200);
    // an already-invalid set does not block writes, so it can be fixed through the API
    expect((await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: deny(freshModel()) })).status).toBe(201);
    expect((await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: ab!.id, description: "x" } })).status).toBe(200);
    expect((await call("DELETE", `${RULES}/${ba!.id}`, { token: team.owner.token })).status).toBe(204);
    const fixed = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.developer.token, body: { model: `${p}/a` } });
    expect(fixed.body).toMatchObject({ model: `${p}/b`, appliedRuleIds: [ab!.id] });
  });

  it("resolve: more than 10 rewrites (written around the API) is too_many_hops", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    await insertRulesDirectly(
      team,
      Array.from({ length: 11 }, (_, i) => ({ type: "rewrite" as const, matchModel: `${p}/m${i}`, rewriteModel: `${p}/m${i + 1}` })),
    );
    const r = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body: { model: `${p}/m0` } });
    await expectChainRefused(r, "too_many_hops");
    expect(r.body.error.message).toMatch(/^Routing rules chain more than 10 rewrites: /);
    const fromOne = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body: { model: `${p}/m1` } });
    expect(fromOne.status).toBe(200);
    expect(fromOne.body.appliedRuleIds).toHaveLength(10);
  });
});
