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
];

function expectEnvelope(r: { status: number; body: any; text: string }, label: string) {
  expect(r.status, `${label}: ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, label).toBeLessThan(500);
  expect(typeof r.body?.error?.code, label).toBe("string");
  expect(typeof r.body?.error?.message, label).toBe("string");
}

describe("error envelope", () => {
  const bodyRoutes = ROUTES.filter((r) => r.method !== "GET" && r.method !== "DELETE");
  for (const rc of bodyRoutes) {
    it(`${rc.method} ${rc.route}: every malformed body is a 4xx in the envelope`, async () => {
      const team: TeamFx = await createTeamFx();
      const req = await rc.make(team);
      const token = rc.scope === "admin" ? (await import("../helpers/harness.js")).ADMIN_TOKEN : team.owner.token;
      for (const [label, raw] of MALFORMED) {
        const r = await call(rc.method, req.path, { token, raw, headers: { "content-type": "application/json" } });
        expectEnvelope(r, label);
        if (label === "100 KB of string") expect(r.status).toBe(413);
      }
      const noType = await call(rc.method, req.path, { token, raw: JSON.stringify(req.body) });
      expectEnvelope(noType, "no content-type");
      const form = await call(rc.method, req.path, { token, raw: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } });
      expectEnvelope(form, "form body");
    });
  }

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
