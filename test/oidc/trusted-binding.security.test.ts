import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindTrustedIssuers } from "../../src/oidc/external.js";
import { createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call, getHarness, uniq } from "../helpers/harness.js";
import { runServerToExit } from "../../scripts/lib/spawn-server.js";
import { freshDataDir } from "../ops/server-process.js";
import { appTrusting, localIssuer, mapping } from "./helpers.js";

/**
 * A trusted-issuer mapping names its team by id or slug; it is bound to the team's id when the
 * server starts. A slug naming no team stops the start: it must never bind later to whoever
 * creates a team with that slug (a MEMBER creating `ghostteam` would receive a CI identity's writes).
 */
describe("trusted-issuer mappings are bound to team ids at start", () => {
  let idp: Awaited<ReturnType<typeof localIssuer>>;
  beforeAll(async () => {
    idp = await localIssuer();
  });
  afterAll(async () => {
    await idp.close();
  });

  it("a mapping naming a team that does not exist: the server does not start, and says so in one line", async () => {
    const ghost = uniq("ghostteam");
    const entry = { issuer: "https://token.actions.githubusercontent.com", audience: "tollgate", subject: "repo:acme/*", team: ghost, role: "MEMBER" };
    const r = await runServerToExit({
      // A first start on an embedded data dir of its own (whatever DATABASE_URL the tests run with): it creates the team `default`.
      DATABASE_URL: "",
      TOLLGATE_LISTEN_DATABASE_URL: "",
      TOLLGATE_ADMIN_TOKEN: "",
      TOLLGATE_DATA_DIR: freshDataDir(),
      PORT: "0",
      TOLLGATE_TRUSTED_ISSUERS: JSON.stringify([{ ...entry, team: "default" }, entry]), // the first start's team exists: entry 2 does not
    });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `TOLLGATE_TRUSTED_ISSUERS: entry 2: the team "${ghost}" does not exist. Mappings are bound to teams when the server starts: create the team first (or fix the entry), then restart.`,
    ]);
    expect(r.stdout).not.toContain('"msg":"listening"');
  }, 60_000);

  it("binding resolves a slug to its team's id once; a slug or an id of no team is refused, naming the entry", async () => {
    const { database } = await getHarness();
    const team = await createTeamFx();
    const ghost = uniq("ghostteam");
    const bound = await bindTrustedIssuers(database.db, [mapping(idp.issuer, team), mapping(idp.issuer, team, { team: team.id })]);
    expect(bound.map((m) => m.teamId)).toEqual([team.id, team.id]);
    await expect(bindTrustedIssuers(database.db, [mapping(idp.issuer, team), mapping(idp.issuer, team, { team: ghost })])).rejects.toThrow(
      `TOLLGATE_TRUSTED_ISSUERS: entry 2: the team "${ghost}" does not exist.`,
    );
    await expect(bindTrustedIssuers(database.db, [mapping(idp.issuer, team, { team: "team_01doesnotexist0000000000" })])).rejects.toThrow(/entry 1: the team "team_01doesnotexist0000000000" does not exist/);
  });

  it("no app is built on an unbound mapping (its slug would be looked up per request, and a team created later would get it)", async () => {
    const h = await getHarness();
    const ghost = uniq("ghostteam");
    const unbound = mapping(idp.issuer, { slug: ghost } as TeamFx, { role: "OWNER" });
    expect(() => h.makeApp({ config: { trustedIssuers: [unbound] } })).toThrow(/not bound to a team id/);
  });

  it("a mapping by slug keeps acting on the team it was bound to", async () => {
    const team = await createTeamFx();
    const app = await appTrusting([mapping(idp.issuer, team)]); // by slug
    const r = await call("POST", "/v1/api-keys", { token: await idp.sign(), app, body: { purpose: "ai-gateway", name: "from-ci" } });
    expect(r.status, r.text).toBe(200);
    const listed = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(listed.body.apiKeys.map((k: { name: string }) => k.name)).toEqual(["from-ci"]);
  });
});
