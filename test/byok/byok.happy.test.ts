import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { byokSealedColumn } from "../../src/byok/queries.js";
import { auditEvents, byokCredentials } from "../../src/db/schema.js";
import { Keyring, parseEncryptionKeys } from "../../src/lib/keyring.js";
import { reencryptColumn } from "../../src/lib/sealed-columns.js";
import { createKeyFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, ENCRYPTION_KEY, getHarness } from "../helpers/harness.js";
import { appWith, createCredentialFx, freshSecret } from "./helpers.js";

const BYOK = "/v1/ai-gateway/byok";

describe("BYOK credentials: create, read, order", () => {
  it("creates a credential: 201 with hint (last 4 of the secret) and no secret; a DEVELOPER reads it", async () => {
    const team = await createTeamFx();
    const secret = freshSecret();
    const r = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.member.token,
      body: { provider: "openai", name: "prod-openai", credentials: { apiKey: secret } },
    });
    expect(r.status).toBe(201);
    expect(r.body.credential).toMatchObject({
      id: expect.stringMatching(/^cred_/),
      teamId: team.id,
      provider: "openai",
      name: "prod-openai",
      enabled: true,
      position: 0,
      hint: secret.slice(-4),
      apiKeyIds: [],
      createdBy: team.member.id,
      updatedBy: team.member.id,
    });
    expect(r.text).not.toContain(secret);
    const id = r.body.credential.id;
    const got = await call("GET", `${BYOK}/${id}`, { token: team.developer.token });
    expect(got.status).toBe(200);
    expect(got.body.credential).toEqual(r.body.credential);
    const list = await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.developer.token });
    expect(list.body).toEqual({ credentials: [r.body.credential], pagination: { count: 1, next: null, prev: null } });
  });

  it("stores the secret encrypted, with the key id, never in clear", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const secret = freshSecret();
    const cred = await createCredentialFx(team, { credentials: { apiKey: secret } });
    const [row] = await database.db.select().from(byokCredentials).where(eq(byokCredentials.id, cred.id));
    expect(row!.sealed).not.toContain(secret);
    expect(row!.sealed).toMatch(/^tg1\.test1\./);
    expect(Keyring.keyIdOf(row!.sealed)).toBe("test1");
  });

  it("keeps each provider's credentials in the order the team sets (position on create, PATCH to move, delete closes the gap)", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const a = await createCredentialFx(team, { name: "a" });
    const b = await createCredentialFx(team, { name: "b" });
    const c = await createCredentialFx(team, { name: "c", position: 0 });
    await createCredentialFx(team, { provider: "anthropic", name: "x" });
    const names = async () => (await authorize(k.apiKeyString, "openai/gpt-5")).body.credentials.map((x: { name: string }) => x.name);
    expect(await names()).toEqual(["c", "a", "b"]);

    const moved = await call("PATCH", `${BYOK}/${b.id}`, { token: team.owner.token, body: { position: 0 } });
    expect(moved.status).toBe(200);
    expect(moved.body.credential.position).toBe(0);
    expect(await names()).toEqual(["b", "c", "a"]);
    const list = await call("GET", `${BYOK}?teamId=${team.id}&provider=openai`, { token: team.owner.token });
    expect(list.body.credentials.map((x: { name: string; position: number }) => [x.name, x.position])).toEqual([
      ["b", 0],
      ["c", 1],
      ["a", 2],
    ]);

    expect((await call("PATCH", `${BYOK}/${b.id}`, { token: team.owner.token, body: { position: 99 } })).body.credential.position).toBe(2);
    expect(await names()).toEqual(["c", "a", "b"]);

    expect((await call("DELETE", `${BYOK}/${c.id}`, { token: team.owner.token })).status).toBe(204);
    expect(await names()).toEqual(["a", "b"]);
    const after = await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token });
    expect(after.body.credentials.map((x: { name: string; position: number; provider: string }) => [x.provider, x.name, x.position])).toEqual([
      ["anthropic", "x", 0],
      ["openai", "a", 0],
      ["openai", "b", 1],
    ]);
    expect((await call("GET", `${BYOK}/${a.id}`, { token: team.owner.token })).body.credential.position).toBe(0);
  });
});

describe("BYOK credentials in authorize", () => {
  it("returns the resolved model's provider's credentials, decrypted, in the agreed shape", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const openai = freshSecret();
    const anthropic = freshSecret("sk-ant-");
    const o = await createCredentialFx(team, { name: "o", credentials: { apiKey: openai } });
    const a = await createCredentialFx(team, { provider: "anthropic", name: "a", credentials: { apiKey: anthropic } });
    const r = await authorize(k.apiKeyString, "openai/gpt-5");
    expect(r.status).toBe(200);
    expect(r.body.credentials).toEqual([{ id: o.id, provider: "openai", name: "o", credentials: { apiKey: openai } }]);
    expect(r.body.fallbackToSystem).toBe(true);
    // After routing rules: a rewrite to another provider hands over that provider's credentials.
    await createRuleFx(team, { type: "rewrite", match: { model: "openai/gpt-4o" }, action: { rewriteModel: "anthropic/claude-sonnet-4" } });
    const rewritten = await authorize(k.apiKeyString, "openai/gpt-4o");
    expect(rewritten.body.model).toBe("anthropic/claude-sonnet-4");
    expect(rewritten.body.credentials).toEqual([{ id: a.id, provider: "anthropic", name: "a", credentials: { apiKey: anthropic } }]);
    // A provider with none: empty.
    expect((await authorize(k.apiKeyString, "xai/grok-4")).body.credentials).toEqual([]);
  });

  it("accepts every provider's shape and hands back exactly its fields", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const cases: [string, Record<string, unknown>, string][] = [
      ["azure", { apiKey: "azure-key-123456", resourceName: "my-resource" }, "3456"],
      ["bedrock", { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG", region: "us-east-1" }, "DENG"],
      ["bedrock", { accessKeyId: "AKIAEXAMPLE2", secretAccessKey: "another-secret-ABCD" }, "ABCD"],
      [
        "vertex",
        {
          project: "my-project",
          location: "us-central1",
          googleCredentials: { privateKey: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n", clientEmail: "sa@my-project.iam.gserviceaccount.com" },
        },
        "AASC",
      ],
      ["groq", { apiKey: "gsk_example_0000wxyz" }, "wxyz"],
    ];
    for (const [provider, credentials, hint] of cases) {
      const cred = await createCredentialFx(team, { provider, name: provider, credentials });
      expect(cred.hint, provider).toBe(hint);
      const r = await authorize(k.apiKeyString, `${provider}/some-model`);
      expect(r.body.credentials.at(-1), provider).toEqual({ id: cred.id, provider, name: provider, credentials });
    }
  });

  it("a PATCH (rotate the secret, rename, disable, restrict) shows in the very next authorize; a delete too", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const other = await createKeyFx(team);
    const cred = await createCredentialFx(team);
    const rotated = freshSecret();
    const p = await call("PATCH", `${BYOK}/${cred.id}`, { token: team.member.token, body: { credentials: { apiKey: rotated }, name: "rotated" } });
    expect(p.status).toBe(200);
    expect(p.body.credential).toMatchObject({ hint: rotated.slice(-4), name: "rotated", updatedBy: team.member.id });
    expect((await authorize(k.apiKeyString)).body.credentials).toEqual([{ id: cred.id, provider: "openai", name: "rotated", credentials: { apiKey: rotated } }]);

    await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { apiKeyIds: [other.apiKey.id] } });
    expect((await authorize(k.apiKeyString)).body.credentials).toEqual([]);
    expect((await authorize(other.apiKeyString)).body.credentials.map((x: { id: string }) => x.id)).toEqual([cred.id]);

    await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { enabled: false } });
    expect((await authorize(other.apiKeyString)).body.credentials).toEqual([]);
    await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { enabled: true, apiKeyIds: [] } });
    expect((await authorize(k.apiKeyString)).body.credentials).toHaveLength(1);

    expect((await call("DELETE", `${BYOK}/${cred.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await authorize(k.apiKeyString)).body.credentials).toEqual([]);
    expect((await call("DELETE", `${BYOK}/${cred.id}`, { token: team.owner.token })).status).toBe(404);
  });

  it("writes an audit event for every change, with hints only", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const cred = await createCredentialFx(team, { name: "audited" });
    const rotated = freshSecret();
    await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { credentials: { apiKey: rotated }, enabled: false } });
    await call("DELETE", `${BYOK}/${cred.id}`, { token: team.owner.token });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, cred.id)).orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.actorId, e.targetType])).toEqual([
      ["byok.create", team.owner.id, "byok_credential"],
      ["byok.update", team.owner.id, "byok_credential"],
      ["byok.delete", team.owner.id, "byok_credential"],
    ]);
    expect(events[1]!.data).toMatchObject({
      changes: { credentials: { from: { hint: cred.hint }, to: { hint: rotated.slice(-4) } }, enabled: { from: true, to: false } },
    });
    expect(JSON.stringify(events)).not.toContain(rotated);
  });
});

describe("re-encryption with the newest key", () => {
  it("re-seals values written with an older key, so the old key can be removed", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const secret = freshSecret();
    const cred = await createCredentialFx(team, { credentials: { apiKey: secret } });
    // As if written before the current key existed: sealed with an older key "old1".
    const OLD = "old1:" + Buffer.alloc(32, 3).toString("base64");
    const older = new Keyring(parseEncryptionKeys(OLD));
    await database.db
      .update(byokCredentials)
      .set({ sealed: older.seal(JSON.stringify({ apiKey: secret }), `byok:${team.id}:${cred.id}`) })
      .where(eq(byokCredentials.id, cred.id));

    // A server holding only the newest key cannot read it (left out of authorize, reported in the log).
    const { app: newestOnly, lines } = await appWith(new Keyring(parseEncryptionKeys(ENCRYPTION_KEY)));
    expect((await authorize(k.apiKeyString, "openai/gpt-5", newestOnly)).body.credentials).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.credentialId === cred.id);
    expect(logged.reason).toContain('key id "old1", which TOLLGATE_ENCRYPTION_KEY does not hold');

    // TOLLGATE_ENCRYPTION_KEY="<newest>,<old>": reads both; keys:reencrypt moves everything to the newest.
    const both = new Keyring(parseEncryptionKeys(`${ENCRYPTION_KEY},${OLD}`));
    const report = await reencryptColumn(database.db, both, byokSealedColumn, 2);
    expect(report.resealed).toBeGreaterThanOrEqual(1);
    expect(report.failed.map((f) => f.key)).not.toContain(cred.id);
    const [row] = await database.db.select().from(byokCredentials).where(eq(byokCredentials.id, cred.id));
    expect(Keyring.keyIdOf(row!.sealed)).toBe("test1");
    expect((await authorize(k.apiKeyString, "openai/gpt-5", newestOnly)).body.credentials).toEqual([
      { id: cred.id, provider: "openai", name: "prod", credentials: { apiKey: secret } },
    ]);
    // A second run has nothing of this credential left to do.
    const again = await reencryptColumn(database.db, both, byokSealedColumn);
    expect(again.failed.map((f) => f.key)).not.toContain(cred.id);
  });
});
