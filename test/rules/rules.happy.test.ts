import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { ruleChainError } from "../../src/rules/access.js";
import { loadTeamRules } from "../../src/rules/queries.js";
import { resolveModel, RuleChainInvalidError } from "../../src/rules/resolve.js";
import { createRuleFx, createTeamFx, freshModel } from "../helpers/fixtures.js";
import { call, getHarness, uniq } from "../helpers/harness.js";
import {
  auditRows,
  db,
  deny,
  expectRuleShape,
  rewrite,
  ruleAuditRows,
  ruleRow,
  ruleRows,
  RULES,
  sdkParsesRuleList,
} from "./helpers.js";

describe("create", () => {
  it("a MEMBER creates a rewrite: 201, the Rule shape, the row and an audit event", async () => {
    const team = await createTeamFx();
    const from = freshModel("old");
    const r = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.member.token,
      body: { ...rewrite(from, "openai/gpt-5"), description: "move off the old model" },
    });
    expect(r.status, r.text).toBe(201);
    expectRuleShape(r.body);
    expect(r.body).toMatchObject({
      ownerId: team.id,
      type: "rewrite",
      match: { model: from },
      action: { rewriteModel: "openai/gpt-5", reason: null },
      enabled: true,
      description: "move off the old model",
      createdBy: team.member.id,
      updatedBy: team.member.id,
    });
    expect(r.body.ruleId).toMatch(/^rule_[0-9a-z]{26}$/);
    expect(r.body.createdAt).toBe(r.body.updatedAt);
    expect(Math.abs(r.body.createdAt - Date.now())).toBeLessThan(60_000);

    const row = await ruleRow(r.body.ruleId);
    expect(row).toMatchObject({
      teamId: team.id,
      type: "rewrite",
      matchModel: from,
      rewriteModel: "openai/gpt-5",
      reason: null,
      enabled: true,
      createdBy: team.member.id,
      updatedBy: team.member.id,
      createdAt: r.body.createdAt,
    });

    const events = await auditRows(team.id, "rule.create");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: "user",
      actorId: team.member.id,
      targetType: "rule",
      targetId: r.body.ruleId,
      data: { type: "rewrite", matchModel: from, action: { rewriteModel: "openai/gpt-5", reason: null } },
    });
  });

  it("a deny with a reason, and a provider wildcard; no description is null", async () => {
    const team = await createTeamFx();
    const provider = uniq("prov");
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: deny(`${provider}/*`, "not approved") });
    expect(r.status, r.text).toBe(201);
    expectRuleShape(r.body);
    expect(r.body).toMatchObject({
      type: "deny",
      match: { model: `${provider}/*` },
      action: { rewriteModel: null, reason: "not approved" },
      description: null,
      createdBy: team.owner.id,
    });
    // an explicit null rewriteModel is accepted for a deny (a Rule's action round-trips)
    const r2 = await call("POST", `${RULES}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "deny", match: { model: `${provider}/exact` }, action: { rewriteModel: null, reason: null }, description: null },
    });
    expect(r2.status, r2.text).toBe(201);
    expect(r2.body.action).toEqual({ rewriteModel: null, reason: null });
  });

  it("descriptions and reasons keep any valid Unicode text as given", async () => {
    const team = await createTeamFx();
    const text = "tab\tnew\nline \u0001 emoji \u{1F600} accents éü 中文";
    const rule = await createRuleFx(team, { ...deny(freshModel(), text), description: text });
    expect(rule).toMatchObject({ description: text, action: { reason: text } });
    expect(await ruleRow(rule.ruleId)).toMatchObject({ description: text, reason: text });
  });

  it("an exact rule and a wildcard of the same provider do not conflict; nor do two teams on the same model", async () => {
    const [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    const provider = uniq("prov");
    for (const team of [a, b]) {
      for (const body of [deny(`${provider}/*`), rewrite(`${provider}/x`, "openai/gpt-5")]) {
        const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body });
        expect(r.status, r.text).toBe(201);
      }
    }
  });

  it("the same Idempotency-Key and body replays the first answer without a second rule", async () => {
    const team = await createTeamFx();
    const body = deny(freshModel());
    const headers = { "idempotency-key": uniq("idem") };
    const first = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body, headers });
    const again = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await ruleRows(team.id)).toHaveLength(1);
    expect(await auditRows(team.id, "rule.create")).toHaveLength(1);
  });

  it("a token scoped to the team may leave out teamId; slug works instead of teamId", async () => {
    const team = await createTeamFx();
    const tok = await call("POST", "/v1/user/tokens", { token: team.member.token, body: { name: "ci", teamId: team.id } });
    expect(tok.status, tok.text).toBe(201);
    const scoped = tok.body.bearerToken as string;
    const created = await call("POST", RULES, { token: scoped, body: deny(freshModel()) });
    expect(created.status, created.text).toBe(201);
    expect(created.body.ownerId).toBe(team.id);
    const bySlug = await call("POST", `${RULES}?slug=${team.slug}`, { token: team.owner.token, body: deny(freshModel()) });
    expect(bySlug.status, bySlug.text).toBe(201);
    const list = await call("GET", RULES, { token: scoped });
    expect(list.body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual([created.body.ruleId, bySlug.body.ruleId]);
  });
});

describe("list and get", () => {
  it("oldest first; disabled rules only with includeDisabled=true; a DEVELOPER reads", async () => {
    const team = await createTeamFx();
    const a = await createRuleFx(team);
    const b = await createRuleFx(team, rewrite(freshModel(), "openai/gpt-5"));
    const c = await createRuleFx(team);
    const off = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: b.ruleId, enabled: false } });
    expect(off.status, off.text).toBe(200);

    const enabledOnly = await call("GET", `${RULES}?teamId=${team.id}`, { token: team.developer.token });
    expect(enabledOnly.status).toBe(200);
    expect(sdkParsesRuleList(enabledOnly.body)).toBe(true);
    expect(Object.keys(enabledOnly.body)).toEqual(["rules"]);
    expect(enabledOnly.body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual([a.ruleId, c.ruleId]);

    const explicitFalse = await call("GET", `${RULES}?teamId=${team.id}&includeDisabled=false`, { token: team.developer.token });
    expect(explicitFalse.body.rules).toHaveLength(2);

    const all = await call("GET", `${RULES}?teamId=${team.id}&includeDisabled=true`, { token: team.developer.token });
    expect(all.body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual([a.ruleId, b.ruleId, c.ruleId]);
    for (const r of all.body.rules) expectRuleShape(r);
    expect(all.body.rules[1]).toMatchObject({ enabled: false, updatedBy: team.owner.id });
  });

  it("an empty team lists no rules", async () => {
    const team = await createTeamFx();
    const r = await call("GET", `${RULES}?teamId=${team.id}&includeDisabled=true`, { token: team.owner.token });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ rules: [] });
  });

  it("GET /rules/{ruleId} returns the Rule, to a DEVELOPER too", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, { ...deny(freshModel(), "why"), description: "d" });
    const r = await call("GET", `${RULES}/${rule.ruleId}`, { token: team.developer.token });
    expect(r.status).toBe(200);
    expectRuleShape(r.body);
    expect(r.body).toEqual(rule);
    const withTeam = await call("GET", `${RULES}/${rule.ruleId}?teamId=${team.id}`, { token: team.developer.token });
    expect(withTeam.status).toBe(200);
  });
});

describe("update", () => {
  it("PATCH with ruleId in the body: a MEMBER disables the OWNER's rule; updatedBy/updatedAt move, createdBy stays; audited", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, rewrite(freshModel(), "openai/gpt-5"));
    const { makeApp } = await getHarness();
    const clock = new ManualClock((rule.createdAt as number) + 5_000);
    const r = await call("PATCH", RULES, {
      token: team.member.token,
      body: { ruleId: rule.ruleId, enabled: false },
      app: makeApp({ clock }),
    });
    expect(r.status, r.text).toBe(200);
    expectRuleShape(r.body);
    expect(r.body).toMatchObject({
      ruleId: rule.ruleId,
      enabled: false,
      createdBy: team.owner.id,
      updatedBy: team.member.id,
      createdAt: rule.createdAt,
      updatedAt: (rule.createdAt as number) + 5_000,
      action: { rewriteModel: "openai/gpt-5", reason: null },
    });
    expect(await ruleRow(rule.ruleId)).toMatchObject({ enabled: false, updatedBy: team.member.id, updatedAt: (rule.createdAt as number) + 5_000 });
    const events = await auditRows(team.id, "rule.update");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: team.member.id,
      targetId: rule.ruleId,
      data: { matchModel: rule.match.model, changes: { enabled: { from: true, to: false } } },
    });
  });

  it("PATCH /rules/{ruleId}: action is replaced as a whole; description null clears it", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, { ...rewrite(freshModel(), "openai/gpt-5", { reason: "cheaper" }), description: "first" });
    const r = await call("PATCH", `${RULES}/${rule.ruleId}`, {
      token: team.owner.token,
      body: { action: { rewriteModel: "anthropic/claude-sonnet-4" }, description: null },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ action: { rewriteModel: "anthropic/claude-sonnet-4", reason: null }, description: null, enabled: true });
    expect(await ruleRow(rule.ruleId)).toMatchObject({ rewriteModel: "anthropic/claude-sonnet-4", reason: null, description: null });
    const [event] = await auditRows(team.id, "rule.update");
    expect(event!.data).toMatchObject({
      changes: {
        action: { from: { rewriteModel: "openai/gpt-5", reason: "cheaper" }, to: { rewriteModel: "anthropic/claude-sonnet-4", reason: null } },
        description: { from: "first", to: null },
      },
    });
  });

  it("a deny's reason can be changed and removed", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, deny(freshModel(), "first"));
    const r = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: rule.ruleId, action: { reason: "second" } } });
    expect(r.body.action).toEqual({ rewriteModel: null, reason: "second" });
    const r2 = await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: rule.ruleId, action: {} } });
    expect(r2.status, r2.text).toBe(200);
    expect(r2.body.action).toEqual({ rewriteModel: null, reason: null });
  });

  it("re-enabling works once the rule holding the same match.model is gone; enabling an enabled rule is fine", async () => {
    const team = await createTeamFx();
    const model = freshModel();
    const first = await createRuleFx(team, deny(model));
    await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: first.ruleId, enabled: false } });
    const second = await createRuleFx(team, rewrite(model, "openai/gpt-5"));
    expect((await call("DELETE", `${RULES}?ruleId=${second.ruleId}`, { token: team.owner.token })).status).toBe(204);
    const on = await call("PATCH", `${RULES}/${first.ruleId}`, { token: team.owner.token, body: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.body.enabled).toBe(true);
    const again = await call("PATCH", `${RULES}/${first.ruleId}`, { token: team.owner.token, body: { enabled: true } });
    expect(again.status, again.text).toBe(200);
  });
});

describe("delete", () => {
  it("DELETE ?ruleId= by a MEMBER: 204, the row is gone, audited; a second DELETE is 404", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team, rewrite(freshModel(), "openai/gpt-5"));
    const r = await call("DELETE", `${RULES}?ruleId=${rule.ruleId}`, { token: team.member.token });
    expect(r.status, r.text).toBe(204);
    expect(r.text).toBe("");
    expect(await ruleRow(rule.ruleId)).toBeUndefined();
    const events = await auditRows(team.id, "rule.delete");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: team.member.id,
      targetId: rule.ruleId,
      data: { type: "rewrite", matchModel: rule.match.model, action: { rewriteModel: "openai/gpt-5", reason: null }, enabled: true },
    });
    const again = await call("DELETE", `${RULES}?ruleId=${rule.ruleId}`, { token: team.member.token });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });

  it("DELETE /rules/{ruleId} deletes a disabled rule too", async () => {
    const team = await createTeamFx();
    const rule = await createRuleFx(team);
    await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: rule.ruleId, enabled: false } });
    const r = await call("DELETE", `${RULES}/${rule.ruleId}?teamId=${team.id}`, { token: team.owner.token });
    expect(r.status, r.text).toBe(204);
    expect(await ruleRows(team.id)).toHaveLength(0);
    expect((await ruleAuditRows(team.id)).map((e) => e.action)).toEqual(["rule.create", "rule.update", "rule.delete"]);
  });
});

describe("resolve (dry run)", () => {
  it("exact beats provider/*, rewrites chain, a wildcard rewrite to its own provider is a fixed point", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const q = uniq("q");
    const r1 = await createRuleFx(team, rewrite(`${p}/old`, `${p}/mid`));
    const r2 = await createRuleFx(team, rewrite(`${p}/mid`, `${q}/final`));
    const wild = await createRuleFx(team, rewrite(`${p}/*`, `${p}/default`));
    const resolve = (model: string, token = team.developer.token) =>
      call("POST", `${RULES}/resolve?teamId=${team.id}`, { token, body: { model } });

    const chained = await resolve(`${p}/old`);
    expect(chained.status, chained.text).toBe(200);
    expect(chained.body).toEqual({ requestedModel: `${p}/old`, model: `${q}/final`, appliedRuleIds: [r1.ruleId, r2.ruleId], denied: null });

    expect((await resolve(`${p}/other`)).body).toEqual({
      requestedModel: `${p}/other`,
      model: `${p}/default`,
      appliedRuleIds: [wild.ruleId],
      denied: null,
    });
    expect((await resolve(`${p}/default`)).body).toMatchObject({ model: `${p}/default`, appliedRuleIds: [] });
    expect((await resolve("openai/gpt-5")).body).toEqual({ requestedModel: "openai/gpt-5", model: "openai/gpt-5", appliedRuleIds: [], denied: null });
  });

  it("a deny anywhere on the chain is reported in `denied`; a disabled deny is skipped", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const q = uniq("q");
    const r1 = await createRuleFx(team, rewrite(`${p}/a`, `${q}/b`));
    const d = await createRuleFx(team, deny(`${q}/*`, "provider not approved"));
    const resolve = () => call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body: { model: `${p}/a` } });

    expect((await resolve()).body).toEqual({
      requestedModel: `${p}/a`,
      model: `${q}/b`,
      appliedRuleIds: [r1.ruleId, d.ruleId],
      denied: { ruleId: d.ruleId, reason: "provider not approved" },
    });
    await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: d.ruleId, enabled: false } });
    expect((await resolve()).body).toEqual({ requestedModel: `${p}/a`, model: `${q}/b`, appliedRuleIds: [r1.ruleId], denied: null });
  });

  it("ten rewrites in a row are accepted and applied", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await createRuleFx(team, rewrite(`${p}/m${i}`, `${p}/m${i + 1}`))).ruleId);
    const r = await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body: { model: `${p}/m0` } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ model: `${p}/m10`, appliedRuleIds: ids, denied: null });
  });

  it("writes nothing", async () => {
    const team = await createTeamFx();
    await createRuleFx(team);
    const before = (await auditRows(team.id)).length;
    await call("POST", `${RULES}/resolve?teamId=${team.id}`, { token: team.owner.token, body: { model: "openai/gpt-5" } });
    expect(await auditRows(team.id)).toHaveLength(before);
  });
});

describe("exports for the gateway", () => {
  it("loadTeamRules compiles the team's enabled rules only, for resolveModel", async () => {
    const team = await createTeamFx();
    const p = uniq("p");
    const on = await createRuleFx(team, rewrite(`${p}/a`, `${p}/b`));
    const off = await createRuleFx(team, deny(`${p}/b`));
    await call("PATCH", RULES, { token: team.owner.token, body: { ruleId: off.ruleId, enabled: false } });
    const compiled = await loadTeamRules(await db(), team.id);
    expect([...compiled.exact.keys()]).toEqual([`${p}/a`]);
    expect(resolveModel(compiled, `${p}/a`)).toEqual({ requestedModel: `${p}/a`, model: `${p}/b`, appliedRuleIds: [on.ruleId], denied: null });
    const other = await loadTeamRules(await db(), (await createTeamFx()).id);
    expect(other.exact.size + other.byProvider.size).toBe(0);
  });

  it("ruleChainError maps to 400 rule_chain_invalid naming the chain", () => {
    const cycle = ruleChainError(new RuleChainInvalidError("cycle", ["p/a", "p/b", "p/a"]));
    expect(cycle.status).toBe(400);
    expect(cycle.toBody()).toEqual({
      error: {
        code: "rule_chain_invalid",
        message: expect.stringContaining("p/a -> p/b -> p/a"),
        kind: "cycle",
        chain: ["p/a", "p/b", "p/a"],
      },
    });
    expect(cycle.message).toMatch(/^Routing rules form a rewrite cycle/);
    const long = ruleChainError(new RuleChainInvalidError("too_many_hops", ["p/0", "p/1"]));
    expect(long.code).toBe("rule_chain_invalid");
    expect(long.message).toMatch(/more than 10 rewrites: p\/0 -> p\/1/);
  });
});
