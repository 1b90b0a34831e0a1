import { describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { report } from "../helpers/gateway.js";
import { call } from "../helpers/harness.js";

describe("GET /v1/ai-gateway/usage: tenancy", () => {
  it("shows only the asking team's usage; another team's member gets 403", async () => {
    const [mine, theirs] = await Promise.all([createTeamFx(), createTeamFx()]);
    const [a, b] = await Promise.all([createKeyFx(mine), createKeyFx(theirs)]);
    expect((await report(a.apiKey.id, 1)).status).toBe(202);
    expect((await report(b.apiKey.id, 7)).status).toBe(202);

    const r = await call("GET", `/v1/ai-gateway/usage?teamId=${mine.id}&groupBy=key`, { token: mine.developer.token });
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x: any) => [x.keyId, x.costUsd])).toEqual([[a.apiKey.id, 1]]);

    const other = await call("GET", `/v1/ai-gateway/usage?teamId=${theirs.id}`, { token: mine.owner.token });
    expect(other.status).toBe(403);
    expect(other.text).not.toContain(b.apiKey.id);
  });
});
