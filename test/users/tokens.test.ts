import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tokens } from "../../src/db/schema.js";
import { sha256Hex } from "../../src/lib/secrets.js";
import { createTeamFx, createUserFx } from "../helpers/fixtures.js";
import { ADMIN_TOKEN, call, getHarness } from "../helpers/harness.js";

describe("personal access tokens", () => {
  it("creates a tgp_ token shown once and stored hashed; lists it without the secret; revokes it", async () => {
    const user = await createUserFx();
    const r = await call("POST", "/v1/user/tokens", { token: user.token, body: { name: "laptop" } });
    expect(r.status).toBe(201);
    expect(r.body.bearerToken).toMatch(/^tgp_[0-9A-Za-z]{49}$/);
    expect(r.body.token).toEqual({
      id: expect.stringMatching(/^tok_/),
      name: "laptop",
      teamId: null,
      expiresAt: null,
      createdAt: expect.any(Number),
      activeAt: expect.any(Number),
    });
    const { database } = await getHarness();
    const [row] = await database.db.select().from(tokens).where(eq(tokens.id, r.body.token.id));
    expect(row!.digest).toBe(sha256Hex(r.body.bearerToken));

    const me = await call("GET", "/v1/user", { token: r.body.bearerToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(user.email);

    const list = await call("GET", "/v1/user/tokens", { token: user.token });
    expect(list.body.tokens.map((t: { name: string }) => t.name)).toEqual(["laptop", "default"]);
    expect(list.text).not.toContain(r.body.bearerToken);

    expect((await call("DELETE", `/v1/user/tokens/${r.body.token.id}`, { token: user.token })).status).toBe(204);
    expect((await call("GET", "/v1/user", { token: r.body.bearerToken })).status).toBe(401);
  });

  it("an expired token is 401; expiresAt in the past is 400", async () => {
    const { makeApp } = await getHarness();
    const user = await createUserFx();
    const now = Date.now();
    const r = await call("POST", "/v1/user/tokens", { token: user.token, body: { name: "short", expiresAt: now + 1000 } });
    expect(r.status).toBe(201);
    const later = makeApp({ clock: { now: () => now + 2000 } });
    expect((await call("GET", "/v1/user", { token: r.body.bearerToken, app: later })).status).toBe(401);
    const past = await call("POST", "/v1/user/tokens", { token: user.token, body: { name: "past", expiresAt: now - 1 } });
    expect(past.status).toBe(400);
  });

  it("cannot delete another user's token (404), nor scope a token to a team it is not in (403)", async () => {
    const [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    const t = await call("POST", "/v1/user/tokens", { token: a.owner.token, body: { name: "mine" } });
    expect((await call("DELETE", `/v1/user/tokens/${t.body.token.id}`, { token: b.owner.token })).status).toBe(404);
    const scoped = await call("POST", "/v1/user/tokens", { token: a.owner.token, body: { name: "x", teamId: b.id } });
    expect(scoped.status).toBe(403);
  });

  it("a team-scoped token sees only its team and cannot mint broader tokens or teams", async () => {
    const team = await createTeamFx();
    const t = await call("POST", "/v1/user/tokens", { token: team.owner.token, body: { name: "scoped", teamId: team.id } });
    const scoped = t.body.bearerToken as string;
    expect((await call("POST", "/v1/teams", { token: scoped, body: { slug: `x${Date.now()}`, name: "x" } })).status).toBe(403);
    const child = await call("POST", "/v1/user/tokens", { token: scoped, body: { name: "child" } });
    expect(child.status).toBe(201);
    expect(child.body.token.teamId).toBe(team.id);
  });

  it("admin creates users (409 for a taken email, case-insensitively)", async () => {
    const email = `Case-${Date.now()}@Example.test`;
    const a = await call("POST", "/v1/admin/users", { token: ADMIN_TOKEN, body: { email } });
    expect(a.status).toBe(201);
    expect(a.body.user.email).toBe(email.toLowerCase());
    const b = await call("POST", "/v1/admin/users", { token: ADMIN_TOKEN, body: { email: email.toUpperCase() } });
    expect(b.status).toBe(409);
  });
});
