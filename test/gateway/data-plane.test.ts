import { describe, expect, it } from "vitest";
import { QuotaSummarySchema } from "../../src/gateway/schemas.js";
import { AuthorizeResponse } from "../../src/gateway/v1_gateway_authorize.js";
import { ManualClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { createKeyFx, createRuleFx, createTeamFx, freshModel } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call, GATEWAY_TOKEN, getHarness, logLines } from "../helpers/harness.js";

/**
 * The data-plane lane (authorize, usage served ahead of the management middleware) and the
 * authorize answer assembled from remembered pieces: same answers, same checks, never stale.
 */
describe("data plane: the lane", () => {
  it("answers field for field in AuthorizeResponse's shape and order", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "daily" } });
    const r = await authorize(k.apiKeyString, "openai/gpt-5");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(r.body)).toEqual(Object.keys(AuthorizeResponse.shape));
    expect(Object.keys(r.body.quotas[0])).toEqual(Object.keys(QuotaSummarySchema.shape));
    expect(AuthorizeResponse.parse(r.body)).toEqual(r.body);
  });

  it("answers the same with request logs off (no logging wrapper) as with them on", async () => {
    const { makeApp } = await getHarness();
    const quiet = makeApp({ log: createLogger("error") });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const loud = await authorize(k.apiKeyString);
    const silent = await authorize(k.apiKeyString, "openai/gpt-5", quiet);
    expect(silent.status).toBe(200);
    expect(silent.body).toEqual(loud.body);
    const bad = await authorize("tgk_nope", "openai/gpt-5", quiet);
    expect(bad.status).toBe(401);
    expect(bad.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("logs every data-plane answer, refusals included, under the request id the error carries", async () => {
    const r = await authorize("tgk_nope");
    expect(r.status).toBe(401);
    const id = r.headers.get("x-request-id");
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "request" && l.id === id);
    expect(line).toMatchObject({ method: "POST", path: "/v1/gateway/authorize", status: 401 });
  });

  it("reads a body sent without Content-Length (chunked), and refuses one over 64 KiB with 413", async () => {
    const { app } = await getHarness();
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const streamed = (text: string) =>
      app.request("/v1/gateway/authorize", {
        method: "POST",
        headers: { authorization: `Bearer ${GATEWAY_TOKEN}`, "content-type": "application/json" },
        body: new ReadableStream({
          start(ctl) {
            ctl.enqueue(new TextEncoder().encode(text));
            ctl.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
    const ok = await streamed(JSON.stringify({ credential: k.apiKeyString, model: "openai/gpt-5" }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { keyId: string }).keyId).toBe(k.apiKey.id);
    const big = await streamed(JSON.stringify({ credential: k.apiKeyString, model: "openai/gpt-5", pad: "x".repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("other methods on its paths go on to the management API: 405 with Allow: POST", async () => {
    for (const path of ["/v1/gateway/authorize", "/v1/gateway/usage"]) {
      const r = await call("GET", path, { token: GATEWAY_TOKEN });
      expect(r.status).toBe(405);
      expect(r.headers.get("allow")).toBe("POST");
      expect(r.body.error.code).toBe("method_not_allowed");
    }
  });

  it("finds text Postgres cannot store only behind a \\u escape, and names the field", async () => {
    const r = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      raw: '{"keyId":"key_x","requestId":"a\\u0000b","model":"openai/gpt-5","costUsd":0}',
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.params).toEqual([{ path: "requestId", message: expect.stringContaining("NUL") }]);
    // An escaped backslash before a `u` is plain text: validated as usual (here: an unknown key).
    const plain = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      raw: '{"keyId":"key_x","requestId":"a\\\\u0000b","model":"openai/gpt-5","costUsd":0}',
      headers: { "content-type": "application/json" },
    });
    expect(plain.status).toBe(404);
  });
});

describe("data plane: remembered answers are never stale", () => {
  it("a period's end: the next authorize counts the new period (spend back to 0, periodEnd moved)", async () => {
    const { makeApp } = await getHarness();
    const clock = new ManualClock(Date.UTC(2031, 0, 1, 23, 59, 0));
    const app = makeApp({ clock });
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10, refreshPeriod: "daily" } });
    expect((await report(k.apiKey.id, 0.5, { app })).status).toBe(202);
    const before = await authorize(k.apiKeyString, "openai/gpt-5", app);
    expect(before.body.quotas[0]).toMatchObject({ currentSpend: 0.5, periodEnd: Date.UTC(2031, 0, 2) });
    clock.set(Date.UTC(2031, 0, 1, 23, 59, 59, 999));
    expect((await authorize(k.apiKeyString, "openai/gpt-5", app)).body.quotas[0].currentSpend).toBe(0.5);
    clock.set(Date.UTC(2031, 0, 2));
    const after = await authorize(k.apiKeyString, "openai/gpt-5", app);
    expect(after.body.quotas[0]).toMatchObject({ currentSpend: 0, remaining: 10, periodEnd: Date.UTC(2031, 0, 3) });
  });

  it("spend, a budget edit, a new team budget and a rule change each show in the very next answer", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const model = freshModel();
    const first = await authorize(k.apiKeyString, model);
    expect(first.body).toMatchObject({ model, appliedRuleIds: [] });
    expect(first.body.quotas.map((q: { currentSpend: number }) => q.currentSpend)).toEqual([0]);

    await report(k.apiKey.id, 1.25);
    expect((await authorize(k.apiKeyString, model)).body.quotas[0].currentSpend).toBe(1.25);

    await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota`, { token: team.owner.token, body: { limitAmount: 20 } });
    expect((await authorize(k.apiKeyString, model)).body.quotas[0]).toMatchObject({ limitAmount: 20, currentSpend: 1.25, remaining: 18.75 });

    await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body: { scopeType: "team", limitAmount: 1, refreshPeriod: "none" } });
    expect((await authorize(k.apiKeyString, model)).body.quotas.map((q: { scope: string }) => q.scope)).toEqual(["api_key", "team"]);

    const target = freshModel();
    const rule = await createRuleFx(team, { type: "rewrite", match: { model }, action: { rewriteModel: target } });
    expect((await authorize(k.apiKeyString, model)).body).toMatchObject({ requestedModel: model, model: target, appliedRuleIds: [rule.ruleId] });

    await call("PATCH", `/v1/ai-gateway/rules`, { token: team.owner.token, body: { ruleId: rule.ruleId, enabled: false } });
    expect((await authorize(k.apiKeyString, model)).body).toMatchObject({ model, appliedRuleIds: [] });
  });

  it("two keys of one team never share an answer", async () => {
    const team = await createTeamFx();
    const a = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 3 } });
    const b = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 4 } });
    await report(a.apiKey.id, 1);
    const ra = await authorize(a.apiKeyString);
    const rb = await authorize(b.apiKeyString);
    expect(ra.body).toMatchObject({ keyId: a.apiKey.id, quotas: [{ scopeId: a.apiKey.id, limitAmount: 3, currentSpend: 1 }] });
    expect(rb.body).toMatchObject({ keyId: b.apiKey.id, quotas: [{ scopeId: b.apiKey.id, limitAmount: 4, currentSpend: 0 }] });
  });
});
