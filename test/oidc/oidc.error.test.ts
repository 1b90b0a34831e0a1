import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, getHarness } from "../helpers/harness.js";
import { mintFx } from "./helpers.js";

describe("OIDC errors", () => {
  it("without an encryption key, minting and rotating answer 503 naming TOLLGATE_ENCRYPTION_KEY; verifying still works", async () => {
    const h = await getHarness();
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const { token } = await mintFx(team, project.id);
    const noKey = h.makeApp({ keyring: null });
    const r = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, app: noKey, body: {} });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("encryption_key_missing");
    expect(r.body.error.message).toContain("TOLLGATE_ENCRYPTION_KEY");
    const rot = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, app: noKey, body: {} });
    expect(rot.status).toBe(503);
    expect(rot.body.error.message).toContain("TOLLGATE_ENCRYPTION_KEY");
    expect((await authorize(token, "openai/gpt-5", noKey)).status).toBe(200);
    expect((await call("GET", "/.well-known/jwks.json", { app: noKey })).body.keys.length).toBeGreaterThan(0);
  });

  it("400 for an unknown environment or field; 404 for a missing project or another team's", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const project = await createProjectFx(team);
    const bad = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, body: { environment: "staging" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.params[0].path).toBe("environment");
    expect((await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, body: { env: "x" } })).status).toBe(400);
    expect((await call("POST", `/v1/projects/prj_missing/oidc-token`, { token: team.owner.token, body: {} })).status).toBe(404);
    expect((await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: other.owner.token, body: {} })).status).toBe(404);
    expect((await call("POST", `/v1/projects/${project.id}/oidc-token?teamId=${other.id}`, { token: team.owner.token, body: {} })).status).toBe(404);
  });

  it("a deleted project cannot mint (404)", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    await call("DELETE", `/v1/projects/${project.id}`, { token: team.owner.token });
    expect((await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.owner.token, body: {} })).status).toBe(404);
  });

  it("TOLLGATE_TRUSTED_ISSUERS is validated at start, with messages naming the entry", () => {
    const bad = (v: string) => () => loadConfig({ TOLLGATE_TRUSTED_ISSUERS: v });
    expect(bad("[{")).toThrow(/TOLLGATE_TRUSTED_ISSUERS: not valid JSON/);
    expect(bad('[{"issuer":"not a url","audience":"a","subject":"*","team":"t","role":"MEMBER"}]')).toThrow(/entry 1\.issuer/);
    expect(bad('[{"issuer":"https://x.test","audience":"a","subject":"*","team":"t","role":"ADMIN"}]')).toThrow(/entry 1\.role/);
    expect(bad('{"issuer":"https://x.test","audience":"a","subject":"*","team":"t","role":"MEMBER","algorithms":["HS256"]}')).toThrow(/algorithms/);
    expect(bad("/nonexistent/issuers.json")).toThrow(/cannot read the file/);
    const ok = loadConfig({
      TOLLGATE_TRUSTED_ISSUERS: '{"issuer":"https://token.actions.githubusercontent.com","audience":"tollgate","subject":"repo:acme/*","team":"acme","role":"MEMBER"}',
    });
    expect(ok.trustedIssuers[0]).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", jwksUrl: null, role: "MEMBER" });
    expect(() => loadConfig({ TOLLGATE_OIDC_KEY_MAX_AGE_DAYS: "0" })).toThrow(/TOLLGATE_OIDC_KEY_MAX_AGE_DAYS/);
  });
});
