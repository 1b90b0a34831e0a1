import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../src/db/schema.js";
import { createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";

// Security review, Medium and Low: membership changes racing other writes.
describe("membership races", () => {
  it("a member removed while creating keys keeps no working key", async () => {
    const { database } = await getHarness();
    for (let round = 0; round < 3; round++) {
      const team = await createTeamFx();
      const creations = Array.from({ length: 30 }, () =>
        call("POST", `/v1/api-keys?teamId=${team.id}`, { token: team.member.token, body: { purpose: "ai-gateway" } }),
      );
      const removal = new Promise((r) => setTimeout(r, 5)).then(() =>
        call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token }),
      );
      const [removed, ...created] = await Promise.all([removal, ...creations]);
      expect(removed.status).toBe(204);
      for (const r of created) expect([200, 403]).toContain(r.status);
      const live = await database.db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.teamId, team.id), eq(apiKeys.createdBy, team.member.id)));
      const rows = await database.db.select().from(apiKeys).where(eq(apiKeys.teamId, team.id));
      expect(rows.filter((k) => k.deactivatedAt === null)).toEqual([]);
      expect(live.length).toBe(created.filter((r) => r.status === 200).length);
      for (const r of created.filter((r) => r.status === 200).slice(0, 3)) {
        expect((await authorize(r.body.apiKeyString)).status).toBe(403);
      }
    }
  });

  it("two OWNERs demoting each other at once: one wins, the other is refused, never a 500 or a team without OWNER", async () => {
    for (let round = 0; round < 5; round++) {
      const team = await createTeamFx();
      expect((await call("PATCH", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token, body: { role: "OWNER" } })).status).toBe(200);
      const [a, b] = await Promise.all([
        call("PATCH", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token, body: { role: "MEMBER" } }),
        call("PATCH", `/v1/teams/${team.id}/members/${team.owner.id}`, { token: team.member.token, body: { role: "MEMBER" } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 403]);
      const members = (await call("GET", `/v1/teams/${team.id}/members`, { token: team.developer.token })).body.members as { role: string }[];
      expect(members.filter((m) => m.role === "OWNER").length).toBe(1);
    }
  });

  it("two OWNERs removing each other at once: one wins, never a 500", async () => {
    const team = await createTeamFx();
    await call("PATCH", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token, body: { role: "OWNER" } });
    const [a, b] = await Promise.all([
      call("DELETE", `/v1/teams/${team.id}/members/${team.member.id}`, { token: team.owner.token }),
      call("DELETE", `/v1/teams/${team.id}/members/${team.owner.id}`, { token: team.member.token }),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 403]);
  });
});
