import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, idempotencyKeys } from "../../src/db/schema.js";
import { IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys } from "../../src/http/idempotency.js";
import { createTeamFx } from "../helpers/fixtures.js";
import { ADMIN_TOKEN, call, getHarness } from "../helpers/harness.js";

describe("Idempotency-Key", () => {
  it("two creates with the same key and body return the same key, and create one", async () => {
    const team = await createTeamFx();
    const opts = { token: team.owner.token, body: { purpose: "ai-gateway", name: "once" }, headers: { "idempotency-key": "create-1" } };
    const first = await call("POST", `/v1/api-keys?teamId=${team.id}`, opts);
    const second = await call("POST", `/v1/api-keys?teamId=${team.id}`, opts);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const { database } = await getHarness();
    const rows = await database.db.select().from(apiKeys).where(eq(apiKeys.teamId, team.id));
    expect(rows).toHaveLength(1);
  });

  it("the same key with another body is 422 idempotency_key_reused, and does nothing", async () => {
    const team = await createTeamFx();
    const h = { "idempotency-key": "create-2" };
    await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway", name: "a" }, headers: h });
    const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway", name: "b" }, headers: h });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("idempotency_key_reused");
    const { database } = await getHarness();
    expect(await database.db.select().from(apiKeys).where(eq(apiKeys.teamId, team.id))).toHaveLength(1);
  });

  it("keys are per token: another token may use the same key for its own request", async () => {
    const team = await createTeamFx();
    const h = { "idempotency-key": "shared" };
    const a = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway" }, headers: h });
    const b = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.member.token, body: { purpose: "ai-gateway" }, headers: h });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.apiKey.id).not.toBe(a.body.apiKey.id);
  });

  it("a failed first attempt does not pin the key: a corrected retry runs", async () => {
    const team = await createTeamFx();
    const h = { "idempotency-key": "retry" };
    const bad = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "nope" }, headers: h });
    expect(bad.status).toBe(400);
    const good = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway" }, headers: h });
    expect(good.status).toBe(200);
  });

  it("replays a 204 DELETE and expires after 24 hours", async () => {
    const { makeApp } = await getHarness();
    const team = await createTeamFx();
    const k = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway" } });
    const h = { "idempotency-key": "del" };
    const path = `/v1/api-keys/${k.body.apiKey.id}`;
    expect((await call("DELETE", path, { token: team.owner.token, headers: h })).status).toBe(204);
    expect((await call("DELETE", path, { token: team.owner.token, headers: h })).status).toBe(204);
    const tomorrow = makeApp({ clock: { now: () => Date.now() + 24 * 3600_000 + 1000 } });
    expect((await call("DELETE", path, { token: team.owner.token, headers: h, app: tomorrow })).status).toBe(404);
  });

  it("rejects an over-long key with 400", async () => {
    const team = await createTeamFx();
    const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, {
      token: team.owner.token,
      body: { purpose: "ai-gateway" },
      headers: { "idempotency-key": "x".repeat(256) },
    });
    expect(r.status).toBe(400);
  });
});

describe("Idempotency-Key: no secret at rest (security review)", () => {
  it("saved answers of key, token and user creations hold no secret in clear, and still replay", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const key = `secret-${Math.random()}`;
    const made = [
      await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway" }, headers: { "idempotency-key": key } }),
      await call("POST", "/v1/user/tokens", { token: team.owner.token, body: { name: "ci" }, headers: { "idempotency-key": `${key}-t` } }),
      await call("POST", "/v1/admin/users", { token: ADMIN_TOKEN, body: { email: `${key}@example.test` }, headers: { "idempotency-key": key } }),
    ];
    const secrets = [made[0]!.body.apiKeyString, made[1]!.body.bearerToken, made[2]!.body.bearerToken] as string[];
    expect(made.map((m) => m.status), JSON.stringify(made.map((m) => m.body))).toEqual([200, 201, 201]);
    for (const s of secrets) expect(s).toMatch(/^tg[kp]_/);
    const rows = await database.db.select().from(idempotencyKeys).where(inArray(idempotencyKeys.key, [key, `${key}-t`]));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.body).not.toBeNull();
      for (const s of secrets) expect(row.body).not.toContain(s);
      expect(row.body).not.toContain("apiKeyString");
      expect(row.body).not.toContain("bearerToken");
    }
    const replay = await call("POST", "/v1/user/tokens", { token: team.owner.token, body: { name: "ci" }, headers: { "idempotency-key": `${key}-t` } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(made[1]!.body);
  });

  it("rows past their 24 h window are purged, whichever key they had", async () => {
    const { database, makeApp } = await getHarness();
    const team = await createTeamFx();
    const past = Date.now() - IDEMPOTENCY_TTL_MS - 60_000;
    const old = makeApp({ clock: { now: () => past } });
    const key = `old-${Math.random()}`;
    await call("POST", `/v1/api-keys?teamId=${team.id}`, { app: old, token: team.owner.token, body: { purpose: "ai-gateway" }, headers: { "idempotency-key": key } });
    expect(await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(1);
    expect(await purgeExpiredIdempotencyKeys(database.db, Date.now())).toBeGreaterThanOrEqual(1);
    expect(await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(0);
  });
});
