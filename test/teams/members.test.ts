import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../src/db/schema.js";
import { createKeyFx, createTeamFx, createUserFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

describe("teams and members", () => {
  it("the creator is OWNER; members are listed with their roles", async () => {
    const team = await createTeamFx();
    const list = await call("GET", `/v1/teams/${team.id}/members`, { token: team.developer.token });
    expect(list.status).toBe(200);
    const roles = Object.fromEntries(list.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]));
    expect(roles).toEqual({ [team.owner.id]: "OWNER", [team.member.id]: "MEMBER", [team.developer.id]: "DEVELOPER" });
    const teams = await call("GET", "/v1/teams", { token: team.member.token });
    expect(teams.body.teams).toEqual([expect.objectContaining({ id: team.id, slug: team.slug, role: "MEMBER" })]);
    const me = await call("GET", "/v1/user", { token: team.owner.token });
    expect(me.body.teams).toEqual([{ id: team.id, slug: team.slug, name: `Team ${team.slug}`, role: "OWNER" }]);
  });

  it("the path accepts the team slug as well as its id", async () => {
    const team = await createTeamFx();
    const r = await call("GET", `/v1/teams/${team.slug}/members`, { token: team.owner.token });
    expect(r.status).toBe(200);
    expect(r.body.members).toHaveLength(3);
  });

  it("409 for a taken slug, 409 for an existing member, 404 for an unknown email", async () => {
    const team = await createTeamFx();
    const dup = await call("POST", "/v1/teams", { token: team.owner.token, body: { slug: team.slug, name: "again" } });
    expect(dup.status).toBe(409);
    const again = await call("POST", `/v1/teams/${team.id}/members`, { token: team.owner.token, body: { email: team.member.email, role: "OWNER" } });
    expect(again.status).toBe(409);
    const ghost = await call("POST", `/v1/teams/${team.id}/members`, { token: team.owner.token, body: { email: "ghost@example.test", role: "MEMBER" } });
    expect(ghost.status).toBe(404);
  });

  it("removing a member deactivates every key they created in that team, in one audited change", async () => {
    const team = await createTeamFx();
    const theirs = await createKeyFx(team, { name: "theirs" }, team.member.token);
    const ours = await createKeyFx(team, { name: "ours" }, team.owner.token);
    const del = await call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token });
    expect(del.status).toBe(204);
    const a = await call("GET", `/v1/api-keys/${theirs.apiKey.id}`, { token: team.owner.token });
    const b = await call("GET", `/v1/api-keys/${ours.apiKey.id}`, { token: team.owner.token });
    expect(a.body.apiKey.status).toBe("deactivated");
    expect(b.body.apiKey.status).toBe("active");
    // The removed member no longer sees the team.
    const gone = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.member.token });
    expect(gone.status).toBe(403);
    const { database } = await getHarness();
    const [ev] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, team.id), eq(auditEvents.action, "member.remove")));
    expect(ev!.data).toMatchObject({ deactivatedKeyIds: [theirs.apiKey.id] });
  });

  it("changes roles, and refuses to demote or remove the last OWNER (409)", async () => {
    const team = await createTeamFx();
    const up = await call("PATCH", `/v1/teams/${team.id}/members/${team.developer.id}`, { token: team.owner.token, body: { role: "MEMBER" } });
    expect(up.status).toBe(200);
    expect(up.body.member).toMatchObject({ userId: team.developer.id, role: "MEMBER" });
    // Now the former developer can create keys.
    expect((await call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.developer.token, body: { purpose: "ai-gateway" } })).status).toBe(200);
    const demote = await call("PATCH", `/v1/teams/${team.id}/members/${team.owner.id}`, { token: team.owner.token, body: { role: "MEMBER" } });
    expect(demote.status).toBe(409);
    const remove = await call("DELETE", `/v1/teams/${team.id}/members/${team.owner.id}`, { token: team.owner.token });
    expect(remove.status).toBe(409);
    const unknown = await call("DELETE", `/v1/teams/${team.id}/members/user_01jd7y2m3n4p5q6r7s8t9v0w1x`, { token: team.owner.token });
    expect(unknown.status).toBe(404);
  });

  it("projects: create (409 on a duplicate name), list newest first, delete", async () => {
    const team = await createTeamFx();
    const a = await call("POST", `/v1/projects?teamId=${team.id}`, { token: team.member.token, body: { name: "web" } });
    const b = await call("POST", `/v1/projects?teamId=${team.id}`, { token: team.member.token, body: { name: "api" } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await call("POST", `/v1/projects?teamId=${team.id}`, { token: team.owner.token, body: { name: "web" } })).status).toBe(409);
    const list = await call("GET", `/v1/projects?teamId=${team.id}`, { token: team.developer.token });
    expect(list.body.projects.map((p: { name: string }) => p.name)).toEqual(["api", "web"]);
    expect((await call("DELETE", `/v1/projects/${a.body.project.id}`, { token: team.owner.token })).status).toBe(204);
    expect((await call("DELETE", `/v1/projects/${a.body.project.id}`, { token: team.owner.token })).status).toBe(404);
  });

  it("a user outside every team sees no teams", async () => {
    const loner = await createUserFx("loner");
    const r = await call("GET", "/v1/teams", { token: loner.token });
    expect(r.body).toEqual({ teams: [], pagination: { count: 0, next: null, prev: null } });
  });
});
