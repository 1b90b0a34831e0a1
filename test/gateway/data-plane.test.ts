import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QuotaSummarySchema } from "../../src/gateway/schemas.js";
import { AuthorizeRequest, AuthorizeResponse, isPlainAuthorizeRequest } from "../../src/gateway/v1_gateway_authorize.js";
import { ManualClock } from "../../src/lib/clock.js";
import { compileRules, resolveModel, resolveModelCached, RuleChainInvalidError, type ResolvableRule } from "../../src/rules/resolve.js";
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
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "request" && l.requestId === id);
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

  it("a remembered routing result is resolveModel's, errors included, and belongs to one rule set", () => {
    const rule = (ruleId: string, type: "rewrite" | "deny", matchModel: string, rewriteModel: string | null): ResolvableRule => ({
      ruleId,
      type,
      matchModel,
      rewriteModel,
      reason: type === "deny" ? "no" : null,
      enabled: true,
    });
    const cyclic = compileRules([rule("r1", "rewrite", "p/a", "p/b"), rule("r2", "rewrite", "p/b", "p/a")]);
    for (let i = 0; i < 2; i++) expect(() => resolveModelCached(cyclic, "p/a")).toThrow(RuleChainInvalidError);
    expect(resolveModelCached(cyclic, "p/c")).toEqual(resolveModel(cyclic, "p/c"));
    const denying = compileRules([rule("r3", "deny", "p/*", null)]);
    expect(resolveModelCached(denying, "p/a")).toEqual(resolveModel(denying, "p/a"));
    expect(resolveModelCached(denying, "p/a").denied).toEqual({ ruleId: "r3", reason: "no" });
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

describe("data plane: the quick body test", () => {
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom("openai/gpt-5", "tgk_abc", "", "a".repeat(4096), "a".repeat(4097), "openai/", "OpenAI/gpt-5", "openai/gpt 5", "p/m/n", "p//m"),
  );
  const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

  it("passes a two-string body exactly when AuthorizeRequest accepts it, and then unchanged", () => {
    fc.assert(
      fc.property(text, text, (credential, model) => {
        const body = { credential, model };
        const r = AuthorizeRequest.safeParse(body);
        expect(isPlainAuthorizeRequest(body)).toBe(r.success);
        if (r.success) expect(r.data).toEqual(body);
      }),
      { numRuns: 3000 },
    );
  });

  it("passes no other body AuthorizeRequest would refuse or change", () => {
    const body = fc.oneof(
      fc.record({ credential: value, model: value }, { requiredKeys: [] }),
      fc.dictionary(fc.constantFrom("credential", "model", "x", "__proto__", "constructor"), value),
      value,
    );
    fc.assert(
      fc.property(body, (b) => {
        if (isPlainAuthorizeRequest(b)) expect(AuthorizeRequest.safeParse(b)).toEqual({ success: true, data: b });
      }),
      { numRuns: 3000 },
    );
    expect(isPlainAuthorizeRequest(JSON.parse('{"credential":"tgk_a","model":"openai/gpt-5","__proto__":{}}'))).toBe(false);
    expect(isPlainAuthorizeRequest(["tgk_a", "openai/gpt-5"])).toBe(false);
  });
});

describe("data plane: over real HTTP (@hono/node-server, as `npm start` serves it)", () => {
  let server: ServerType;
  let port = 0;
  beforeAll(async () => {
    const { app } = await getHarness();
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** A raw request; a header given as a list is sent once per value. Without content-length, Node sends the body chunked. */
  const send = (headers: Record<string, string | string[]>, body: string | string[]) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/v1/gateway/authorize", headers }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (data += d));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(data) }));
      });
      req.on("error", reject);
      for (const part of [body].flat()) req.write(part);
      req.end();
    });

  it("answers as in-process, refuses as in-process, and reads a chunked body", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 5 } });
    const body = JSON.stringify({ credential: k.apiKeyString, model: "openai/gpt-5" });
    const gateway = `Bearer ${GATEWAY_TOKEN}`;
    const json = { "content-type": "application/json" };
    const ok = await send({ authorization: gateway, ...json, "content-length": String(body.length) }, body);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual((await authorize(k.apiKeyString)).body);

    const chunked = await send({ authorization: gateway, ...json }, [body.slice(0, 20), body.slice(20)]);
    expect(chunked.status).toBe(200);
    expect(chunked.body.keyId).toBe(k.apiKey.id);

    const cases: [Record<string, string | string[]>, number, string][] = [
      [{ ...json }, 401, "unauthorized"],
      [{ authorization: "Bearer wrong-token-0123456789", ...json }, 401, "unauthorized"],
      [{ Authorization: `bearer   ${GATEWAY_TOKEN}  `, "Content-Type": "application/json; charset=utf-8" }, 200, ""],
      [{ authorization: gateway, "content-type": "text/plain" }, 400, "bad_request"],
      // The first of repeated Authorization headers counts, as in Node's header object.
      [{ authorization: [gateway, "Bearer nope"], ...json }, 200, ""],
      [{ authorization: ["Bearer nope", gateway], ...json }, 401, "unauthorized"],
    ];
    for (const [headers, status, code] of cases) {
      const r = await send({ ...headers, "content-length": String(body.length) }, body);
      expect(r.status, JSON.stringify(headers)).toBe(status);
      if (code) expect(r.body.error.code).toBe(code);
    }
    const big = JSON.stringify({ credential: k.apiKeyString, model: "openai/gpt-5", pad: "x".repeat(70_000) });
    const tooBig = await send({ authorization: gateway, ...json, "content-length": String(big.length) }, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe("payload_too_large");
  });
});
