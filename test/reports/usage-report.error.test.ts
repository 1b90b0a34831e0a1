import { describe, expect, it } from "vitest";
import { createTeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";

describe("GET /v1/ai-gateway/usage: bad input is a 400 in the envelope", () => {
  it.each([
    ["groupBy=key,colour", "groupBy"],
    ["groupBy=key,key", "groupBy"],
    ["granularity=week", "granularity"],
    ["from=10&to=5", "from"],
    ["from=abc", "from"],
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["until=bm90LWEtY3Vyc29y", "until"],
    ["groupBy=key&until=" + Buffer.from(JSON.stringify([0, "a", "b"])).toString("base64url"), "until"],
  ])("%s", async (query, path) => {
    const team = await createTeamFx();
    const r = await call("GET", `/v1/ai-gateway/usage?teamId=${team.id}&${query}`, { token: team.owner.token });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
    expect(r.body.error.params.map((p: { path: string }) => p.path)).toContain(path);
  });
});
