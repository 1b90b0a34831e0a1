import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN, getHarness } from "../helpers/harness.js";

/** Every answer carries x-request-id, the id of its request log line (the docs promise it). */
describe("x-request-id on every answer", () => {
  it("on successes of the management API, the data plane and the public endpoints, and on errors", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const answers = [
      await call("GET", "/healthz"),
      await call("GET", "/v1/user", { token: team.owner.token }),
      await call("POST", "/v1/gateway/authorize", { token: GATEWAY_TOKEN, body: { credential: k.apiKeyString, model: "openai/gpt-5" } }),
      await call("POST", "/v1/gateway/usage", { token: GATEWAY_TOKEN, body: { keyId: k.apiKey.id, requestId: `r-${k.apiKey.id}`, model: "openai/gpt-5", costUsd: 0.1 } }),
      await call("POST", "/external/compromised_secret", { body: { secret: { api_key: "tgk_example" } } }),
      await call("DELETE", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token }),
      await call("GET", "/v1/user"),
      await call("GET", "/nowhere"),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 202, 202, 204, 401, 404]);
    const ids = answers.map((a) => a.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("an API whose service token is not configured says so", () => {
  it("401 on /v1/gateway/* and /v1/admin/* naming the variable; other tokens unchanged", async () => {
    const { makeApp } = await getHarness();
    const app = makeApp({ config: { adminToken: undefined, gatewayToken: undefined } });
    const gw = await call("POST", "/v1/gateway/authorize", { app, token: GATEWAY_TOKEN, body: { credential: "tgk_x", model: "openai/gpt-5" } });
    expect(gw.status).toBe(401);
    expect(gw.body.error.message).toMatch(/gateway API is off.*TOLLGATE_GATEWAY_TOKEN/);
    const admin = await call("POST", "/v1/admin/users", { app, token: ADMIN_TOKEN, body: { email: "x@example.test" } });
    expect(admin.status).toBe(401);
    expect(admin.body.error.message).toMatch(/admin API is off.*TOLLGATE_ADMIN_TOKEN/);
    // A personal token on the admin API: 403, saying the admin token is not configured.
    const team = await createTeamFx();
    const asUser = await call("POST", "/v1/admin/users", { app, token: team.owner.token, body: { email: "y@example.test" } });
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.message).toMatch(/without TOLLGATE_ADMIN_TOKEN/);
    // Elsewhere an unknown token is still just invalid.
    const elsewhere = await call("GET", "/v1/user", { app, token: "not-a-token-of-anyone" });
    expect(elsewhere.body.error.message).toBe("Invalid or expired token.");
    // Configured: the usual answer.
    const configured = await call("POST", "/v1/gateway/authorize", { token: "wrong-token-0123456789", body: { credential: "tgk_x", model: "openai/gpt-5" } });
    expect(configured.body.error.message).toBe("Invalid or expired token.");
  });
});
