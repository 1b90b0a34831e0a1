import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { byokSealedColumn } from "../../src/byok/queries.js";
import { byokCredentials } from "../../src/db/schema.js";
import { Keyring, parseEncryptionKeys } from "../../src/lib/keyring.js";
import { checkSealedColumn } from "../../src/lib/sealed-columns.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN, getHarness, logLines } from "../helpers/harness.js";
import { startGateway } from "../proxy/setup.js";
import { appWith, createCredentialFx, freshSecret } from "./helpers.js";

const BYOK = "/v1/ai-gateway/byok";

describe("tenancy", () => {
  it("another team's credential is 404 for every id route, even to its OWNER; its teamId is 403", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const cred = await createCredentialFx(team);
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { name: "stolen" }],
      ["DELETE", undefined],
    ] as const) {
      const r = await call(method, `${BYOK}/${cred.id}`, { token: other.owner.token, body });
      expect(r.status, method).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await call("GET", `${BYOK}?teamId=${team.id}`, { token: other.owner.token })).status).toBe(403);
    expect((await call("POST", `${BYOK}?teamId=${team.id}`, { token: other.owner.token, body: { provider: "openai", name: "x", credentials: { apiKey: freshSecret() } } })).status).toBe(403);
    expect((await call("GET", `${BYOK}/${cred.id}`, { token: team.owner.token })).body.credential.name).toBe("prod");
  });

  it("a credential addressed with another team's teamId is 404, even for a member of both", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    await call("POST", `/v1/teams/${other.id}/members`, { token: other.owner.token, body: { email: team.owner.email, role: "OWNER" } });
    const cred = await createCredentialFx(team);
    expect((await call("GET", `${BYOK}/${cred.id}?teamId=${other.id}`, { token: team.owner.token })).status).toBe(404);
    expect((await call("GET", `${BYOK}/${cred.id}?teamId=${team.id}`, { token: team.owner.token })).status).toBe(200);
  });

  it("a DEVELOPER reads but cannot write; nothing changes", async () => {
    const team = await createTeamFx();
    const cred = await createCredentialFx(team);
    expect((await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.developer.token })).status).toBe(200);
    expect((await call("GET", `${BYOK}/${cred.id}`, { token: team.developer.token })).status).toBe(200);
    const writes = [
      ["POST", `${BYOK}?teamId=${team.id}`, { provider: "openai", name: "x", credentials: { apiKey: freshSecret() } }],
      ["PATCH", `${BYOK}/${cred.id}`, { enabled: false }],
      ["DELETE", `${BYOK}/${cred.id}`, undefined],
    ] as const;
    for (const [method, path, body] of writes) {
      const r = await call(method, path, { token: team.developer.token, body });
      expect(r.status, method).toBe(403);
      expect(r.body.error.message).toContain("DEVELOPER");
    }
    const list = await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.credentials).toHaveLength(1);
    expect(list.body.credentials[0].enabled).toBe(true);
  });

  it("apiKeyIds naming another team's key is refused (400), and authorize never hands one team's credentials to another's key", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const foreign = await createKeyFx(other);
    const r = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { provider: "openai", name: "x", credentials: { apiKey: freshSecret() }, apiKeyIds: [foreign.apiKey.id] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.params).toEqual([{ path: "apiKeyIds.0", message: expect.stringContaining("not a gateway key of this team") }]);
    await createCredentialFx(team);
    expect((await authorize(foreign.apiKeyString)).body.credentials).toEqual([]);
  });
});

describe("secrets never leave except through authorize", () => {
  it("no response of the management API, no audit event and no log line holds the secret; authorize does, to the gateway token only", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const secret = freshSecret();
    const rotated = freshSecret();
    const texts: string[] = [];
    const create = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.owner.token,
      headers: { "idempotency-key": `byok-${k.apiKey.id}` },
      body: { provider: "openai", name: "leak-check", credentials: { apiKey: secret } },
    });
    texts.push(create.text);
    const id = create.body.credential.id;
    // The idempotent replay answers the stored first response: still no secret.
    texts.push(
      (
        await call("POST", `${BYOK}?teamId=${team.id}`, {
          token: team.owner.token,
          headers: { "idempotency-key": `byok-${k.apiKey.id}` },
          body: { provider: "openai", name: "leak-check", credentials: { apiKey: secret } },
        })
      ).text,
    );
    texts.push((await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token })).text);
    texts.push((await call("GET", `${BYOK}/${id}`, { token: team.developer.token })).text);
    // A refused write echoes nothing of the secret either.
    texts.push((await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body: { provider: "azure", name: "x", credentials: { apiKey: secret } } })).text);
    texts.push((await call("PATCH", `${BYOK}/${id}`, { token: team.owner.token, body: { credentials: { apiKey: rotated } } })).text);
    const authorized = await authorize(k.apiKeyString);
    expect(authorized.text).toContain(rotated);
    // Authorize is the gateway token's only: a user or the admin gets 403 and no credentials.
    for (const token of [team.owner.token, ADMIN_TOKEN]) {
      const r = await call("POST", "/v1/gateway/authorize", { token, body: { credential: k.apiKeyString, model: "openai/gpt-5" } });
      expect(r.status).toBe(403);
      texts.push(r.text);
    }
    texts.push((await call("DELETE", `${BYOK}/${id}`, { token: team.owner.token })).text);
    texts.push((await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token })).text);
    const all = texts.join("\n") + "\n" + logLines.join("\n");
    for (const s of [secret, rotated]) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(s.slice(0, 16));
    }
    expect(all).toContain(rotated.slice(-4)); // the hint is shown
    expect(JSON.parse(create.text).credential.hint).toBe(secret.slice(-4));
    void GATEWAY_TOKEN;
  });

  it("disabled and deleted credentials are not returned by authorize", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const off = await createCredentialFx(team, { name: "off", enabled: false });
    const gone = await createCredentialFx(team, { name: "gone" });
    const live = await createCredentialFx(team, { name: "live" });
    await call("DELETE", `${BYOK}/${gone.id}`, { token: team.owner.token });
    expect((await authorize(k.apiKeyString)).body.credentials.map((c: { id: string }) => c.id)).toEqual([live.id]);
    const list = await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.credentials.map((c: { id: string; enabled: boolean }) => [c.id, c.enabled])).toEqual([
      [off.id, false],
      [live.id, true],
    ]);
  });

  it("key restriction: a credential with apiKeyIds goes only to those keys; one without, to every key", async () => {
    const team = await createTeamFx();
    const [k1, k2] = [await createKeyFx(team), await createKeyFx(team)];
    const open = await createCredentialFx(team, { name: "open" });
    const only1 = await createCredentialFx(team, { name: "only-k1", apiKeyIds: [k1.apiKey.id] });
    const after = await createCredentialFx(team, { name: "open-too" });
    const ids = async (k: { apiKeyString: string }) => (await authorize(k.apiKeyString)).body.credentials.map((c: { id: string }) => c.id);
    expect(await ids(k1)).toEqual([open.id, only1.id, after.id]);
    expect(await ids(k2)).toEqual([open.id, after.id]);
  });
});

describe("encryption keys", () => {
  it("without an encryption key (Postgres, no TOLLGATE_ENCRYPTION_KEY): writes that store a secret are 503 naming the variable; the rest works", async () => {
    const team = await createTeamFx();
    const cred = await createCredentialFx(team);
    const { app } = await appWith(null);
    const create = await call("POST", `${BYOK}?teamId=${team.id}`, {
      app,
      token: team.owner.token,
      body: { provider: "openai", name: "x", credentials: { apiKey: freshSecret() } },
    });
    expect(create.status).toBe(503);
    expect(create.body.error.code).toBe("encryption_key_missing");
    expect(create.body.error.message).toContain("TOLLGATE_ENCRYPTION_KEY");
    const rotate = await call("PATCH", `${BYOK}/${cred.id}`, { app, token: team.owner.token, body: { credentials: { apiKey: freshSecret() } } });
    expect(rotate.status).toBe(503);
    expect((await call("GET", `${BYOK}?teamId=${team.id}`, { app, token: team.owner.token })).status).toBe(200);
    expect((await call("PATCH", `${BYOK}/${cred.id}`, { app, token: team.owner.token, body: { name: "renamed" } })).status).toBe(200);
    expect((await call("POST", `/v1/projects?teamId=${team.id}`, { app, token: team.owner.token, body: { name: "p1" } })).status).toBe(201);
    const k = await createKeyFx(team);
    const r = await authorize(k.apiKeyString, "openai/gpt-5", app);
    expect(r.status).toBe(200);
    expect(r.body.credentials).toEqual([]);
    expect((await call("DELETE", `${BYOK}/${cred.id}`, { app, token: team.owner.token })).status).toBe(204);
  });

  it("a wrong key: authorize answers 200 without the credential (never a 500), the log and the start-up check say why in words", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const cred = await createCredentialFx(team);
    // Same key id as the real one, other key material.
    const wrong = new Keyring(parseEncryptionKeys("test1:" + Buffer.alloc(32, 8).toString("base64")));
    const { app, lines } = await appWith(wrong);
    const r = await authorize(k.apiKeyString, "openai/gpt-5", app);
    expect(r.status).toBe(200);
    expect(r.body.credentials).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.credentialId === cred.id);
    expect(logged.reason).toContain("not the one that encrypted it");
    const { database } = await getHarness();
    const check = await checkSealedColumn(database.db, wrong, byokSealedColumn);
    expect(check.problems.join("\n")).toMatch(/BYOK credentials: \d+ stored values? under key id "test1" cannot be read: .*not the one that encrypted it/);
    const right = await checkSealedColumn(database.db, (await getHarness()).keyring, byokSealedColumn);
    expect(right.byKeyId.test1).toBeGreaterThan(0);
    const none = await checkSealedColumn(database.db, null, byokSealedColumn);
    expect(none.problems.join("\n")).toContain("TOLLGATE_ENCRYPTION_KEY is not set");
  });

  it("a ciphertext copied to another credential or another team's credential does not decrypt (additional data)", async () => {
    const { database } = await getHarness();
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const secret = freshSecret();
    const source = await createCredentialFx(team, { credentials: { apiKey: secret } });
    const sameTeam = await createCredentialFx(team, { name: "victim" });
    const otherTeam = await createCredentialFx(other, { name: "victim" });
    const [{ sealed }] = (await database.db.select({ sealed: byokCredentials.sealed }).from(byokCredentials).where(eq(byokCredentials.id, source.id))) as [
      { sealed: string },
    ];
    await database.db.update(byokCredentials).set({ sealed }).where(sql`${byokCredentials.id} in (${sameTeam.id}, ${otherTeam.id})`);
    // Reloaded from the database (an uncached state), as any instance would after a restart.
    const { app, lines } = await appWith((await getHarness()).keyring);
    const mine = await authorize((await createKeyFx(team)).apiKeyString, "openai/gpt-5", app);
    expect(mine.body.credentials).toEqual([{ id: source.id, provider: "openai", name: "prod", credentials: { apiKey: secret } }]);
    const theirs = await authorize((await createKeyFx(other)).apiKeyString, "openai/gpt-5", app);
    expect(theirs.status).toBe(200);
    expect(theirs.body.credentials).toEqual([]);
    expect(theirs.text).not.toContain(secret);
    const failed = lines.map((l) => JSON.parse(l).credentialId);
    expect(failed).toEqual(expect.arrayContaining([sameTeam.id, otherTeam.id]));
  });

  it("another team's sealed credential copied into a team's row: that team's gateway requests never carry it, and fail in words, not 500", async () => {
    // groq, served by a fake OpenAI-compatible provider, has no system key: a team's only way to it is its BYOK credential.
    const g = await startGateway({ env: ({ openai }) => ({ GROQ_BASE_URL: `${openai.url}/v1` }) });
    try {
      const { database } = await getHarness();
      const [teamA, teamB] = await Promise.all([createTeamFx(), createTeamFx()]);
      const [secretA, secretB] = [freshSecret("gsk_"), freshSecret("gsk_")];
      for (const s of [secretA, secretB]) g.openai.validKeys.add(s);
      const credA = await createCredentialFx(teamA, { provider: "groq", credentials: { apiKey: secretA } });
      const credB = await createCredentialFx(teamB, { provider: "groq", credentials: { apiKey: secretB } });
      const [{ sealed }] = (await database.db.select({ sealed: byokCredentials.sealed }).from(byokCredentials).where(eq(byokCredentials.id, credA.id))) as [{ sealed: string }];
      await database.db.update(byokCredentials).set({ sealed }).where(eq(byokCredentials.id, credB.id));
      (await getHarness()).gateway.clear(); // as after a restart: read from the database

      const chat = (key: string) =>
        fetch(`${g.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "groq/llama-3.1-8b-instant", messages: [{ role: "user", content: "x" }] }),
        });
      const seen = () => g.openai.requests.map((r) => r.headers.authorization);

      // Team B: its row holds A's ciphertext, bound to A's team and row: it does not open there.
      const keyB = await createKeyFx(teamB);
      const before = g.openai.requests.length;
      const refused = await chat(keyB.apiKeyString);
      const text = await refused.text();
      expect(refused.status, text).toBe(400);
      expect(JSON.parse(text).error).toMatchObject({ type: "invalid_request_error", code: "provider_not_configured" });
      expect(JSON.parse(text).error.message).toContain("No credential for provider 'groq'");
      expect(text).not.toContain(secretA);
      expect(g.openai.requests.length).toBe(before); // nothing went to the provider, with A's key or any other
      const auth = await authorize(keyB.apiKeyString, "groq/llama-3.1-8b-instant");
      expect(auth.status).toBe(200);
      expect(auth.body.credentials).toEqual([]);
      expect(auth.text).not.toContain(secretA);
      // The log says which credential and why, without the secret.
      const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.credentialId === credB.id);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged[0]).toMatchObject({ level: "error", teamId: teamB.id, msg: expect.stringContaining("BYOK credential cannot be decrypted") });
      expect(logged[0].reason).toContain("moved to another row");
      expect(logLines.join("\n")).not.toContain(secretA);
      // Its management view shows B's own hint, never A's secret.
      const got = await call("GET", `${BYOK}/${credB.id}`, { token: teamB.owner.token });
      expect(got.status).toBe(200);
      expect(got.body.credential.hint).toBe(credB.hint);
      expect(got.text).not.toContain(secretA);

      // Team A's own credential still works, and only A's requests ever carried A's secret.
      const keyA = await createKeyFx(teamA);
      expect((await chat(keyA.apiKeyString)).status).toBe(200);
      expect(seen().filter((a) => a === `Bearer ${secretA}`)).toHaveLength(1);

      // Rotating B's credential re-seals it in B's row: B is served again, with its own secret.
      const rotated = await call("PATCH", `${BYOK}/${credB.id}`, { token: teamB.owner.token, body: { credentials: { apiKey: secretB } } });
      expect(rotated.status).toBe(200);
      const served = await eventuallyOk(() => chat(keyB.apiKeyString));
      expect(served).toBe(200);
      expect(seen().at(-1)).toBe(`Bearer ${secretB}`);
      expect(seen().filter((a) => a === `Bearer ${secretA}`)).toHaveLength(1);
    } finally {
      await g.close();
    }
  });
});

/** The status of `request` once it is 200 (a BYOK change reaches the gateway cache through a notification), or its last status. */
async function eventuallyOk(request: () => Promise<Response>, timeoutMs = 3000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await request();
    await res.text();
    if (res.status === 200 || Date.now() > until) return res.status;
    await new Promise((r) => setTimeout(r, 25));
  }
}
