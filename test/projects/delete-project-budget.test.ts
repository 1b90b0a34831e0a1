import { describe, expect, it } from "vitest";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { call } from "../helpers/harness.js";

// Security review, Low: after a project was deleted, usage by keyId still charged its budget
// (the cached budget subject kept the old project).
describe("deleting a project", () => {
  it("its keys stop charging and being refused by its budget, cached or not", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const k = await createKeyFx(team, { projectId: project.id });
    await call("PUT", `/v1/ai-gateway/budgets?teamId=${team.id}`, {
      token: team.owner.token,
      body: { scopeType: "project", projectId: project.id, limitAmount: 1, refreshPeriod: "none" },
    });
    // Warm every cache: the key row, its subject (usage by keyId), its budgets.
    await report(k.apiKey.id, 0.5);
    expect((await authorize(k.apiKeyString)).body.quotas.map((q: { scope: string }) => q.scope)).toContain("project");
    expect((await call("DELETE", `/v1/projects/${project.id}?teamId=${team.id}`, { token: team.owner.token })).status).toBe(204);

    const r = await report(k.apiKey.id, 5);
    expect(r.status).toBe(202);
    expect(r.body.quotas.map((q: { scope: string }) => q.scope)).not.toContain("project");
    const a = await authorize(k.apiKeyString);
    expect(a.status).toBe(200);
    expect(a.body.projectId).toBeNull();
    expect(a.body.quotas.map((q: { scope: string }) => q.scope)).not.toContain("project");
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.projectId).toBeNull();
  });
});
