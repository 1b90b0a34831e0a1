import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { ManualClock } from "../../src/lib/clock.js";
import { call, GATEWAY_TOKEN, getHarness, logLines } from "../helpers/harness.js";
import { appTrusting, currentSigningKey, headerOf, localIssuer, mapping, mintFx, payloadOf, resign } from "./helpers.js";

const REFUSAL = { code: "unauthorized", message: "Invalid or expired token." };
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("bad project tokens are 401 with nothing that helps an attacker", () => {
  let team: TeamFx;
  let project: { id: string; name: string };
  let good: string;
  beforeAll(async () => {
    team = await createTeamFx();
    project = await createProjectFx(team);
    good = (await mintFx(team, project.id)).token;
  });

  async function expectRefused(credential: string, label: string) {
    const r = await authorize(credential);
    expect(r.status, `${label}: ${r.text}`).toBe(401);
    expect(r.body.error, label).toEqual(REFUSAL);
    const u = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      body: { credential, requestId: `bad-${Math.random()}`, model: "openai/gpt-5", costUsd: 0.01 },
    });
    expect(u.status, `usage, ${label}`).toBe(401);
    expect(u.body.error, label).toEqual(REFUSAL);
  }

  it("the genuine token authorizes (the cases below differ from it in one way each)", async () => {
    expect((await authorize(good)).status).toBe(200);
  });

  it("signed with the genuine key, but expired, not yet valid, or with the wrong aud, iss or sub", async () => {
    const { kid, key } = await currentSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, (p: Record<string, unknown>) => void][] = [
      // Usage accepts a token up to an hour past `exp` (the request was admitted before): 2 h ago.
      ["expired", (p) => Object.assign(p, { iat: now - 14 * 3600, nbf: now - 14 * 3600, exp: now - 2 * 3600 })],
      ["not yet valid", (p) => Object.assign(p, { nbf: now + 600, iat: now + 600, exp: now + 3600 })],
      ["wrong aud", (p) => (p.aud = `http://tollgate.test/other-team`)],
      ["aud as another issuer's", (p) => (p.aud = `http://evil.test/${team.slug}`)],
      ["wrong iss", (p) => (p.iss = "http://evil.test")],
      ["sub not matching the claims", (p) => (p.sub = `owner:${team.slug}:project:other:environment:production`)],
      ["unknown environment", (p) => (p.environment = "staging")],
      ["missing jti", (p) => delete p.jti],
    ];
    for (const [label, edit] of cases) await expectRefused(await resign(good, key, { alg: "ES256", kid }, edit), label);
  });

  it("a token a few minutes past `exp` is refused by authorize, cached or not (only seconds of clock skew are allowed)", async () => {
    const h = await getHarness();
    const clock = new ManualClock(Date.now());
    const app = h.makeApp({ clock });
    const { token, expiresAt } = await mintFx(team, project.id, undefined, team.owner.token, app);
    clock.set(expiresAt - 60_000);
    expect((await authorize(token, "openai/gpt-5", app)).status).toBe(200); // now cached by this app's verifier
    clock.set(expiresAt + 3 * 60_000);
    const cached = await authorize(token, "openai/gpt-5", app);
    expect(cached.status, cached.text).toBe(401);
    expect(cached.body.error).toEqual(REFUSAL);
    // An app that never saw it verifies it afresh, and refuses it too.
    const fresh = await authorize(token, "openai/gpt-5", h.makeApp({ clock }));
    expect(fresh.status, fresh.text).toBe(401);
    expect(fresh.body.error).toEqual(REFUSAL);
  });

  it("alg none, HS256 signed with the public key, a foreign ES256 key, an unknown kid", async () => {
    const { kid, publicJwk } = await currentSigningKey();
    const p = payloadOf(good);
    await expectRefused(`${b64({ alg: "none", typ: "JWT" })}.${b64(p)}.`, "alg none");
    await expectRefused(`${b64({ alg: "none", kid })}.${b64(p)}.`, "alg none with a kid");
    const asSecret = new TextEncoder().encode(JSON.stringify(publicJwk));
    await expectRefused(await new SignJWT(p).setProtectedHeader({ alg: "HS256", kid }).sign(asSecret), "HS256 with the public JWK as secret");
    const foreign = await generateKeyPair("ES256");
    await expectRefused(await new SignJWT(p).setProtectedHeader({ alg: "ES256", kid }).sign(foreign.privateKey), "foreign key, genuine kid");
    await expectRefused(await new SignJWT(p).setProtectedHeader({ alg: "ES256", kid: "tg-unknown" }).sign(foreign.privateKey), "unknown kid");
    await expectRefused(await new SignJWT(p).setProtectedHeader({ alg: "ES256" }).sign(foreign.privateKey), "no kid");
  });

  it("a tampered payload or signature, and garbage shaped like a JWT", async () => {
    const [h, , s] = good.split(".");
    const p = payloadOf(good);
    const other = await createProjectFx(team);
    await expectRefused(`${h}.${b64({ ...p, project_id: other.id })}.${s}`, "payload: another project");
    await expectRefused(`${h}.${b64({ ...p, exp: (p.exp as number) + 86400 })}.${s}`, "payload: later exp");
    const sig = Buffer.from(s!, "base64url");
    sig[5]! ^= 1;
    await expectRefused(`${h}.${good.split(".")[1]}.${sig.toString("base64url")}`, "flipped signature bit");
    await expectRefused("eyJ.eyJ.x", "garbage");
    await expectRefused(`eyJhbGciOiJFUzI1NiJ9.${"A".repeat(100)}.${"B".repeat(86)}`, "undecodable payload");
    // After all that, the genuine token still works (nothing was cached for the forgeries).
    expect((await authorize(good)).status).toBe(200);
  });

  it("a token of a deleted project, and a project token used as a bearer token on the management API", async () => {
    const p2 = await createProjectFx(team);
    const t = (await mintFx(team, p2.id)).token;
    const asBearer = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: t });
    expect(asBearer.status).toBe(401);
    expect((await call("DELETE", `/v1/projects/${p2.id}`, { token: team.owner.token })).status).toBe(204);
    const r = await authorize(t);
    expect(r.status).toBe(401);
    expect(r.body.error).toEqual(REFUSAL);
  });

  it("no token is ever written to the log", async () => {
    const joined = logLines.join("\n");
    expect(joined).not.toContain(good.split(".")[2]!);
  });
});

describe("external issuers: bad tokens are 401, the same for every reason", () => {
  let idp: Awaited<ReturnType<typeof localIssuer>>;
  let stranger: Awaited<ReturnType<typeof localIssuer>>;
  beforeAll(async () => {
    [idp, stranger] = await Promise.all([localIssuer(), localIssuer()]);
  });
  afterAll(async () => {
    await Promise.all([idp.close(), stranger.close()]);
  });

  it("expired, wrong audience, subject matching no pattern, unknown issuer, unknown kid, HS256, alg none, tampered", async () => {
    const team = await createTeamFx();
    const app = await appTrusting([mapping(idp.issuer, team, { subject: "repo:acme/app:ref:refs/heads/main" })]);
    const ok = await idp.sign();
    expect((await call("GET", "/v1/api-keys", { token: ok, app })).status).toBe(200);
    const p = payloadOf(ok);
    const hs = await new SignJWT(p).setProtectedHeader({ alg: "HS256", kid: headerOf(ok).kid as string }).sign(new TextEncoder().encode("secret-secret-secret-secret-1234"));
    const cases: [string, string][] = [
      ["expired", await idp.sign({}, { exp: Math.floor(Date.now() / 1000) - 60 })],
      ["wrong audience", await idp.sign({}, { aud: "someone-else" })],
      ["subject matching no pattern", await idp.sign({}, { sub: "repo:acme/app:ref:refs/heads/feature" })],
      ["a pattern is not a prefix", await idp.sign({}, { sub: "repo:acme/app:ref:refs/heads/main-evil" })],
      ["untrusted issuer", await stranger.sign()],
      ["untrusted issuer naming a trusted iss", await stranger.sign({}, { iss: idp.issuer })],
      ["unknown kid", await idp.sign({}, { kid: "nope" })],
      ["HS256", hs],
      ["alg none", `${b64({ alg: "none" })}.${b64(p)}.`],
      ["tampered", `${ok.split(".")[0]}.${b64({ ...p, sub: "repo:acme/app:ref:refs/heads/main", aud: "tollgate", extra: 1 })}.${ok.split(".")[2]}`],
    ];
    for (const [label, jwt] of cases) {
      const r = await call("GET", "/v1/api-keys", { token: jwt, app });
      expect(r.status, label).toBe(401);
      expect(r.body.error, label).toEqual(REFUSAL);
    }
  });

  it("an external identity reaches only its team, never user-level or instance routes, nor the data plane", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    const app = await appTrusting([mapping(idp.issuer, team, { role: "OWNER" })]);
    const jwt = await idp.sign();
    expect((await call("GET", `/v1/api-keys?teamId=${other.id}`, { token: jwt, app })).status).toBe(403);
    const otherProject = await createProjectFx(other);
    expect((await call("DELETE", `/v1/projects/${otherProject.id}`, { token: jwt, app })).status).toBe(404);
    expect((await call("GET", "/v1/user", { token: jwt, app })).status).toBe(403);
    expect((await call("POST", "/v1/user/tokens", { token: jwt, app, body: { name: "x" } })).status).toBe(403);
    expect((await call("POST", "/v1/teams", { token: jwt, app, body: { slug: "x-" + Date.now(), name: "x" } })).status).toBe(403);
    expect((await call("POST", "/v1/admin/oidc/rotate", { token: jwt, app, body: {} })).status).toBe(403);
    expect((await call("POST", "/v1/gateway/authorize", { token: jwt, app, body: { credential: "tgk_x", model: "openai/gpt-5" } })).status).toBe(403);
  });

  it("without TOLLGATE_TRUSTED_ISSUERS, no JWT is a bearer token", async () => {
    const r = await call("GET", "/v1/api-keys", { token: await idp.sign() });
    expect(r.status).toBe(401);
  });
});
