import { describe, expect, it } from "vitest";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";

// Security review, Low: `?slug=` was ignored on routes addressing a resource by id.
describe("?slug= naming another team is refused like ?teamId=", () => {
  it("GET and DELETE /v1/api-keys/{id}, DELETE /v1/projects/{id}: 404 with another team's slug, served with their own", async () => {
    const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
    // The caller belongs to both teams, so only the slug check can refuse.
    await call("POST", `/v1/teams/${other.id}/members`, { token: other.owner.token, body: { email: team.owner.email, role: "OWNER" } });
    const k = await createKeyFx(team);
    const project = await createProjectFx(team);
    const token = team.owner.token;
    const wrong = `slug=${other.slug}`;
    expect((await call("GET", `/v1/api-keys/${k.apiKey.id}?${wrong}`, { token })).status).toBe(404);
    expect((await call("DELETE", `/v1/api-keys/${k.apiKey.id}?${wrong}`, { token })).status).toBe(404);
    expect((await call("PATCH", `/v1/api-keys/${k.apiKey.id}/quota?${wrong}`, { token, body: { limitAmount: 5 } })).status).toBe(404);
    expect((await call("DELETE", `/v1/projects/${project.id}?${wrong}`, { token })).status).toBe(404);
    expect((await call("GET", `/v1/api-keys/${k.apiKey.id}?teamId=${other.id}`, { token })).status).toBe(404);

    const right = `slug=${team.slug}`;
    expect((await call("GET", `/v1/api-keys/${k.apiKey.id}?${right}`, { token })).status).toBe(200);
    expect((await call("DELETE", `/v1/projects/${project.id}?${right}`, { token })).status).toBe(204);
    expect((await call("DELETE", `/v1/api-keys/${k.apiKey.id}?${right}`, { token })).status).toBe(204);
  });
});
