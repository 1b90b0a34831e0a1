import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../src/db/schema.js";
import { MAX_JSON_DEPTH } from "../../src/http/json-depth.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, GATEWAY_TOKEN, getHarness } from "../helpers/harness.js";

const JSON_TYPE = { "content-type": "application/json" };

describe("key lifecycle: errors", () => {
  it("a leaked key cannot be re-enabled or rolled (409); other fields may still change", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const { database } = await getHarness();
    await database.db.update(apiKeys).set({ leakedAt: Date.now() }).where(eq(apiKeys.id, k.apiKey.id));
    const on = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: true } });
    expect(on.status).toBe(409);
    expect(on.body.error.code).toBe("conflict");
    const roll = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: {} });
    expect(roll.status).toBe(409);
    const renamed = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { name: "leaked-one" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.apiKey.status).toBe("leaked");
    expect((await authorize(k.apiKeyString)).status).toBe(401);
  });

  it("a deleted key cannot come back: PATCH is 409, roll is 404", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token })).status).toBe(204);
    const on = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: true } });
    expect(on.status).toBe(409);
    expect((await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token })).status).toBe(404);
    expect((await authorize(k.apiKeyString)).status).toBe(401);
  });

  it("a MEMBER cannot re-enable a key its creator's removal deactivated (OWNER only)", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, {}, team.developer.token).catch(() => null);
    expect(k).toBeNull(); // developers cannot create keys; use a second member
    const { createUserFx } = await import("../helpers/fixtures.js");
    const leaver = await createUserFx();
    await call("POST", `/v1/teams/${team.id}/members`, { token: team.owner.token, body: { email: leaver.email, role: "MEMBER" } });
    const key = await createKeyFx(team, {}, leaver.token);
    await call("DELETE", `/v1/teams/${team.id}/members/${leaver.id}`, { token: team.owner.token });
    const r = await call("PATCH", `/v1/api-keys/${key.apiKey.id}`, { token: team.member.token, body: { enabled: true } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect((await authorize(key.apiKeyString)).status).toBe(403);
    // A MEMBER may still disable and re-enable a key it switched off itself.
    const mine = await createKeyFx(team, {}, team.member.token);
    await call("PATCH", `/v1/api-keys/${mine.apiKey.id}`, { token: team.member.token, body: { enabled: false } });
    expect((await call("PATCH", `/v1/api-keys/${mine.apiKey.id}`, { token: team.member.token, body: { enabled: true } })).status).toBe(200);
  });

  it("invalid PATCH and roll bodies are 400 naming the field", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const cases: [string, unknown, string][] = [
      ["PATCH", { expiresAt: Date.now() - 1000 }, "expiresAt"],
      ["PATCH", { rateLimit: {} }, "rateLimit"],
      ["PATCH", { rateLimit: { requestsPerMinute: 0 } }, "rateLimit.requestsPerMinute"],
      ["PATCH", { rateLimit: { requestsPerMinute: 10, burst: 3 } }, "rateLimit.burst"],
      ["PATCH", { metadata: [1, 2] }, "metadata"],
      ["PATCH", { metadata: "x" }, "metadata"],
      ["PATCH", { enabled: "yes" }, "enabled"],
      ["PATCH", { models: ["not a model"] }, "models.0"],
      ["POST", { gracePeriodMs: 7 * 24 * 3600 * 1000 + 1 }, "gracePeriodMs"],
      ["POST", { gracePeriodMs: -1 }, "gracePeriodMs"],
    ];
    for (const [method, body, path] of cases) {
      const url = method === "PATCH" ? `/v1/api-keys/${k.apiKey.id}` : `/v1/api-keys/${k.apiKey.id}/roll`;
      const r = await call(method, url, { token: team.owner.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.params.map((p: { path: string }) => p.path), JSON.stringify(body)).toContain(path);
    }
    const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway", rateLimit: { tokensPerMinute: 1.5 } } });
    expect(created.status).toBe(400);
  });

  it("metadata nested 20,000 deep (a 40 KB body) is a 400, not a 500; so is any JSON body nested too deep", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const deep = '{"a":' + "[".repeat(20_000) + "]".repeat(20_000) + "}";
    const raw = `{"purpose":"ai-gateway","metadata":${deep}}`;
    expect(raw.length).toBeLessThan(64 * 1024);
    const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, raw, headers: JSON_TYPE });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe("bad_request");
    expect(created.body.error.message).toContain("nested deeper");
    const patched = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, raw: `{"metadata":${deep}}`, headers: JSON_TYPE });
    expect(patched.status).toBe(400);
    // Just within the limit is fine; brackets inside strings do not count.
    const ok = "[".repeat(MAX_JSON_DEPTH - 2) + "]".repeat(MAX_JSON_DEPTH - 2);
    const fine = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, {
      token: team.owner.token,
      raw: `{"metadata":{"x":${ok},"s":"${"[".repeat(200)}"}}`,
      headers: JSON_TYPE,
    });
    expect(fine.status, fine.text.slice(0, 200)).toBe(200);
    // The data plane too.
    const usage = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      raw: `{"keyId":"${k.apiKey.id}","requestId":"r","model":"openai/gpt-5","costUsd":0,"x":${deep}}`,
      headers: JSON_TYPE,
    });
    expect(usage.status).toBe(400);
    expect(usage.body.error.message).toContain("nested deeper");
  });
});
