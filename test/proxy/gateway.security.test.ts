import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createProjectFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call, logLines } from "../helpers/harness.js";
import { anthropicClient, openaiClient, startGateway, SYSTEM_ANTHROPIC_KEY, SYSTEM_OPENAI_KEY, type GatewayFx } from "./setup.js";
import { recordedUsage } from "./helpers.js";

let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway();
});
afterAll(() => fx.close());

describe("gateway: what reaches the provider", () => {
  it("never the client's gateway key, cookies or other headers: only the provider credential and the body", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const res = await fetch(`${fx.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.apiKeyString}`, "content-type": "application/json", cookie: "session=secret", "x-custom": "mine", "openai-organization": "org-x" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(200);
    const seen = fx.openai.requests.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${SYSTEM_OPENAI_KEY}`);
    const values = Object.values(seen.headers).join("\n");
    expect(values).not.toContain(key.apiKeyString);
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-custom"]).toBeUndefined();
    expect(seen.headers["openai-organization"]).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain(key.apiKeyString);
  });

  it("a deleted key stops working at once", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const client = openaiClient(fx, key.apiKeyString);
    await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
    expect((await call("DELETE", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token })).status).toBeLessThan(300);
    await expect(client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 401 });
    await expect(anthropicClient(fx, key.apiKeyString).messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 1, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 401 });
  });

  it("no log line holds a provider credential or a gateway key", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await openaiClient(fx, key.apiKeyString).chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
    await anthropicClient(fx, "tgk_wrong").messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 1, messages: [{ role: "user", content: "x" }] }).catch(() => {});
    const all = logLines.join("\n");
    for (const secret of [key.apiKeyString, SYSTEM_OPENAI_KEY, SYSTEM_ANTHROPIC_KEY]) expect(all).not.toContain(secret);
  });
});

async function addCredential(team: TeamFx, provider: string, apiKey: string) {
  const r = await call("POST", `/v1/ai-gateway/byok?teamId=${team.id}`, { token: team.owner.token, body: { provider, name: `${provider} key`, credentials: { apiKey } } });
  expect(r.status, r.text).toBe(201);
  return r.body.credential as { id: string };
}

describe("gateway: BYOK credentials", () => {
  it("the team's BYOK credential is used first, and the usage is flagged byok", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    fx.openai.validKeys.add("sk-byok-good");
    await addCredential(team, "openai", "sk-byok-good");
    const { response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(fx.openai.requests.at(-1)!.headers.authorization).toBe("Bearer sk-byok-good");
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).byok).toBe(true);
  });

  it("a BYOK key the provider refuses (401) falls back to the system key; the usage is not flagged byok", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await addCredential(team, "openai", "sk-byok-revoked");
    const before = fx.openai.requests.length;
    const { data, response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake.");
    const tried = fx.openai.requests.slice(before).map((r) => r.headers.authorization);
    expect(tried).toEqual(["Bearer sk-byok-revoked", `Bearer ${SYSTEM_OPENAI_KEY}`]);
    expect((await recordedUsage(response.headers.get("x-tollgate-request-id"))).byok).toBe(false);
  });

  it("Anthropic, streamed: a BYOK key the provider refuses (401) is retried once with the system key; the stream and the usage are the system key's", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    await addCredential(team, "anthropic", "sk-ant-byok-revoked"); // not a key the fake provider accepts
    const before = fx.anthropic.requests.length;
    const res = await fetch(`${fx.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key.apiKeyString, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "anthropic/claude-haiku-4-5", max_tokens: 16, stream: true, messages: [{ role: "user", content: "fall back" }] }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(text).toContain("event: message_stop");
    expect(text).not.toContain("authentication_error");
    const tried = fx.anthropic.requests.slice(before).map((r) => r.headers["x-api-key"]);
    expect(tried).toEqual(["sk-ant-byok-revoked", SYSTEM_ANTHROPIC_KEY]);
    const usage = await recordedUsage(res.headers.get("x-tollgate-request-id"));
    expect(usage).toMatchObject({ teamId: team.id, keyId: key.apiKey.id, byok: false, outputTokens: 7 });
    expect(usage.costMicros).toBeGreaterThan(0);
  });

  it("a BYOK key refused (401) for a provider with no system key: the provider's 401 passes through, tried once", async () => {
    const g = await startGateway({ env: ({ openai }) => ({ GROQ_BASE_URL: `${openai.url}/v1` }) });
    try {
      const team = await createTeamFx();
      const key = await createKeyFx(team);
      await addCredential(team, "groq", "gsk-byok-revoked");
      const before = g.openai.requests.length;
      const err = await openaiClient(g, key.apiKeyString)
        .chat.completions.create({ model: "groq/llama-3.1-8b-instant", messages: [{ role: "user", content: "x" }] })
        .catch((e) => e);
      expect(err.status).toBe(401);
      expect(err.error).toMatchObject({ code: "invalid_api_key", message: "Incorrect API key provided." });
      expect(g.openai.requests.slice(before).map((r) => r.headers.authorization)).toEqual(["Bearer gsk-byok-revoked"]);
    } finally {
      await g.close();
    }
  });

  it("Anthropic: the BYOK key goes as x-api-key", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    fx.anthropic.validKeys.add("sk-ant-byok");
    await addCredential(team, "anthropic", "sk-ant-byok");
    await anthropicClient(fx, key.apiKeyString).messages.create({ model: "anthropic/claude-haiku-4-5", max_tokens: 1, messages: [{ role: "user", content: "x" }] });
    expect(fx.anthropic.requests.at(-1)!.headers["x-api-key"]).toBe("sk-ant-byok");
  });

  it("a provider with no system key is served by the team's BYOK credential", async () => {
    // groq served by the fake OpenAI server, with no GROQ_API_KEY
    const g = await startGateway({ env: ({ openai }) => ({ GROQ_BASE_URL: `${openai.url}/v1` }) });
    try {
      const team = await createTeamFx();
      const key = await createKeyFx(team);
      const denied = await openaiClient(g, key.apiKeyString).chat.completions.create({ model: "groq/llama-3.1-8b-instant", messages: [] }).catch((e) => e);
      expect(denied.status).toBe(400);
      g.openai.validKeys.add("gsk-byok");
      await addCredential(team, "groq", "gsk-byok");
      const r = await openaiClient(g, key.apiKeyString).chat.completions.create({ model: "groq/llama-3.1-8b-instant", messages: [{ role: "user", content: "x" }] });
      expect(r.model).toBe("llama-3.1-8b-instant");
      expect(g.openai.requests.at(-1)!.headers.authorization).toBe("Bearer gsk-byok");
    } finally {
      await g.close();
    }
  });
});

describe("gateway: project OIDC tokens", () => {
  it("a project's OIDC token is accepted as the bearer key; its usage counts against the project, with no key", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const minted = await call("POST", `/v1/projects/${project.id}/oidc-token?teamId=${team.id}`, { token: team.owner.token, body: {} });
    expect(minted.status, minted.text).toBe(201);
    const { data, response } = await openaiClient(fx, minted.body.token)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake.");
    const usage = await recordedUsage(response.headers.get("x-tollgate-request-id"));
    expect(usage).toMatchObject({ teamId: team.id, projectId: project.id, keyId: null });
    const models = await openaiClient(fx, minted.body.token).models.list();
    expect(models.data.length).toBeGreaterThan(0);
    // Deleting the project: its tokens stop working at once.
    expect((await call("DELETE", `/v1/projects/${project.id}?teamId=${team.id}`, { token: team.owner.token })).status).toBe(204);
    await expect(
      openaiClient(fx, minted.body.token).chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
