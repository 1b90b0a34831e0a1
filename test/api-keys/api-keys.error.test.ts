import { describe, expect, it } from "vitest";
import { createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";

describe("gateway API keys: bad input", () => {
  const cases: [string, unknown, string][] = [
    ["missing purpose", {}, "purpose"],
    ["wrong purpose", { purpose: "billing" }, "purpose"],
    ["unknown field", { purpose: "ai-gateway", secret: "x" }, "secret"],
    ["model not provider/model", { purpose: "ai-gateway", models: ["gpt-5"] }, "models.0"],
    ["models not an array", { purpose: "ai-gateway", models: "openai/gpt-5" }, "models"],
    ["name too long", { purpose: "ai-gateway", name: "x".repeat(129) }, "name"],
    ["name a number", { purpose: "ai-gateway", name: 5 }, "name"],
    ["expiresAt a string", { purpose: "ai-gateway", expiresAt: "tomorrow" }, "expiresAt"],
    ["expiresAt in the past", { purpose: "ai-gateway", expiresAt: 1000 }, "expiresAt"],
    ["metadata an array", { purpose: "ai-gateway", metadata: [1] }, "metadata"],
    ["unknown project", { purpose: "ai-gateway", projectId: "prj_01jd7y2m3n4p5q6r7s8t9v0w1x" }, "projectId"],
  ];
  for (const [label, body, path] of cases) {
    it(`400 for ${label}, naming ${path}`, async () => {
      const team = await createTeamFx();
      const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(r.body.error.params.map((p: { path: string }) => p.path)).toContain(path);
    });
  }

  it("400 for limit=101 and limit=0, and for a forged cursor", async () => {
    const team = await createTeamFx();
    for (const q of ["limit=101", "limit=0", "limit=abc", "until=not-a-cursor"]) {
      const r = await call("GET", `/v1/api-keys?teamId=${team.id}&${q}`, { token: team.owner.token });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
    }
  });

  it("400 when neither teamId nor slug is given with an unscoped token", async () => {
    const team = await createTeamFx();
    const r = await call("GET", "/v1/api-keys", { token: team.owner.token });
    expect(r.status).toBe(400);
    expect(r.body.error.params[0].path).toBe("teamId");
  });

  it("403 when a team-scoped token names another team", async () => {
    const [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    // The owner of a joins b too, then scopes a token to a.
    await call("POST", `/v1/teams/${b.id}/members`, { token: b.owner.token, body: { email: a.owner.email, role: "OWNER" } });
    const tok = await call("POST", "/v1/user/tokens", { token: a.owner.token, body: { name: "a-only", teamId: a.id } });
    const r = await call("GET", `/v1/api-keys?teamId=${b.id}`, { token: tok.body.bearerToken });
    expect(r.status).toBe(403);
  });

  it("404 when ?teamId= names another team than the key's", async () => {
    const [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    const k = await call("POST", `/v1/api-keys?teamId=${a.id}`, { token: a.owner.token, body: { purpose: "ai-gateway" } });
    const r = await call("GET", `/v1/api-keys/${k.body.apiKey.id}?teamId=${b.id}`, { token: a.owner.token });
    expect(r.status).toBe(404);
  });
});
