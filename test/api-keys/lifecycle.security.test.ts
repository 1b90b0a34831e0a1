import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, logLines } from "../helpers/harness.js";

describe("key lifecycle: security", () => {
  it("a previous secret reported leaked during its grace period marks the key leaked: both secrets are refused", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 60_000 } });
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(200);
    const report = await call("POST", "/external/compromised_secret", { body: { secret: { api_key: k.apiKeyString } } });
    expect(report.status).toBe(202);
    expect((await authorize(k.apiKeyString)).status).toBe(401);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(401);
    const got = await call("GET", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token });
    expect(got.body.apiKey.status).toBe("leaked");
  });

  it("a DEVELOPER can neither PATCH nor roll a key; nothing changes", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const patch = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.developer.token, body: { enabled: false } });
    expect(patch.status).toBe(403);
    const roll = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.developer.token });
    expect(roll.status).toBe(403);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
  });

  it("a rolled secret appears in no log line", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 1000 } });
    await authorize(rolled.body.apiKeyString);
    await authorize(k.apiKeyString);
    expect(logLines.join("\n")).not.toContain(rolled.body.apiKeyString);
    expect(logLines.join("\n")).not.toContain(k.apiKeyString);
  });
});
