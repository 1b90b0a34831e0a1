import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { recordedUsage } from "../proxy/helpers.js";
import { startAiGateway, type AiFx } from "./setup.js";

let fx: AiFx;
beforeAll(async () => {
  fx = await startAiGateway();
});
afterAll(() => fx.close());

const PROMPT = { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] };

async function post(path: string, key: string, body: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${fx.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "ai-language-model-id": "openai/gpt-4o-mini", "ai-model-id": "openai/text-embedding-3-small", ...headers },
    body,
  });
  return { status: r.status, body: (await r.json()) as any, headers: r.headers };
}
const get = async (path: string, key: string) => {
  const r = await fetch(`${fx.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: r.status, body: (await r.json()) as any };
};

describe("AI SDK protocol: bad input gets a 4xx in the protocol's error shape", () => {
  it("language-model: missing or malformed model header, wrong version, bad JSON, no prompt, bad gateway options", async () => {
    const k = (await createKeyFx(await createTeamFx())).apiKeyString;
    const lm = "/v4/ai/language-model";
    const cases: [string, Awaited<ReturnType<typeof post>>, RegExp][] = [
      ["no model header", await post(lm, k, JSON.stringify(PROMPT), { "ai-language-model-id": "" }), /ai-language-model-id/],
      ["no provider prefix", await post(lm, k, JSON.stringify(PROMPT), { "ai-language-model-id": "gpt-4o" }), /provider\/model/],
      ["spec version 3 on /v4", await post(lm, k, JSON.stringify(PROMPT), { "ai-language-model-specification-version": "3" }), /\/v3\/ai/],
      ["malformed JSON", await post(lm, k, "{nope"), /Malformed JSON/],
      ["not an object", await post(lm, k, "[1]"), /JSON object/],
      ["no prompt", await post(lm, k, JSON.stringify({})), /prompt/],
      ["bad fallbacks", await post(lm, k, JSON.stringify({ ...PROMPT, providerOptions: { gateway: { models: ["no-slash"] } } })), /providerOptions\.gateway\.models/],
      ["byok without apiKey", await post(lm, k, JSON.stringify({ ...PROMPT, providerOptions: { gateway: { byok: { openai: [{ key: "x" }] } } } })), /apiKey/],
      ["not JSON", await post(lm, k, "hello", { "content-type": "text/plain" }), /Content-Type/],
      ["an unknown role", await post(lm, k, JSON.stringify({ prompt: [{ role: "wizard", content: "x" }] })), /role/],
      ["user content not a list of parts", await post(lm, k, JSON.stringify({ prompt: [{ role: "user", content: "x" }] })), /content/],
    ];
    for (const [label, r, message] of cases) {
      expect(r.status, label).toBe(400);
      expect(r.body.error.type, label).toBe("invalid_request_error");
      expect(r.body.error.message, label).toMatch(message);
    }
  });

  it("embedding-model: values must be 1 to 2048 strings; Anthropic has no embeddings", async () => {
    const k = (await createKeyFx(await createTeamFx())).apiKeyString;
    const em = "/v3/ai/embedding-model";
    for (const body of [{}, { values: [] }, { values: [1] }, { values: ["a"], dimensions: -1 }]) {
      const r = await post(em, k, JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.type).toBe("invalid_request_error");
    }
    const a = await post(em, k, JSON.stringify({ values: ["a"] }), { "ai-model-id": "anthropic/claude-haiku-4-5" });
    expect(a.status).toBe(400);
    expect(a.body.error.message).toContain("no embeddings API");
  });

  it("413 for a body over 10 MiB", async () => {
    const k = (await createKeyFx(await createTeamFx())).apiKeyString;
    const r = await post("/v4/ai/language-model", k, JSON.stringify({ prompt: [], pad: "x".repeat(11 * 1024 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.body.error.type).toBe("invalid_request_error");
  });

  it("a provider without a credential: 400 naming what to set", async () => {
    const k = (await createKeyFx(await createTeamFx())).apiKeyString;
    const r = await post("/v4/ai/language-model", k, JSON.stringify(PROMPT), { "ai-language-model-id": "mistral/mistral-large-latest" });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "provider_not_configured" });
    expect(r.body.error.message).toContain("MISTRAL_API_KEY");
  });

  it("report: dates are required and checked; credential_type is refused as not recorded; user_id and tags are checked", async () => {
    const k = (await createKeyFx(await createTeamFx())).apiKeyString;
    for (const q of ["", "start_date=2025-01-01", "start_date=2025-13-01&end_date=2025-12-31", "start_date=2025-02-01&end_date=2025-01-01", "start_date=2020-01-01&end_date=2025-01-01"]) {
      const r = await get(`/v1/report?${q}`, k);
      expect(r.status, q).toBe(400);
      expect(r.body.error.type).toBe("invalid_request_error");
    }
    for (const q of ["group_by=credential_type", "credential_type=byok"]) {
      const r = await get(`/v1/report?start_date=2025-01-01&end_date=2025-01-02&${q}`, k);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message).toMatch(/not supported/);
    }
    for (const q of ["group_by=nope", `user_id=${"u".repeat(1001)}`, "user_id=", `tags=${Array.from({ length: 101 }, (_, i) => i).join(",")}`, `tags=${"t".repeat(1001)}`]) {
      const r = await get(`/v1/report?start_date=2025-01-01&end_date=2025-01-02&${q}`, k);
      expect(r.status, q.slice(0, 40)).toBe(400);
      expect(r.body.error.type).toBe("invalid_request_error");
    }
    for (const q of ["group_by=user", "group_by=tag", "user_id=u1", "tags=a,b", "tags=a&tags=b"]) {
      const r = await get(`/v1/report?start_date=2025-01-01&end_date=2025-01-02&${q}`, k);
      expect(r.status, q).toBe(200);
      expect(r.body).toEqual({ results: [] });
    }
  });

  it("report by end user or tag: only the caller's own usage, not another key's of the same team", async () => {
    const team = await createTeamFx();
    const [mine, other] = [await createKeyFx(team), await createKeyFx(team)];
    const tagged = JSON.stringify({ ...PROMPT, providerOptions: { gateway: { user: "alice", tags: ["shared"] } } });
    const a = await post("/v4/ai/language-model", mine.apiKeyString, tagged);
    const b = await post("/v4/ai/language-model", other.apiKeyString, tagged);
    const b2 = await post("/v4/ai/language-model", other.apiKeyString, JSON.stringify({ ...PROMPT, providerOptions: { gateway: { user: "mallory", tags: ["theirs"] } } }));
    const [ua] = [await recordedUsage(a.headers.get("x-tollgate-request-id")), await recordedUsage(b.headers.get("x-tollgate-request-id")), await recordedUsage(b2.headers.get("x-tollgate-request-id"))];
    const day = new Date().toISOString().slice(0, 10);
    for (const q of ["group_by=user", "group_by=tag", "user_id=alice&group_by=user", "tags=shared,theirs&group_by=tag"]) {
      const r = await get(`/v1/report?start_date=${day}&end_date=${day}&${q}`, mine.apiKeyString);
      expect(r.status, q).toBe(200);
      expect(r.body.results, q).toEqual([expect.objectContaining({ [q.includes("tag") ? "tag" : "user"]: q.includes("tag") ? "shared" : "alice", request_count: 1, total_cost: ua!.costMicros / 1e6 })]);
    }
    expect((await get(`/v1/report?start_date=${day}&end_date=${day}&user_id=mallory`, mine.apiKeyString)).body.results).toEqual([]);
  });

  it("generation: an id is required, and another key's generation is not found (404 not_found), even in the same team", async () => {
    const team = await createTeamFx();
    const [mine, other] = [await createKeyFx(team), await createKeyFx(team)];
    const r = await post("/v4/ai/language-model", mine.apiKeyString, JSON.stringify(PROMPT));
    expect(r.status).toBe(200);
    const id = r.headers.get("x-tollgate-request-id")!;
    expect(r.body.providerMetadata.gateway.generationId).toBe(id);
    await recordedUsage(id);
    expect((await get(`/v1/generation?id=${id}`, mine.apiKeyString)).status).toBe(200);
    const o = await get(`/v1/generation?id=${id}`, other.apiKeyString);
    expect(o.status).toBe(404);
    expect(o.body.error.type).toBe("not_found");
    expect((await get("/v1/generation", mine.apiKeyString)).status).toBe(400);
  });

  it("an inactive key is refused everywhere with 403 forbidden", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    expect((await call("PATCH", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token, body: { enabled: false } })).status).toBe(200);
    for (const path of ["/v4/ai/config", "/v1/credits", "/v1/report?start_date=2025-01-01&end_date=2025-01-02"]) {
      const r = await get(path, key.apiKeyString);
      expect(r.status, path).toBe(403);
      expect(r.body.error.type).toBe("forbidden");
    }
    const lm = await post("/v4/ai/language-model", key.apiKeyString, JSON.stringify(PROMPT));
    expect(lm.status).toBe(403);
  });
});
