import { and, eq } from "drizzle-orm";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, usageEvents } from "../../src/db/schema.js";
import { ManualClock } from "../../src/lib/clock.js";
import { publishedJwks, RETIRED_KEY_GRACE_MS } from "../../src/oidc/keys.js";
import { createProjectFx, createRuleFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN, getHarness } from "../helpers/harness.js";
import { appTrusting, headerOf, localIssuer, mapping, mintFx, payloadOf } from "./helpers.js";

const ISSUER = "http://tollgate.test"; // TOLLGATE_PUBLIC_URL of the test harness

describe("Tollgate as an OIDC issuer", () => {
  it("publishes its discovery document and JWKS, with cache headers", async () => {
    const conf = await call("GET", "/.well-known/openid-configuration");
    expect(conf.status).toBe(200);
    expect(conf.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(conf.body.issuer).toBe(ISSUER);
    expect(conf.body.jwks_uri).toBe(`${ISSUER}/.well-known/jwks.json`);
    expect(conf.body.id_token_signing_alg_values_supported).toEqual(["ES256"]);
    const jwks = await call("GET", "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(jwks.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of jwks.body.keys) {
      expect(k).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(k.d).toBeUndefined(); // never the private part
    }
  });

  it("mints a 12 h token with the contract's claims, verifiable with the published JWKS", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const before = Date.now();
    const { token, expiresAt } = await mintFx(team, project.id, "production");
    const jwks = await call("GET", "/.well-known/jwks.json");
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks.body), {
      issuer: ISSUER,
      audience: `${ISSUER}/${team.slug}`,
      algorithms: ["ES256"],
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload).toMatchObject({
      iss: ISSUER,
      aud: `${ISSUER}/${team.slug}`,
      sub: `owner:${team.slug}:project:${project.name}:environment:production`,
      owner: team.slug,
      owner_id: team.id,
      project: project.name,
      project_id: project.id,
      environment: "production",
    });
    expect(payload.exp! - payload.iat!).toBe(12 * 3600);
    expect(payload.nbf).toBe(payload.iat);
    expect(typeof payload.jti).toBe("string");
    expect(expiresAt).toBe(payload.exp! * 1000);
    expect(expiresAt - before).toBeGreaterThan(12 * 3600 * 1000 - 5000);
    // The default environment is development.
    expect(payloadOf((await mintFx(team, project.id)).token).environment).toBe("development");
  });

  it("any member mints development tokens; preview and production need OWNER or MEMBER", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    for (const u of [team.owner, team.member, team.developer]) {
      const r = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: u.token, body: { environment: "development" } });
      expect(r.status, r.text).toBe(201);
    }
    for (const env of ["preview", "production"]) {
      expect((await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.member.token, body: { environment: env } })).status).toBe(201);
      const dev = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.developer.token, body: { environment: env } });
      expect(dev.status).toBe(403);
      expect(dev.body.error.message).toContain("DEVELOPER");
    }
  });

  it("records each issuance in the audit log, never the token", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const { token } = await mintFx(team, project.id, "preview");
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token });
    const ev = log.body.events.find((e: { action: string }) => e.action === "oidc_token.create");
    expect(ev).toMatchObject({ actor: { type: "user", id: team.owner.id }, target: { type: "project", id: project.id } });
    expect(ev.data).toMatchObject({ environment: "preview", jti: payloadOf(token).jti });
    expect(log.text).not.toContain(token);
    expect(log.text).not.toContain(token.split(".")[2]);
  });
});

describe("authorize and usage with a project token", () => {
  it("authorizes with keyId null, the team's rules, and the team's and project's budgets", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const rule = await createRuleFx(team, { type: "rewrite", action: { rewriteModel: "openai/gpt-5-mini" } });
    const { token } = await mintFx(team, project.id);
    for (const body of [
      { scopeType: "team", limitAmount: 10, refreshPeriod: "monthly" },
      { scopeType: "project", projectId: project.id, limitAmount: 1, refreshPeriod: "monthly" },
    ]) {
      expect((await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, { token: team.owner.token, body })).status).toBe(200);
    }
    const a = await authorize(token, rule.match.model);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ teamId: team.id, projectId: project.id, keyId: null, model: "openai/gpt-5-mini", appliedRuleIds: [rule.ruleId] });
    expect(a.body.quotas.map((q: { scope: string }) => q.scope)).toEqual(["team", "project"]);

    // Usage with the token as credential counts against both budgets; the spent project budget refuses the next request.
    const u = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      body: { credential: token, requestId: `oidc-${project.id}`, model: "openai/gpt-5-mini", costUsd: 1 },
    });
    expect(u.status, u.text).toBe(202);
    expect(u.body.quotas.map((q: { scope: string; currentSpend: number }) => [q.scope, q.currentSpend])).toEqual([
      ["team", 1],
      ["project", 1],
    ]);
    const { database } = await getHarness();
    const [ev] = await database.db.select().from(usageEvents).where(eq(usageEvents.requestId, `oidc-${project.id}`));
    expect(ev).toMatchObject({ teamId: team.id, projectId: project.id, keyId: null, userId: null });
    const refused = await authorize(token);
    expect(refused.status).toBe(402);
    expect(refused.body.error.param.scope).toBe("project");
  });

  it("a deny rule of the team applies to token requests", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const rule = await createRuleFx(team, { type: "deny", action: { reason: "not here" } });
    const { token } = await mintFx(team, project.id);
    const r = await authorize(token, rule.match.model);
    expect(r.status).toBe(403);
    expect(r.body.error.param).toEqual({ ruleId: rule.ruleId, reason: "not here" });
  });

  it("deleting the project stops its tokens at once (401), even when cached", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const { token } = await mintFx(team, project.id);
    expect((await authorize(token)).status).toBe(200);
    expect((await authorize(token)).status).toBe(200); // cached
    expect((await call("DELETE", `/v1/projects/${project.id}`, { token: team.owner.token })).status).toBe(204);
    const r = await authorize(token);
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe("Invalid or expired token.");
  });
});

describe("signing key rotation", () => {
  it("the admin rotates: a new key signs, the old one stays published, and a live token keeps working", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const old = await mintFx(team, project.id);
    expect((await authorize(old.token)).status).toBe(200);
    const rot = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, body: { reason: "test" } });
    expect(rot.status, rot.text).toBe(200);
    expect(rot.body.retiredKids).toContain(headerOf(old.token).kid);
    const fresh = await mintFx(team, project.id);
    expect(headerOf(fresh.token).kid).toBe(rot.body.kid);
    const jwks = await call("GET", "/.well-known/jwks.json");
    const kids = jwks.body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toContain(rot.body.kid);
    expect(kids).toContain(headerOf(old.token).kid);
    // Both verify with the published JWKS, and both authorize (the old from cache, then afresh on another app).
    for (const t of [old.token, fresh.token]) {
      await jwtVerify(t, createLocalJWKSet(jwks.body), { issuer: ISSUER, algorithms: ["ES256"] });
      expect((await authorize(t)).status).toBe(200);
      const other = (await getHarness()).makeApp();
      expect((await authorize(t, "openai/gpt-5", other)).status).toBe(200);
    }
    const { database } = await getHarness();
    const [ev] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "oidc_key.rotate"), eq(auditEvents.targetId, rot.body.kid)));
    expect(ev).toMatchObject({ actorType: "admin", teamId: null });
    expect(JSON.stringify(ev!.data)).not.toMatch(/"d"/);
  });

  it("rotates by itself once the key is older than the configured age", async () => {
    const h = await getHarness();
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const clock = new ManualClock(Date.now());
    const app = h.makeApp({ clock, config: { oidcKeyMaxAgeMs: 60_000 } });
    const first = await mintFx(team, project.id, undefined, team.owner.token, app);
    clock.advance(61_000);
    const second = await mintFx(team, project.id, undefined, team.owner.token, app);
    expect(headerOf(second.token).kid).not.toBe(headerOf(first.token).kid);
    const kids = (await call("GET", "/.well-known/jwks.json")).body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([headerOf(first.token).kid, headerOf(second.token).kid]));
    expect((await authorize(first.token)).status).toBe(200);
  });

  it("a retired key leaves the JWKS only once every token it signed has expired", async () => {
    const h = await getHarness();
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const old = await mintFx(team, project.id);
    const rot = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, body: {} });
    const now = Date.now();
    const kid = headerOf(old.token).kid;
    expect((await publishedJwks(h.database.db, old.expiresAt)).map((k) => k.kid)).toContain(kid);
    expect((await publishedJwks(h.database.db, now + RETIRED_KEY_GRACE_MS + 1000)).map((k) => k.kid)).not.toContain(kid);
    expect((await publishedJwks(h.database.db, now + RETIRED_KEY_GRACE_MS + 1000)).map((k) => k.kid)).toContain(rot.body.kid);
  });
});

describe("trusted external issuers", () => {
  let idp: Awaited<ReturnType<typeof localIssuer>>;
  beforeAll(async () => {
    idp = await localIssuer();
  });
  afterAll(async () => {
    await idp.close();
  });

  it("a CI token acts on its mapped team with its role, found through discovery; audit names issuer and subject", async () => {
    const team = await createTeamFx();
    const app = await appTrusting([mapping(idp.issuer, team)]);
    const jwt = await idp.sign();
    const created = await call("POST", `/v1/api-keys`, { token: jwt, app, body: { purpose: "ai-gateway", name: "from-ci" } });
    expect(created.status, created.text).toBe(200);
    const listed = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: jwt, app });
    expect(listed.status).toBe(200);
    expect(listed.body.apiKeys.map((k: { name: string }) => k.name)).toContain("from-ci");
    expect(idp.discoveryHits).toBeGreaterThanOrEqual(1);
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token });
    const ev = log.body.events.find((e: { action: string }) => e.action === "api_key.create");
    expect(ev.actor).toEqual({
      type: "external",
      id: `${idp.issuer}#repo:acme/app:ref:refs/heads/main`,
      issuer: idp.issuer,
      subject: "repo:acme/app:ref:refs/heads/main",
    });
    expect(log.text).not.toContain(jwt);
  });

  it("the role of the mapping applies: a DEVELOPER mapping reads but cannot write", async () => {
    const team = await createTeamFx();
    const app = await appTrusting([mapping(idp.issuer, team, { role: "DEVELOPER", team: team.id })]);
    const jwt = await idp.sign();
    expect((await call("GET", `/v1/api-keys`, { token: jwt, app })).status).toBe(200);
    expect((await call("POST", `/v1/api-keys`, { token: jwt, app, body: { purpose: "ai-gateway" } })).status).toBe(403);
  });

  it("a CI pipeline mints a project token with no stored secret, and the gateway accepts it", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const app = await appTrusting([mapping(idp.issuer, team)]);
    const r = await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: await idp.sign(), app, body: { environment: "production" } });
    expect(r.status, r.text).toBe(201);
    expect((await authorize(r.body.token)).status).toBe(200);
  });

  it("keys rotated at the issuer are picked up (refetch on an unknown kid)", async () => {
    const team = await createTeamFx();
    const app = await appTrusting([mapping(idp.issuer, team, { jwksUrl: `${idp.issuer}/keys` })]);
    expect((await call("GET", "/v1/api-keys", { token: await idp.sign(), app })).status).toBe(200);
    const hits = idp.jwksHits;
    await idp.rotate();
    await new Promise((r) => setTimeout(r, 1100)); // past the refetch cooldown
    expect((await call("GET", "/v1/api-keys", { token: await idp.sign(), app })).status).toBe(200);
    expect(idp.jwksHits).toBe(hits + 1);
  });
});
