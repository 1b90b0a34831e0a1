import { describe, expect, it } from "vitest";
import { createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";
import { ROUTES } from "../routes.js";

const MALFORMED: [string, string][] = [
  ["invalid JSON", '{"purpose": '],
  ["a JSON array", "[1, 2]"],
  ["JSON null", "null"],
  ["a JSON string", '"hello"'],
  ["a number", "42"],
  ["an empty body", ""],
  ["wrong types everywhere", JSON.stringify({ purpose: 1, name: [], email: {}, slug: 5, role: true, models: "x", expiresAt: "soon" })],
  ["an unknown field", JSON.stringify({ totallyUnknownField: 1 })],
  ["100 KB of string", JSON.stringify({ name: "x".repeat(100_000) })],
  ["deeply nested JSON", "[".repeat(5000) + "]".repeat(5000)],
  ["a NUL character in a string", '{"name": "a\\u0000b", "email": "x\\u0000@y.test", "slug": "s\\u0000"}'],
  ["an unpaired surrogate", '{"name": "a\\ud800b", "email": "\\udc00@y.test"}'],
];

function expectEnvelope(r: { status: number; body: any; text: string }, label: string) {
  expect(r.status, `${label}: ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, label).toBeLessThan(500);
  expect(typeof (r.body?.error?.code ?? r.body?.error?.type), label).toBe("string"); // Anthropic's shape has a type, no code
  expect(typeof r.body?.error?.message, label).toBe("string");
}

describe("error envelope", () => {
  const bodyRoutes = ROUTES.filter((r) => r.method !== "GET" && r.method !== "DELETE");
  for (const rc of bodyRoutes) {
    it(`${rc.method} ${rc.route}: every malformed body is a 4xx in the envelope`, async () => {
      const team: TeamFx = await createTeamFx();
      const req = await rc.make(team);
      const token = req.token ?? (rc.scope === "admin" ? (await import("../helpers/harness.js")).ADMIN_TOKEN : team.owner.token);
      const app = req.app;
      for (const [label, raw] of MALFORMED) {
        const r = await call(rc.method, req.path, { token, raw, headers: { ...req.headers, "content-type": "application/json" }, app });
        expectEnvelope(r, label);
        // The gateway's routes take prompts up to 10 MiB.
        if (label === "100 KB of string") expect(r.status).toBe(rc.scope === "key" ? 400 : 413);
      }
      // A route whose valid request has no body (a webhook's test) takes one without a type.
      if (req.body !== undefined) {
        const noType = await call(rc.method, req.path, { token, raw: JSON.stringify(req.body), headers: req.headers, app });
        expectEnvelope(noType, "no content-type");
      }
      const form = await call(rc.method, req.path, { token, raw: "a=b", headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded" }, app });
      expectEnvelope(form, "form body");
    });
  }

  for (const rc of bodyRoutes) {
    it(`${rc.method} ${rc.route}: a body nested past 64 levels is the depth 400 in the route's error shape; not JSON-typed, a 4xx`, async () => {
      const team: TeamFx = await createTeamFx();
      const req = await rc.make(team);
      const { ADMIN_TOKEN, GATEWAY_TOKEN } = await import("../helpers/harness.js");
      const token = req.token ?? (rc.scope === "admin" ? ADMIN_TOKEN : rc.scope === "gateway" ? GATEWAY_TOKEN : team.owner.token);
      // A body the route takes, with one more field nested `n` deep.
      const withDeep = (n: number) => JSON.stringify({ ...(req.body as object | undefined), deep: "DEEP" }).replace('"DEEP"', "[".repeat(n) + "]".repeat(n));
      for (const n of [65, 1000, 5000]) {
        const r = await call(rc.method, req.path, { token, raw: withDeep(n), headers: { ...req.headers, "content-type": "application/json" }, app: req.app });
        expectEnvelope(r, `${n} deep`);
        expect(r.status, `${n} deep`).toBe(400);
        expect(r.body.error.message, `${n} deep`).toContain("nested deeper than 64 levels");
        if (rc.route.startsWith("/v1/messages")) expect(r.body, `${n} deep`).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
        else if (/^\/v[34]\/ai\//.test(rc.route)) expect(r.body.error, `${n} deep`).toMatchObject({ type: "invalid_request_error" });
        else if (rc.scope === "key") expect(r.body.error, `${n} deep`).toMatchObject({ type: "invalid_request_error", code: "bad_request", param: "(body)" });
        else expect(r.body.error.params, `${n} deep`).toEqual([expect.objectContaining({ path: "(body)" })]);
        for (const headers of [{}, { "content-type": "text/plain" }] as Record<string, string>[]) {
          expectEnvelope(await call(rc.method, req.path, { token, raw: withDeep(n), headers: { ...req.headers, ...headers }, app: req.app }), `${n} deep, ${headers["content-type"] ?? "no"} content-type`);
        }
      }
    });
  }

  it("NUL and unpaired surrogates in a path, query or body are 400 naming the field, never a 500", async () => {
    const team = await createTeamFx();
    const cases: [string, string, string | undefined, string][] = [
      ["GET", `/v1/api-keys?teamId=${team.id}%00`, undefined, "teamId"],
      ["GET", "/v1/api-keys/key_%00", undefined, "(path)"],
      ["POST", `/v1/projects?teamId=${team.id}`, '{"name": "p\\u0000"}', "name"],
      ["POST", `/v1/api-keys?teamId=${team.id}`, '{"purpose": "ai-gateway", "metadata": {"k\\u0000": 1}}', "metadata.k\u0000"],
      ["POST", `/v1/api-keys?teamId=${team.id}`, '{"purpose": "ai-gateway", "metadata": {"k": ["\\ud83d"]}}', "metadata.k.0"],
    ];
    for (const [method, path, raw, param] of cases) {
      const r = await call(method, path, { token: team.owner.token, raw, headers: raw ? { "content-type": "application/json" } : {} });
      expect(r.status, path).toBe(400);
      expect(r.body.error.params.map((p: { path: string }) => p.path)).toContain(param);
    }
    // A well-formed pair (an emoji) is fine.
    const ok = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body: { purpose: "ai-gateway", name: "🔑 key" } });
    expect(ok.status).toBe(200);
    expect(ok.body.apiKey.name).toBe("🔑 key");
  });

  it("validation failures are 400 bad_request with params naming each field", async () => {
    const team = await createTeamFx();
    const r = await call("POST", "/v1/teams", { token: team.owner.token, body: { slug: "Not A Slug", name: "", extra: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
    expect(r.body.error.params.map((p: { path: string }) => p.path).sort()).toEqual(["extra", "name", "slug"]);
  });

  it("unknown routes are 404 and wrong methods 405 with Allow, both in the envelope", async () => {
    const nf = await call("GET", "/v1/nothing-here", { token: "x" });
    expect([401, 404]).toContain(nf.status);
    const nf2 = await call("GET", "/nothing-here");
    expect(nf2.status).toBe(404);
    expect(nf2.body.error.code).toBe("not_found");
    const team = await createTeamFx();
    const m = await call("PUT", "/v1/api-keys", { token: team.owner.token });
    expect(m.status).toBe(405);
    expect(m.body.error.code).toBe("method_not_allowed");
    expect(m.headers.get("allow")).toContain("POST");
  });

  it("a body over 64 KiB is 413 even without a Content-Length", async () => {
    const team = await createTeamFx();
    const big = JSON.stringify({ purpose: "ai-gateway", metadata: { blob: "y".repeat(70 * 1024) } });
    const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, raw: big, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
  });
});
