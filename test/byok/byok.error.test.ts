import { describe, expect, it } from "vitest";
import { MAX_CREDENTIALS_PER_TEAM } from "../../src/byok/schemas.js";
import { createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { createCredentialFx, freshSecret } from "./helpers.js";

const BYOK = "/v1/ai-gateway/byok";
const paths = (r: { body: { error: { params?: { path: string }[] } } }) => (r.body.error.params ?? []).map((p) => p.path).sort();

describe("create: each provider's credentials shape is validated", () => {
  const cases: [string, unknown, string[]][] = [
    ["openai", {}, ["credentials.apiKey"]],
    ["openai", { apiKey: "sk-abcdefgh", organization: "org" }, ["credentials.organization"]],
    ["anthropic", { key: "sk-ant-abcdefgh" }, ["credentials.apiKey", "credentials.key"]],
    ["azure", { apiKey: "abcdefgh1234" }, ["credentials.resourceName"]],
    ["bedrock", { accessKeyId: "AKIA", region: "eu-west-1" }, ["credentials.secretAccessKey"]],
    ["bedrock", { accessKeyId: "AKIA", secretAccessKey: "secret-abcdefgh", regoin: "eu-west-1" }, ["credentials.regoin"]],
    ["vertex", { project: "p", location: "l", googleCredentials: { privateKey: "k" } }, ["credentials.googleCredentials.clientEmail"]],
    ["vertex", { project: "p", location: "l", googleCredentials: { privateKey: "k", clientEmail: "e", type: "x" } }, ["credentials.googleCredentials.type"]],
    ["openai", "sk-abcdefgh", ["credentials"]],
    ["openai", { apiKey: "short" }, ["credentials.apiKey"]],
    ["openai", { apiKey: "has a space inside" }, ["credentials.apiKey"]],
    ["azure", { apiKey: "abcdefgh1234", resourceName: "   " }, ["credentials.resourceName"]],
  ];
  for (const [provider, credentials, expected] of cases) {
    it(`${provider} ${JSON.stringify(credentials)}: 400 naming ${expected.join(", ")}`, async () => {
      const team = await createTeamFx();
      const r = await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body: { provider, name: "x", credentials } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(paths(r)).toEqual(expected);
      expect((await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token })).body.credentials).toEqual([]);
    });
  }

  it("an unknown provider, a missing name, an unknown field: 400 naming each", async () => {
    const team = await createTeamFx();
    const r = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { provider: "acme", credentials: { apiKey: freshSecret() }, secret: "x" },
    });
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(["name", "provider", "secret"]);
    const missing = await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body: { provider: "openai", name: "x" } });
    expect(paths(missing)).toEqual(["credentials"]);
    const badIds = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { provider: "openai", name: "x", credentials: { apiKey: freshSecret() }, apiKeyIds: ["key_nope"], position: -1 },
    });
    expect(paths(badIds)).toEqual(["position"]);
    const unknownKey = await call("POST", `${BYOK}?teamId=${team.id}`, {
      token: team.owner.token,
      body: { provider: "openai", name: "x", credentials: { apiKey: freshSecret() }, apiKeyIds: ["key_nope"] },
    });
    expect(unknownKey.status).toBe(400);
    expect(paths(unknownKey)).toEqual(["apiKeyIds.0"]);
  });

  it(`a team holds at most ${MAX_CREDENTIALS_PER_TEAM} credentials (409)`, async () => {
    const team = await createTeamFx();
    for (let i = 0; i < MAX_CREDENTIALS_PER_TEAM; i++) await createCredentialFx(team, { name: `c${i}` });
    const r = await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body: { provider: "openai", name: "one-more", credentials: { apiKey: freshSecret() } } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain(String(MAX_CREDENTIALS_PER_TEAM));
  });
});

describe("update and delete", () => {
  it("PATCH with nothing, with a provider, or with credentials of the wrong shape: 400 and nothing changes", async () => {
    const team = await createTeamFx();
    const cred = await createCredentialFx(team, { provider: "azure", credentials: { apiKey: "azure-key-0001", resourceName: "r" } });
    const empty = await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: {} });
    expect(empty.status).toBe(400);
    const provider = await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { provider: "openai" } });
    expect(paths(provider)).toEqual(["provider"]);
    const shape = await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { credentials: { apiKey: "azure-key-0002" } } });
    expect(shape.status).toBe(400);
    expect(paths(shape)).toEqual(["credentials.resourceName"]);
    const ids = await call("PATCH", `${BYOK}/${cred.id}`, { token: team.owner.token, body: { apiKeyIds: ["key_nope"] } });
    expect(paths(ids)).toEqual(["apiKeyIds.0"]);
    const got = await call("GET", `${BYOK}/${cred.id}`, { token: team.owner.token });
    expect(got.body.credential).toMatchObject({ hint: "0001", apiKeyIds: [], updatedAt: got.body.credential.createdAt });
  });

  it("an unknown id is 404 for get, patch and delete; a second delete is 404", async () => {
    const team = await createTeamFx();
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      const r = await call(method, `${BYOK}/cred_nope`, { token: team.owner.token, body: method === "PATCH" ? { name: "x" } : undefined });
      expect(r.status, method).toBe(404);
    }
    const cred = await createCredentialFx(team);
    expect((await call("DELETE", `${BYOK}/${cred.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await call("DELETE", `${BYOK}/${cred.id}`, { token: team.owner.token })).status).toBe(404);
  });

  it("an Idempotency-Key replays the first creation instead of storing a second credential", async () => {
    const team = await createTeamFx();
    const body = { provider: "openai", name: "once", credentials: { apiKey: freshSecret() } };
    const headers = { "idempotency-key": "byok-once" };
    const first = await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body, headers });
    const second = await call("POST", `${BYOK}?teamId=${team.id}`, { token: team.owner.token, body, headers });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect((await call("GET", `${BYOK}?teamId=${team.id}`, { token: team.owner.token })).body.credentials).toHaveLength(1);
  });
});
