import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { AuthorizeResponse } from "../../src/gateway/v1_gateway_authorize.js";
import { apiKeys } from "../../src/db/schema.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

describe("POST /v1/gateway/authorize", () => {
  it("allows a live key: team, project, key, model and every budget in scope", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const { apiKeyString, apiKey } = await createKeyFx(team, { projectId: project.id, aiGatewayQuota: { limitAmount: 10, refreshPeriod: "monthly" } });
    await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 100, refreshPeriod: "monthly" } });
    const r = await authorize(apiKeyString);
    expect(r.status).toBe(200);
    const body = r.body as AuthorizeResponse;
    expect(body).toMatchObject({
      teamId: team.id,
      projectId: project.id,
      keyId: apiKey.id,
      requestedModel: "openai/gpt-5",
      model: "openai/gpt-5",
      appliedRuleIds: [],
      credentials: [],
      fallbackToSystem: true,
    });
    expect(body.quotas.map((q) => [q.scope, q.limitAmount, q.currentSpend, q.remaining])).toEqual([
      ["api_key", 10, 0, 10],
      ["team", 100, 0, 100],
    ]);
  });

  it("401 for unknown, malformed, deleted and leaked keys", async () => {
    const team = await createTeamFx();
    const deleted = await createKeyFx(team);
    await call("DELETE", `/v1/api-keys/${deleted.apiKey.id}`, { token: team.owner.token });
    const leaked = await createKeyFx(team);
    const { database } = await getHarness();
    await database.db.update(apiKeys).set({ leakedAt: Date.now() }).where(eq(apiKeys.id, leaked.apiKey.id));
    const live = await createKeyFx(team);
    const typo = live.apiKeyString.slice(0, 10) + (live.apiKeyString[10] === "a" ? "b" : "a") + live.apiKeyString.slice(11);
    for (const cred of [deleted.apiKeyString, leaked.apiKeyString, typo, "tgk_nope", "sk-not-ours"]) {
      const r = await authorize(cred);
      expect(r.status, cred.slice(0, 8)).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
    }
    expect((await authorize(live.apiKeyString)).status).toBe(200);
  });

  it("refuses a deleted key on the very next request", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.member.token });
    expect((await authorize(k.apiKeyString)).status).toBe(401);
  });

  it("403 'API key is inactive' once its creator left the team; 403 'API key has expired' past expiresAt", async () => {
    const { makeApp } = await getHarness();
    const team = await createTeamFx();
    const theirs = await createKeyFx(team, {}, team.member.token);
    await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token });
    const inactive = await authorize(theirs.apiKeyString);
    expect(inactive.status).toBe(403);
    expect(inactive.body.error).toMatchObject({ code: "forbidden", message: "API key is inactive" });

    const now = Date.now();
    const soon = await createKeyFx(team, { expiresAt: now + 5000 });
    const later = makeApp({ clock: { now: () => now + 6000 } });
    const expired = await authorize(soon.apiKeyString, "openai/gpt-5", later);
    expect(expired.status).toBe(403);
    expect(expired.body.error).toMatchObject({ code: "forbidden", message: "API key has expired" });
  });

  it("403 for a model outside the key's allow-list; an empty list allows every model", async () => {
    const team = await createTeamFx();
    const narrow = await createKeyFx(team, { models: ["anthropic/claude-haiku-4.5"] });
    const ok = await authorize(narrow.apiKeyString, "anthropic/claude-haiku-4.5");
    expect(ok.status).toBe(200);
    const no = await authorize(narrow.apiKeyString, "openai/gpt-5");
    expect(no.status).toBe(403);
    expect(no.body.error.message).toBe("Model 'openai/gpt-5' is not allowed for this API key");
    const wide = await createKeyFx(team);
    expect((await authorize(wide.apiKeyString, "xai/grok-4")).status).toBe(200);
  });

  it("400 for a malformed model id or body, never a 500", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString, "gpt-5")).status).toBe(400);
    const { GATEWAY_TOKEN } = await import("../helpers/harness.js");
    for (const body of [{}, { credential: k.apiKeyString }, { credential: 5, model: "openai/gpt-5" }, { credential: k.apiKeyString, model: "openai/gpt-5", x: 1 }]) {
      const r = await call("POST", "/v1/gateway/authorize", { token: GATEWAY_TOKEN, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
    }
  });

  it("updates activeAt coarsely: on first use, then not again within a minute", async () => {
    const { makeApp } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const created = k.apiKey.createdAt as number;
    const t1 = created + 61_000;
    await authorize(k.apiKeyString, "openai/gpt-5", makeApp({ clock: { now: () => t1 } }));
    const a = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(a.body.apiKey.activeAt).toBe(t1);
    await authorize(k.apiKeyString, "openai/gpt-5", makeApp({ clock: { now: () => t1 + 30_000 } }));
    const b = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(b.body.apiKey.activeAt).toBe(t1);
    await authorize(k.apiKeyString, "openai/gpt-5", makeApp({ clock: { now: () => t1 + 61_000 } }));
    const c = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(c.body.apiKey.activeAt).toBe(t1 + 61_000);
  });

  it("402 quota_for_entity_exceeded once the key's budget is spent; the crossing request was already admitted", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 1 } });
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    const u = await report(k.apiKey.id, 0.75);
    expect(u.status).toBe(202);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    await report(k.apiKey.id, 0.5); // crosses $1: recorded in full (soft cap)
    const r = await authorize(k.apiKeyString);
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({
      code: "quota_for_entity_exceeded",
      param: { scope: "api_key", quotaEntityId: `api_key_id_${k.apiKey.id}`, limitAmount: 1, currentSpend: 1.25 },
    });
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.quota.currentSpend).toBe(1.25);
  });
});
