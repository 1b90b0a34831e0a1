import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, logLines } from "../helpers/harness.js";

describe("gateway API keys: secrets", () => {
  it("never returns the key string after creation, nor logs it", async () => {
    const team = await createTeamFx();
    const { apiKeyString, apiKey } = await createKeyFx(team);
    const body = apiKeyString.slice(4, -4); // everything but the prefix and the partial key
    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    const get = await call("GET", `/v1/api-keys/${apiKey.id}`, { token: team.owner.token });
    for (const r of [list, get]) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(body);
      expect(r.text).not.toMatch(/tgk_[0-9A-Za-z]{20,}/);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(body);
    expect(logLines.join("\n")).not.toMatch(/tg[kp]_[0-9A-Za-z]{20,}/);
  });

  it("every key is unique and carries 256 random bits (43 base62 chars) before its checksum", async () => {
    const team = await createTeamFx();
    const keys = await Promise.all(Array.from({ length: 20 }, () => createKeyFx(team)));
    const strings = new Set(keys.map((k) => k.apiKeyString));
    expect(strings.size).toBe(20);
    for (const s of strings) expect(s.length).toBe(4 + 43 + 6);
  });
});
