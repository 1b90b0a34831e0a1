import { describe, expect, it } from "vitest";
import { createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";

// Security review, Medium: a team-scoped personal token acted beyond its team.
describe("a team-scoped token stays in its team and cannot outlive itself", () => {
  async function setup() {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    // The same user (team's owner) is a member of `other` too.
    await call("POST", `/v1/teams/${other.id}/members`, { token: other.owner.token, body: { email: team.owner.email, role: "MEMBER" } });
    const mk = (body: object) => call("POST", "/v1/user/tokens", { token: team.owner.token, body });
    const scoped = (await mk({ name: "scoped", teamId: team.id, expiresAt: Date.now() + 30_000 })).body;
    const otherTeam = (await mk({ name: "other", teamId: other.id })).body;
    const unscoped = (await mk({ name: "unscoped" })).body;
    return { team, other, scoped, otherTeam, unscoped };
  }

  it("lists only its own team's tokens", async () => {
    const { team, scoped, otherTeam, unscoped } = await setup();
    const list = await call("GET", "/v1/user/tokens", { token: scoped.bearerToken });
    expect(list.status).toBe(200);
    const ids = (list.body.tokens as { id: string; teamId: string }[]).map((t) => t.id);
    expect(ids).toContain(scoped.token.id);
    expect(ids).not.toContain(otherTeam.token.id);
    expect(ids).not.toContain(unscoped.token.id);
    for (const t of list.body.tokens as { teamId: string }[]) expect(t.teamId).toBe(team.id);
  });

  it("cannot revoke the user's unscoped token or another team's token (404), only its team's", async () => {
    const { team, scoped, otherTeam, unscoped } = await setup();
    for (const id of [unscoped.token.id, otherTeam.token.id]) {
      expect((await call("DELETE", `/v1/user/tokens/${id}`, { token: scoped.bearerToken })).status).toBe(404);
    }
    expect((await call("GET", "/v1/user", { token: unscoped.bearerToken })).status).toBe(200);
    const sibling = (await call("POST", "/v1/user/tokens", { token: team.owner.token, body: { name: "sibling", teamId: team.id } })).body;
    expect((await call("DELETE", `/v1/user/tokens/${sibling.token.id}`, { token: scoped.bearerToken })).status).toBe(204);
  });

  it("cannot mint a token that outlives it or has a wider scope", async () => {
    const { team, other, scoped } = await setup();
    const mint = (body: object) => call("POST", "/v1/user/tokens", { token: scoped.bearerToken, body });
    const noExpiry = await mint({ name: "child" });
    expect(noExpiry.status).toBe(201);
    expect(noExpiry.body.token).toMatchObject({ teamId: team.id, expiresAt: scoped.token.expiresAt });
    const later = await mint({ name: "later", expiresAt: scoped.token.expiresAt + 60_000 });
    expect(later.status).toBe(403);
    const wider = await mint({ name: "wider", teamId: other.id });
    expect(wider.status).toBe(403);
    const sooner = await mint({ name: "sooner", expiresAt: scoped.token.expiresAt - 1000 });
    expect(sooner.status).toBe(201);
  });
});
