import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { CreateApiKeyResponse } from "../../src/api-keys/v1_api_keys_create.js";
import type { ListApiKeysResponse } from "../../src/api-keys/v1_api_keys_list.js";
import { apiKeys, auditEvents } from "../../src/db/schema.js";
import { hasValidChecksum, sha256Hex } from "../../src/lib/secrets.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

describe("gateway API keys: happy paths", () => {
  it("creates a key: 200, a tgk_ key with a valid checksum, every ApiKey field, only the digest stored", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const r = await call<CreateApiKeyResponse>("POST", `/v1/api-keys?teamId=${team.id}`, {
      token: team.member.token,
      body: { purpose: "ai-gateway", name: "backend", projectId: project.id, models: ["openai/gpt-5"], metadata: { env: "prod" } },
    });
    expect(r.status).toBe(200);
    const { apiKeyString, apiKey } = r.body;
    expect(apiKeyString).toMatch(/^tgk_[0-9A-Za-z]{49}$/);
    expect(hasValidChecksum(apiKeyString, "tgk")).toBe(true);
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^key_[0-9a-z]{26}$/),
      name: "backend",
      teamId: team.id,
      purpose: "ai-gateway",
      projectId: project.id,
      partialKey: apiKeyString.slice(-4),
      createdBy: team.member.id,
      createdByAppId: null,
      createdAt: expect.any(Number),
      expiresAt: null,
      activeAt: apiKey.createdAt,
      status: "active",
      leakedAt: null,
      leakedUrl: null,
      models: ["openai/gpt-5"],
      metadata: { env: "prod" },
      rateLimit: null,
      previousSecretExpiresAt: null,
      quota: null,
    });
    const { database } = await getHarness();
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.digest).toBe(sha256Hex(apiKeyString));
    expect(JSON.stringify(row)).not.toContain(apiKeyString);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, apiKey.id));
    expect(events.map((e) => e.action)).toEqual(["api_key.create"]);
  });

  it('names a key "default" when no name is given, and accepts ?slug= instead of ?teamId=', async () => {
    const team = await createTeamFx();
    const r = await call("POST", `/v1/api-keys?slug=${team.slug}`, { token: team.owner.token, body: { purpose: "ai-gateway" } });
    expect(r.status).toBe(200);
    expect(r.body.apiKey.name).toBe("default");
    expect(r.body.apiKey.models).toEqual([]);
  });

  it("gets a key by id, and a team-scoped token needs no ?teamId=", async () => {
    const team = await createTeamFx();
    const { apiKey } = await createKeyFx(team, { name: "k" });
    const tok = await call("POST", "/v1/user/tokens", { token: team.developer.token, body: { name: "scoped", teamId: team.id } });
    expect(tok.status).toBe(201);
    const got = await call("GET", `/v1/api-keys/${apiKey.id}`, { token: tok.body.bearerToken });
    expect(got.status).toBe(200);
    expect(got.body.apiKey).toEqual(apiKey);
    const list = await call("GET", "/v1/api-keys?purpose=ai-gateway", { token: tok.body.bearerToken });
    expect(list.status).toBe(200);
    expect(list.body.apiKeys.map((k: { id: string }) => k.id)).toEqual([apiKey.id]);
  });

  it("pages through 25 keys with limit=10, newest first, losing and repeating nothing", async () => {
    const team = await createTeamFx();
    const created: string[] = [];
    for (let i = 0; i < 25; i++) created.push((await createKeyFx(team, { name: `k${i}` })).apiKey.id);
    const seen: string[] = [];
    let until: string | null = null;
    const counts: number[] = [];
    do {
      const q: string = `/v1/api-keys?teamId=${team.id}&limit=10${until ? `&until=${until}` : ""}`;
      const page: { status: number; body: ListApiKeysResponse } = await call("GET", q, { token: team.owner.token });
      expect(page.status).toBe(200);
      counts.push(page.body.pagination.count);
      expect(page.body.pagination.prev).toBeNull();
      seen.push(...page.body.apiKeys.map((k) => k.id));
      until = page.body.pagination.next;
    } while (until);
    expect(counts).toEqual([10, 10, 5]);
    expect(seen).toEqual([...created].reverse());
  });

  it("deletes a key: 204, then 404 on GET and on a second DELETE, gone from the list", async () => {
    const team = await createTeamFx();
    const { apiKey } = await createKeyFx(team);
    const del = await call("DELETE", `/v1/api-keys/${apiKey.id}`, { token: team.member.token });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await call("GET", `/v1/api-keys/${apiKey.id}`, { token: team.owner.token })).status).toBe(404);
    const again = await call("DELETE", `/v1/api-keys/${apiKey.id}`, { token: team.owner.token });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.apiKeys).toEqual([]);
  });

  it("shows status expired once expiresAt has passed", async () => {
    const { makeApp } = await getHarness();
    const team = await createTeamFx();
    const now = Date.now();
    const { apiKey } = await createKeyFx(team, { expiresAt: now + 60_000 });
    expect(apiKey.status).toBe("active");
    const later = makeApp({ clock: { now: () => now + 61_000 } });
    const got = await call("GET", `/v1/api-keys/${apiKey.id}`, { token: team.owner.token, app: later });
    expect(got.body.apiKey.status).toBe("expired");
    expect(got.body.apiKey.expiresAt).toBe(now + 60_000);
  });
});
