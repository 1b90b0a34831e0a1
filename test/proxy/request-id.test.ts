import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { openaiClient, startGateway, type GatewayFx } from "./setup.js";
import { recordedUsage } from "./helpers.js";
import { logLines } from "../helpers/harness.js";

let fx: GatewayFx;
beforeAll(async () => {
  fx = await startGateway();
});
afterAll(() => fx.close());

// One request id: the answer's x-request-id is the id of the request's usage record (and of its
// log line); the provider's own id goes on beside it.
describe("a gateway request's one id", () => {
  it("x-request-id names the usage record; the provider's x-request-id is x-upstream-request-id", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { response } = await openaiClient(fx, key.apiKeyString)
      .chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^req_[0-9a-z]+$/);
    expect(response.headers.get("x-tollgate-request-id")).toBe(id);
    expect(response.headers.get("x-upstream-request-id")).toBe("upstream-req-1");
    const row = await recordedUsage(id);
    expect(row).toMatchObject({ requestId: id, keyId: key.apiKey.id });
  });

  it("each request has its own id, and a refusal in the provider's shape carries one too", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const body = JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hello" }] });
    const send = (k: string) => fetch(`${fx.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${k}`, "content-type": "application/json" }, body });
    const [a, b, refused] = await Promise.all([send(key.apiKeyString), send(key.apiKeyString), send("tgk_nope")]);
    expect([a.status, b.status, refused.status]).toEqual([200, 200, 401]);
    const ids = [a, b, refused].map((r) => r.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(3);
    expect(((await refused.json()) as any).error.code).toBe("invalid_api_key");
  });

  it("the log lines a request causes carry its id: a fallback's, and the request line's", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const body = { model: "anthropic/claude-haiku-4-5-fail-529", models: ["anthropic/claude-haiku-4-5"], max_tokens: 16, messages: [{ role: "user", content: "hi" }] };
    const res = await fetch(`${fx.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key.apiKeyString, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id");
    const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.requestId === id);
    expect(lines.map((l) => l.msg)).toEqual(["model failed; falling back to the next of `models`", "request"]);
    expect(lines[0]).toMatchObject({ from: "anthropic/claude-haiku-4-5-fail-529", to: "anthropic/claude-haiku-4-5" });
  });
});
