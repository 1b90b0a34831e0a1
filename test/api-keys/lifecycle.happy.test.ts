import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, auditEvents } from "../../src/db/schema.js";
import { ManualClock } from "../../src/lib/clock.js";
import { sha256Hex } from "../../src/lib/secrets.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function auditActions(keyId: string) {
  const { database } = await getHarness();
  const rows = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, keyId)).orderBy(auditEvents.id);
  return rows;
}

describe("PATCH /v1/api-keys/{id}", () => {
  it("updates name, models, expiry, metadata and rate limits; GET shows the same", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { name: "before", models: ["openai/gpt-5"] });
    const expiresAt = Date.now() + 3_600_000;
    const r = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, {
      token: team.member.token,
      body: { name: "after", models: ["anthropic/claude-sonnet-4.5"], expiresAt, metadata: { z: 1, a: 2 }, rateLimit: { requestsPerMinute: 100 } },
    });
    expect(r.status).toBe(200);
    expect(r.body.apiKey).toMatchObject({
      id: k.apiKey.id,
      name: "after",
      models: ["anthropic/claude-sonnet-4.5"],
      expiresAt,
      metadata: { z: 1, a: 2 },
      rateLimit: { requestsPerMinute: 100 },
      status: "active",
    });
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey).toEqual(r.body.apiKey);
    // Only the given fields change; null clears expiry and rate limits.
    const cleared = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { expiresAt: null, rateLimit: null } });
    expect(cleared.body.apiKey).toMatchObject({ name: "after", expiresAt: null, rateLimit: null, metadata: { z: 1, a: 2 } });
    expect((await authorize(k.apiKeyString, "anthropic/claude-sonnet-4.5")).status).toBe(200);
    expect((await authorize(k.apiKeyString, "openai/gpt-5")).status).toBe(403);
    expect((await auditActions(k.apiKey.id)).map((e) => e.action)).toEqual(["api_key.create", "api_key.update", "api_key.update"]);
  });

  it("enabled:false deactivates (authorize 403 `API key is inactive` at once), enabled:true brings it back", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString)).status).toBe(200); // cached
    const off = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.member.token, body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(off.body.apiKey.status).toBe("deactivated");
    const refused = await authorize(k.apiKeyString);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe("API key is inactive");
    const on = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.member.token, body: { enabled: true } });
    expect(on.body.apiKey.status).toBe("active");
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    expect((await auditActions(k.apiKey.id)).map((e) => e.action)).toEqual(["api_key.create", "api_key.disable", "api_key.enable"]);
  });

  it("an OWNER re-enables a key deactivated by its creator's removal", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, {}, team.member.token);
    expect((await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await authorize(k.apiKeyString)).status).toBe(403);
    const on = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: true } });
    expect(on.status).toBe(200);
    expect(on.body.apiKey.status).toBe("active");
    expect((await authorize(k.apiKeyString)).status).toBe(200);
  });
});

describe("POST /v1/api-keys/{id}/roll", () => {
  it("a new secret for the same key: budget, spend, project, models and metadata stay; the old one works through the grace period only", async () => {
    // The app's clock decides when the grace period ends (to the millisecond), not the wall clock.
    const clock = new ManualClock(Date.now());
    const app = (await getHarness()).makeApp({ clock });
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const k = await createKeyFx(team, {
      projectId: project.id,
      models: ["openai/gpt-5"],
      metadata: { owner: "ci", env: "prod" },
      aiGatewayQuota: { limitAmount: 10 },
    });
    expect((await authorize(k.apiKeyString, undefined, app)).status).toBe(200); // cached under the old secret
    expect((await report(k.apiKey.id, 2, { app })).status).toBe(202);
    const r = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.member.token, body: { gracePeriodMs: 800 }, app });
    expect(r.status).toBe(200);
    const { apiKeyString, apiKey } = r.body;
    expect(apiKeyString).toMatch(/^tgk_/);
    expect(apiKeyString).not.toBe(k.apiKeyString);
    expect(apiKey).toMatchObject({
      id: k.apiKey.id,
      partialKey: apiKeyString.slice(-4),
      projectId: project.id,
      models: ["openai/gpt-5"],
      metadata: { owner: "ci", env: "prod" },
      quota: { limitAmount: 10, currentSpend: 2 },
    });
    expect(apiKey.previousSecretExpiresAt).toBe(clock.now() + 800);
    const rolledAt = clock.now();

    const viaNew = await authorize(apiKeyString, undefined, app);
    expect(viaNew.status).toBe(200);
    expect(viaNew.body.keyId).toBe(k.apiKey.id);
    clock.advance(799);
    expect((await authorize(k.apiKeyString, undefined, app)).status).toBe(200); // still in its grace period
    // Usage through either secret counts against the same budget.
    await call("POST", "/v1/gateway/usage", {
      token: (await import("../helpers/harness.js")).GATEWAY_TOKEN,
      body: { credential: k.apiKeyString, requestId: `roll-${rolledAt}`, model: "openai/gpt-5", costUsd: 1 },
      app,
    });
    clock.advance(1); // the grace period's end
    expect((await authorize(k.apiKeyString, undefined, app)).status).toBe(401);
    const viaNewAgain = await authorize(apiKeyString, undefined, app);
    expect(viaNewAgain.status).toBe(200);
    expect(viaNewAgain.body.quotas[0].currentSpend).toBe(3);
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, app });
    expect(got.body.apiKey.previousSecretExpiresAt).toBeNull();

    const { database } = await getHarness();
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, k.apiKey.id));
    expect(row!.digest).toBe(sha256Hex(apiKeyString));
    const events = await auditActions(k.apiKey.id);
    const roll = events.find((e) => e.action === "api_key.roll")!;
    expect(roll).toBeDefined();
    expect(JSON.stringify(events)).not.toContain(apiKeyString);
    expect(JSON.stringify(events)).not.toContain(k.apiKeyString);
  });

  it("without a body (or grace 0) the old secret is refused at once; a second roll drops a secret still in grace", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    const first = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token });
    expect(first.status).toBe(200);
    expect(first.body.apiKey.previousSecretExpiresAt).toBeNull();
    expect((await authorize(k.apiKeyString)).status).toBe(401);
    expect((await authorize(first.body.apiKeyString)).status).toBe(200);

    const second = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 60_000 } });
    expect((await authorize(first.body.apiKeyString)).status).toBe(200); // in grace
    const third = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 60_000 } });
    expect((await authorize(first.body.apiKeyString)).status).toBe(401); // two rolls ago
    expect((await authorize(second.body.apiKeyString)).status).toBe(200);
    expect((await authorize(third.body.apiKeyString)).status).toBe(200);
  });

  it("deleting or disabling a key refuses its previous secret during the grace period too", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 60_000 } });
    expect((await authorize(k.apiKeyString)).status).toBe(200); // cached under the old digest
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: false } });
    expect((await authorize(k.apiKeyString)).status).toBe(403);
    await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: true } });
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    expect((await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await authorize(k.apiKeyString)).status).toBe(401);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(401);
  });
});

describe("compatibility defects", () => {
  it("metadata comes back exactly as sent: key order kept, on create, GET, list and PATCH", async () => {
    const team = await createTeamFx();
    const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, {
      token: team.owner.token,
      raw: '{"purpose":"ai-gateway","metadata":{"env":"test","n":1,"b":{"z":1,"a":[2,1]}}}',
      headers: { "content-type": "application/json" },
    });
    expect(created.status).toBe(200);
    const want = '{"env":"test","n":1,"b":{"z":1,"a":[2,1]}}';
    expect(JSON.stringify(created.body.apiKey.metadata)).toBe(want);
    const got = await call("GET", `/v1/api-keys/${created.body.apiKey.id}`, { token: team.owner.token });
    expect(JSON.stringify(got.body.apiKey.metadata)).toBe(want);
    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(JSON.stringify(list.body.apiKeys[0].metadata)).toBe(want);
    const patched = await call("PATCH", `/v1/api-keys/${created.body.apiKey.id}`, {
      token: team.owner.token,
      raw: '{"metadata":{"zeta":1,"alpha":2}}',
      headers: { "content-type": "application/json" },
    });
    expect(patched.text).toContain('"metadata":{"zeta":1,"alpha":2}');
  });

  it("a metadata key named __proto__ round-trips like any other", async () => {
    const team = await createTeamFx();
    const raw = '{"purpose":"ai-gateway","metadata":{"a":1,"__proto__":{"x":1},"b":2}}';
    const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, raw, headers: { "content-type": "application/json" } });
    expect(created.status).toBe(200);
    expect(created.text).toContain('"metadata":{"a":1,"__proto__":{"x":1},"b":2}');
    const got = await call("GET", `/v1/api-keys/${created.body.apiKey.id}`, { token: team.owner.token });
    expect(got.text).toContain('"metadata":{"a":1,"__proto__":{"x":1},"b":2}');
    expect(Object.keys(got.body.apiKey.metadata)).toEqual(["a", "__proto__", "b"]);
  });

  it("activeAt records the first use within a second, even right after creation", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    expect(k.apiKey.activeAt).toBe(k.apiKey.createdAt);
    await sleep(5);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    let activeAt = k.apiKey.activeAt as number;
    for (let i = 0; i < 50 && activeAt === k.apiKey.createdAt; i++) {
      await sleep(20);
      activeAt = (await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token })).body.apiKey.activeAt;
    }
    expect(activeAt).toBeGreaterThan(k.apiKey.createdAt as number);
    // Later uses within the minute write nothing.
    await sleep(5);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    await sleep(100);
    expect((await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token })).body.apiKey.activeAt).toBe(activeAt);
  });
});
