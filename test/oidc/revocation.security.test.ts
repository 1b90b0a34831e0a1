import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../src/db/schema.js";
import type { App } from "../../src/http/context.js";
import { createCredentialFx } from "../byok/helpers.js";
import { createProjectFx, createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN, getHarness, uniq } from "../helpers/harness.js";
import { headerOf, isolatedDatabase, mintFx, payloadOf, startInstance, type Instance } from "./helpers.js";

const REFUSAL = { code: "unauthorized", message: "Invalid or expired token." };

/** Polls `cond` every 2 ms: the milliseconds until it held, or Infinity after `timeoutMs`. */
async function until(cond: () => Promise<boolean>, timeoutMs = 1000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await cond()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2));
  }
  return Infinity;
}

const refusedOn = (app: App | undefined, token: string) => async () => {
  const r = await authorize(token, "openai/gpt-5", app);
  return r.status === 401 && JSON.stringify(r.body.error) === JSON.stringify(REFUSAL);
};

describe("a member's project tokens end with their membership, at once, on every instance", () => {
  let B: Instance;
  beforeAll(async () => {
    B = await startInstance();
  });
  afterAll(async () => {
    await B?.close();
  });

  it("removing a MEMBER: their tokens stop handing out the team's BYOK credentials, here and on another instance that cached them; the OWNER's keep working", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const credential = await createCredentialFx(team);
    const theirs = await mintFx(team, project.id, "production", team.member.token);
    const owners = await mintFx(team, project.id, "production");
    for (const app of [undefined, B.app]) {
      for (let i = 0; i < 2; i++) {
        const a = await authorize(theirs.token, "openai/gpt-5", app); // the second from the caches
        expect(a.status, a.text).toBe(200);
        expect(a.body.credentials.map((c: { id: string }) => c.id)).toEqual([credential.id]);
      }
    }
    expect((await call("GET", "/v1/models", { token: theirs.token })).status).toBe(200);
    const removed = await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token });
    expect(removed.status).toBe(204);
    // The gateway's own routes decide as authorize does.
    const models = await call("GET", "/v1/models", { token: theirs.token });
    expect(models.status, models.text).toBe(401);
    // This instance refuses at once; the other as soon as the notification arrives.
    expect(await refusedOn(undefined, theirs.token)()).toBe(true);
    expect(await until(refusedOn(B.app, theirs.token))).toBeLessThan(1000);
    const r = await authorize(theirs.token);
    expect(r.body.credentials).toBeUndefined();
    for (const app of [undefined, B.app]) expect((await authorize(owners.token, "openai/gpt-5", app)).status).toBe(200);
    // They cannot mint another.
    expect((await call("POST", `/v1/projects/${project.id}/oidc-token`, { token: team.member.token, body: {} })).status).toBe(404);
    // The token says who minted it.
    expect(payloadOf(theirs.token)).toMatchObject({ minted_by: team.member.id, minted_by_epoch: expect.any(String) });
    expect(payloadOf(owners.token).minted_by).toBe(team.owner.id);
  });

  it("lowering a role ends every token the member minted (development ones too); raising one ends none; tokens minted after work", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const prod = await mintFx(team, project.id, "production", team.member.token);
    const dev = await mintFx(team, project.id, "development", team.member.token);
    const developers = await mintFx(team, project.id, "development", team.developer.token);
    for (const t of [prod, dev, developers]) for (const app of [undefined, B.app]) expect((await authorize(t.token, "openai/gpt-5", app)).status).toBe(200);

    const promoted = await call("PATCH", `/v1/teams/${team.id}/members/${team.developer.id}`, { token: team.owner.token, body: { role: "MEMBER" } });
    expect(promoted.status, promoted.text).toBe(200);
    const demoted = await call("PATCH", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token, body: { role: "DEVELOPER" } });
    expect(demoted.status, demoted.text).toBe(200);
    for (const t of [prod, dev]) {
      expect(await refusedOn(undefined, t.token)()).toBe(true);
      expect(await until(refusedOn(B.app, t.token))).toBeLessThan(1000);
    }
    // The promoted developer's token still works; so does a development token the demoted member mints now.
    const after = await mintFx(team, project.id, "development", team.member.token);
    for (const t of [developers, after]) for (const app of [undefined, B.app]) expect((await authorize(t.token, "openai/gpt-5", app)).status).toBe(200);

    const { database } = await getHarness();
    const [ev] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "member.update"), eq(auditEvents.targetId, team.member.id)));
    expect(ev!.data).toEqual({ from: "MEMBER", to: "DEVELOPER", oidcTokensEnded: true });
  });

  it("a member removed and added again: what they minted before stays refused, on every instance; new tokens work", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const before = await mintFx(team, project.id, "production", team.member.token);
    expect((await authorize(before.token, "openai/gpt-5", B.app)).status).toBe(200);
    await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token });
    expect(await until(refusedOn(B.app, before.token))).toBeLessThan(1000); // B now holds "not a member"
    const added = await call("POST", `/v1/teams/${team.id}/members`, { token: team.owner.token, body: { email: team.member.email, role: "MEMBER" } });
    expect(added.status, added.text).toBe(201);
    const again = await mintFx(team, project.id, "production", team.member.token);
    expect(await until(async () => (await authorize(again.token, "openai/gpt-5", B.app)).status === 200)).toBeLessThan(1000);
    expect((await authorize(again.token)).status).toBe(200);
    for (const app of [undefined, B.app]) expect(await refusedOn(app, before.token)()).toBe(true);
  });

  it("usage of a request admitted before the removal still counts", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const { token } = await mintFx(team, project.id, "development", team.member.token);
    expect((await authorize(token)).status).toBe(200);
    await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token });
    expect(await refusedOn(undefined, token)()).toBe(true);
    const u = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      body: { credential: token, requestId: uniq("req"), model: "openai/gpt-5", costUsd: 0.5 },
    });
    expect(u.status, u.text).toBe(202);
  });
});

/**
 * Revoking ends every token of the older keys instance-wide: run on a database of its own, so the
 * tokens of tests running meanwhile on the shared one are not touched.
 */
describe("a rotation with revokePrevious ends every token of the older keys, at once, on every instance", () => {
  let isolated: Awaited<ReturnType<typeof isolatedDatabase>>;
  let A: Instance;
  let B: Instance;
  beforeAll(async () => {
    isolated = await isolatedDatabase();
    A = await startInstance(isolated.database);
    B = await startInstance(await isolated.another());
  });
  afterAll(async () => {
    await Promise.all([A?.close(), B?.close()]);
    await isolated?.close();
  });

  /** A user, their team and a project on the isolated database, through A's API. */
  async function setUp(): Promise<{ team: TeamFx; project: { id: string } }> {
    const email = `${uniq("owner")}@example.test`;
    const u = await call("POST", "/v1/admin/users", { token: ADMIN_TOKEN, app: A.app, body: { email, name: "owner" } });
    expect(u.status, u.text).toBe(201);
    const owner = { id: u.body.user.id, email, token: u.body.bearerToken };
    const t = await call("POST", "/v1/teams", { token: owner.token, app: A.app, body: { slug: uniq("team"), name: "T" } });
    expect(t.status, t.text).toBe(201);
    const team = { id: t.body.team.id, slug: t.body.team.slug, owner, member: owner, developer: owner };
    const p = await call("POST", `/v1/projects?teamId=${team.id}`, { token: owner.token, app: A.app, body: { name: uniq("prj") } });
    expect(p.status, p.text).toBe(201);
    return { team, project: p.body.project };
  }

  it("without it, older keys' tokens keep working; with it, they are refused (cached or not), leave the JWKS, and usage still counts", async () => {
    const { team, project } = await setUp();
    const old = await mintFx(team, project.id, "production", team.owner.token, A.app);
    const kept = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, app: A.app, body: {} });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.revokedKids).toEqual([]);
    const middle = await mintFx(team, project.id, "production", team.owner.token, B.app);
    expect(headerOf(middle.token).kid).toBe(kept.body.kid);
    for (const t of [old, middle]) for (const app of [A.app, B.app]) expect((await authorize(t.token, "openai/gpt-5", app)).status).toBe(200);

    const rot = await call("POST", "/v1/admin/oidc/rotate", { token: ADMIN_TOKEN, app: A.app, body: { revokePrevious: true, reason: "leak drill" } });
    expect(rot.status, rot.text).toBe(200);
    expect(rot.body.revokedKids).toEqual([headerOf(old.token).kid, kept.body.kid].sort());
    expect(rot.body.retiredKids).toEqual([]);
    for (const t of [old, middle]) {
      expect(await refusedOn(A.app, t.token)()).toBe(true);
      expect(await until(refusedOn(B.app, t.token))).toBeLessThan(1000);
    }
    // An instance that never saw them refuses them too.
    const C = await startInstance(await isolated.another());
    try {
      for (const t of [old, middle]) expect(await refusedOn(C.app, t.token)()).toBe(true);
    } finally {
      await C.close();
    }
    const kids = (await call("GET", "/.well-known/jwks.json", { app: B.app })).body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual([rot.body.kid]);
    // Tokens of the new key work on both; usage of a request admitted before the revocation still counts.
    const fresh = await mintFx(team, project.id, "production", team.owner.token, B.app);
    expect(headerOf(fresh.token).kid).toBe(rot.body.kid);
    for (const app of [A.app, B.app]) expect((await authorize(fresh.token, "openai/gpt-5", app)).status).toBe(200);
    const u = await call("POST", "/v1/gateway/usage", {
      token: GATEWAY_TOKEN,
      app: B.app,
      body: { credential: old.token, requestId: uniq("req"), model: "openai/gpt-5", costUsd: 0.01 },
    });
    expect(u.status, u.text).toBe(202);
    const [ev] = await isolated.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "oidc_key.rotate"), eq(auditEvents.targetId, rot.body.kid)));
    expect(ev!.data).toMatchObject({ revokedKids: rot.body.revokedKids, reason: "leak drill" });
  });
});
