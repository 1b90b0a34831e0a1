import { beforeAll, describe, expect, it } from "vitest";
import { createRuleFx, createTeamFx, freshModel, type TeamFx } from "../helpers/fixtures.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN } from "../helpers/harness.js";
import { auditRows, deny, rewrite, ruleRow, ruleRows, RULES } from "./helpers.js";

/** Every write route against one rule, with a valid body. */
const writesOn = (ruleId: string) =>
  [
    ["PATCH", RULES, { ruleId, enabled: false }],
    ["PATCH", `${RULES}/${ruleId}`, { description: "changed" }],
    ["DELETE", `${RULES}?ruleId=${ruleId}`, undefined],
    ["DELETE", `${RULES}/${ruleId}`, undefined],
  ] as const;

const readsOn = (ruleId: string) => [["GET", `${RULES}/${ruleId}`]] as const;

describe("roles", () => {
  let team: TeamFx;
  beforeAll(async () => {
    team = await createTeamFx();
  });

  it("a DEVELOPER cannot create, update or delete (403), and nothing is written", async () => {
    const rule = await createRuleFx(team, rewrite(freshModel(), "openai/gpt-5"));
    const rowsBefore = await ruleRows(team.id);
    const auditBefore = await auditRows(team.id);

    const create = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.developer.token, body: deny(freshModel()) });
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("DEVELOPER") });
    for (const [method, path, body] of writesOn(rule.ruleId)) {
      const r = await call(method, path, { token: team.developer.token, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
    }
    expect(await ruleRows(team.id)).toEqual(rowsBefore);
    expect(await auditRows(team.id)).toEqual(auditBefore);
  });

  it("a DEVELOPER reads: list, get, resolve", async () => {
    const rule = await createRuleFx(team, deny(freshModel(), "no"));
    expect((await call("GET", `${RULES}?teamId=${team.id}&includeDisabled=true`, { token: team.developer.token })).status).toBe(200);
    expect((await call("GET", `${RULES}/${rule.ruleId}`, { token: team.developer.token })).status).toBe(200);
    const resolved = await call("POST", `${RULES}/resolve?teamId=${team.id}`, {
      token: team.developer.token,
      body: { model: rule.match.model },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.denied).toEqual({ ruleId: rule.ruleId, reason: "no" });
  });

  it("a MEMBER and an OWNER write, and the rule keeps who created and who last changed it", async () => {
    const rule = await createRuleFx(team, deny(freshModel()), team.member.token);
    const byOwner = await call("PATCH", `${RULES}/${rule.ruleId}`, { token: team.owner.token, body: { description: "owner" } });
    expect(byOwner.body).toMatchObject({ createdBy: team.member.id, updatedBy: team.owner.id });
    const byMember = await call("PATCH", RULES, { token: team.member.token, body: { ruleId: rule.ruleId, description: "member" } });
    expect(byMember.body).toMatchObject({ createdBy: team.member.id, updatedBy: team.member.id });
    expect((await call("DELETE", `${RULES}/${rule.ruleId}`, { token: team.member.token })).status).toBe(204);
    const actors = (await auditRows(team.id)).filter((e) => e.targetId === rule.ruleId).map((e) => [e.action, e.actorId]);
    expect(actors).toEqual([
      ["rule.create", team.member.id],
      ["rule.update", team.owner.id],
      ["rule.update", team.member.id],
      ["rule.delete", team.member.id],
    ]);
  });

  it("a member removed from the team loses access at once (404 by id, 403 by team)", async () => {
    const t = await createTeamFx();
    const rule = await createRuleFx(t);
    const removed = await call("DELETE", `/v1/teams/${t.id}/members/${t.member.id}`, { token: t.owner.token });
    expect(removed.status, removed.text).toBe(204);
    expect((await call("GET", `${RULES}/${rule.ruleId}`, { token: t.member.token })).status).toBe(404);
    expect((await call("PATCH", RULES, { token: t.member.token, body: { ruleId: rule.ruleId, enabled: false } })).status).toBe(404);
    expect((await call("GET", `${RULES}?teamId=${t.id}`, { token: t.member.token })).status).toBe(403);
    expect(await ruleRow(rule.ruleId)).toMatchObject({ enabled: true });
  });

  it("instance tokens (admin, gateway) are not team members: 403 everywhere", async () => {
    const rule = await createRuleFx(team);
    for (const token of [ADMIN_TOKEN, GATEWAY_TOKEN]) {
      for (const [method, path, body] of [
        ["GET", `${RULES}?teamId=${team.id}`, undefined],
        ["POST", `${RULES}?teamId=${team.id}`, deny(freshModel())],
        ["POST", `${RULES}/resolve?teamId=${team.id}`, { model: "openai/gpt-5" }],
        ...readsOn(rule.ruleId).map(([m, p]) => [m, p, undefined] as const),
        ...writesOn(rule.ruleId),
        // an unknown rule too: the token kind is refused before any lookup
        ["GET", `${RULES}/rule_01jd7y2m3n4p5q6r7s8t9v0w1x`, undefined],
      ] as const) {
        const r = await call(method, path, { token, body });
        expect(r.status, `${method} ${path}`).toBe(403);
      }
    }
    expect(await ruleRow(rule.ruleId)).toBeDefined();
  });
});

describe("other teams", () => {
  let a: TeamFx;
  let b: TeamFx;
  let ruleA: { ruleId: string; match: { model: string } };
  beforeAll(async () => {
    [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    ruleA = await createRuleFx(a, rewrite(freshModel(), "openai/gpt-5"));
  });

  it("team-scoped routes answer 403 for another team's id or slug", async () => {
    for (const scope of [`teamId=${a.id}`, `slug=${a.slug}`]) {
      for (const [method, path, body] of [
        ["GET", `${RULES}?${scope}`, undefined],
        ["POST", `${RULES}?${scope}`, deny(freshModel())],
        ["POST", `${RULES}/resolve?${scope}`, { model: ruleA.match.model }],
      ] as const) {
        const r = await call(method, path, { token: b.owner.token, body });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe("forbidden");
      }
    }
    // a team that does not exist looks the same
    const ghost = await call("GET", `${RULES}?teamId=team_01jd7y2m3n4p5q6r7s8t9v0w1x`, { token: b.owner.token });
    expect(ghost.status).toBe(403);
    expect(await ruleRows(a.id)).toHaveLength(1);
  });

  it("another team's rule is 404 on every by-id route, with the same answer as a rule that does not exist", async () => {
    const auditBefore = await auditRows(a.id);
    const missing = await call("GET", `${RULES}/rule_01jd7y2m3n4p5q6r7s8t9v0w1x`, { token: b.owner.token });
    for (const [method, path, body] of [...readsOn(ruleA.ruleId).map(([m, p]) => [m, p, undefined] as const), ...writesOn(ruleA.ruleId)]) {
      const r = await call(method, path, { token: b.owner.token, body });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body).toEqual(missing.body);
    }
    expect(await ruleRow(ruleA.ruleId)).toMatchObject({ enabled: true, description: null });
    expect(await auditRows(a.id)).toEqual(auditBefore);
  });

  it("a member of both teams naming the wrong team (teamId or slug) gets 404, and the right one works", async () => {
    const both = await call("POST", `/v1/teams/${b.id}/members`, { token: b.owner.token, body: { email: a.owner.email, role: "OWNER" } });
    expect(both.status, both.text).toBe(201);
    for (const scope of [`teamId=${b.id}`, `slug=${b.slug}`]) {
      const r = await call("GET", `${RULES}/${ruleA.ruleId}?${scope}`, { token: a.owner.token });
      expect(r.status).toBe(404);
      const del = await call("DELETE", `${RULES}?ruleId=${ruleA.ruleId}&${scope}`, { token: a.owner.token });
      expect(del.status).toBe(404);
      const patch = await call("PATCH", `${RULES}?${scope}`, { token: a.owner.token, body: { ruleId: ruleA.ruleId, enabled: false } });
      expect(patch.status).toBe(404);
    }
    expect(await ruleRow(ruleA.ruleId)).toMatchObject({ enabled: true });
    expect((await call("GET", `${RULES}/${ruleA.ruleId}?slug=${a.slug}`, { token: a.owner.token })).status).toBe(200);
  });

  it("a token scoped to one team cannot reach another team's rules, even when its user is in both", async () => {
    const t1 = await createTeamFx();
    const t2 = await createTeamFx();
    const joined = await call("POST", `/v1/teams/${t2.id}/members`, { token: t2.owner.token, body: { email: t1.owner.email, role: "MEMBER" } });
    expect(joined.status, joined.text).toBe(201);
    const rule2 = await createRuleFx(t2);
    const tok = await call("POST", "/v1/user/tokens", { token: t1.owner.token, body: { name: "scoped", teamId: t1.id } });
    const scoped = tok.body.bearerToken as string;
    expect((await call("GET", `${RULES}/${rule2.ruleId}`, { token: scoped })).status).toBe(404);
    expect((await call("DELETE", `${RULES}/${rule2.ruleId}`, { token: scoped })).status).toBe(404);
    expect((await call("GET", `${RULES}?teamId=${t2.id}`, { token: scoped })).status).toBe(403);
    expect((await call("POST", `${RULES}/resolve?teamId=${t2.id}`, { token: scoped, body: { model: "openai/gpt-5" } })).status).toBe(403);
    // the unscoped token of the same user can
    expect((await call("GET", `${RULES}/${rule2.ruleId}`, { token: t1.owner.token })).status).toBe(200);
    expect(await ruleRow(rule2.ruleId)).toBeDefined();
  });

  it("rules of one team never show in another team's list or resolution", async () => {
    const list = await call("GET", `${RULES}?teamId=${b.id}&includeDisabled=true`, { token: b.owner.token });
    expect(list.body.rules.map((r: { ruleId: string }) => r.ruleId)).not.toContain(ruleA.ruleId);
    const resolved = await call("POST", `${RULES}/resolve?teamId=${b.id}`, { token: b.owner.token, body: { model: ruleA.match.model } });
    expect(resolved.body).toMatchObject({ model: ruleA.match.model, appliedRuleIds: [] });
  });

  it("the same match.model in two teams is not a conflict, and a chain check only sees the team's own rules", async () => {
    const [x, y] = await Promise.all([createTeamFx(), createTeamFx()]);
    const m1 = freshModel("one");
    const m2 = freshModel("two");
    await createRuleFx(x, rewrite(m1, m2));
    // in y, m2 -> m1 would only be a cycle together with x's rule
    const r = await call("POST", `${RULES}?teamId=${y.id}`, { token: y.owner.token, body: rewrite(m2, m1) });
    expect(r.status, r.text).toBe(201);
  });
});

describe("no secrets or internals in error answers", () => {
  it("a 409 from the unique index carries the envelope only, not the database's words", async () => {
    const team = await createTeamFx();
    const model = freshModel();
    await createRuleFx(team, deny(model));
    const r = await call("POST", `${RULES}?teamId=${team.id}`, { token: team.owner.token, body: deny(model) });
    expect(r.status).toBe(409);
    expect(Object.keys(r.body.error).sort()).toEqual(["code", "conflictingRuleId", "message"]);
    expect(r.text).not.toMatch(/rules_team_match_enabled_uq|duplicate key|23505/);
  });
});
