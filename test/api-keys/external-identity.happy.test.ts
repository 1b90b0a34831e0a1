import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createTeamFx, createUserFx, type TeamFx } from "../helpers/fixtures.js";
import { authorize } from "../helpers/gateway.js";
import { call, getHarness } from "../helpers/harness.js";
import { appTrusting, localIssuer, mapping } from "../oidc/helpers.js";

// Issue 23, item 5: a trusted external identity (e.g. a CI pipeline) does on a key what its
// mapped role allows, on every key route: PATCH and roll as well as create, quota and delete.

const SUBJECT = "repo:acme/app:ref:refs/heads/main";
type Role = "OWNER" | "MEMBER" | "DEVELOPER";

describe("key writes by a trusted external identity", () => {
  let idp: Awaited<ReturnType<typeof localIssuer>>;
  beforeAll(async () => {
    // The worker's database (PGlite migrates for seconds) is opened under the hook timeout, not a test's.
    [idp] = await Promise.all([localIssuer(), getHarness()]);
  });
  afterAll(async () => {
    await idp.close();
  });

  /** An app trusting `idp` for `team` (bound to its id, as the server binds mappings at start) with `role`. */
  const trusting = (team: TeamFx, role: Role) => appTrusting([{ ...mapping(idp.issuer, team, { team: team.id, role }), teamId: team.id }]);

  /** The key's audit events, oldest first, as the team's OWNER reads them. */
  async function auditOf(team: TeamFx, keyId: string) {
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token });
    expect(log.status).toBe(200);
    return (log.body.events as { action: string; actor: { type: string; subject?: string }; target: { id: string } }[])
      .filter((e) => e.target.id === keyId)
      .reverse();
  }

  it("a MEMBER identity renames, disables, re-enables, rolls, budgets and deletes a key; the audit names it", async () => {
    const team = await createTeamFx();
    const app = await trusting(team, "MEMBER");
    const jwt = await idp.sign();
    const as = { token: jwt, app };

    const created = await call("POST", "/v1/api-keys", { ...as, body: { purpose: "ai-gateway", name: "ci" } });
    expect(created.status, created.text).toBe(200);
    const id = created.body.apiKey.id as string;

    const renamed = await call("PATCH", `/v1/api-keys/${id}`, { ...as, body: { name: "ci-renamed", enabled: false } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.apiKey).toMatchObject({ name: "ci-renamed", status: "deactivated" });
    expect((await authorize(created.body.apiKeyString)).status).toBe(403);

    const on = await call("PATCH", `/v1/api-keys/${id}`, { ...as, body: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.body.apiKey.status).toBe("active");

    const rolled = await call("POST", `/v1/api-keys/${id}/roll`, { ...as, body: { gracePeriodMs: 60_000 } });
    expect(rolled.status, rolled.text).toBe(200);
    expect(rolled.body.apiKey.id).toBe(id);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(200);
    expect((await authorize(created.body.apiKeyString)).status).toBe(200); // in its grace period

    const quota = await call("PATCH", `/v1/api-keys/${id}/quota`, { ...as, body: { limitAmount: 10 } });
    expect(quota.status, quota.text).toBe(200);

    const deleted = await call("DELETE", `/v1/api-keys/${id}`, as);
    expect(deleted.status, deleted.text).toBe(204);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(401);

    const events = await auditOf(team, id);
    expect(events.map((e) => e.action)).toEqual(["api_key.create", "api_key.disable", "api_key.enable", "api_key.roll", "quota.create", "api_key.delete"]);
    for (const e of events) expect(e.actor).toMatchObject({ type: "external", subject: SUBJECT });
  });

  it("a user's key: an OWNER identity re-enables it after its creator's removal; a MEMBER identity may not (403)", async () => {
    const team = await createTeamFx();
    const leaver = await createUserFx("leaver");
    await call("POST", `/v1/teams/${team.id}/members`, { token: team.owner.token, body: { email: leaver.email, role: "MEMBER" } });
    const k = await createKeyFx(team, {}, leaver.token);
    expect((await call("DELETE", `/v1/teams/${team.id}/members/${leaver.id}`, { token: team.owner.token })).status).toBe(204);

    const member = await trusting(team, "MEMBER");
    const owner = await trusting(team, "OWNER");
    const jwt = await idp.sign();
    const refused = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: jwt, app: member, body: { enabled: true } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("only an OWNER");

    const on = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: jwt, app: owner, body: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.body.apiKey.status).toBe("active");
    expect((await authorize(k.apiKeyString)).status).toBe(200);
    const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: jwt, app: owner });
    expect(rolled.status, rolled.text).toBe(200);
    expect((await authorize(rolled.body.apiKeyString)).status).toBe(200);
    expect((await authorize(k.apiKeyString)).status).toBe(401);
    expect((await auditOf(team, k.apiKey.id)).map((e) => [e.action, e.actor.type])).toEqual([
      ["api_key.create", "user"],
      ["api_key.enable", "external"],
      ["api_key.roll", "external"],
    ]);
  });

  it("a DEVELOPER identity can neither PATCH nor roll (403); nothing changes", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team);
    const app = await trusting(team, "DEVELOPER");
    const jwt = await idp.sign();
    expect((await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: jwt, app, body: { enabled: false } })).status).toBe(403);
    expect((await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: jwt, app })).status).toBe(403);
    expect((await authorize(k.apiKeyString)).status).toBe(200);
  });
});
