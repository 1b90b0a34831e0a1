/**
 * The `tollgate` CLI as a user runs it: the bin as a child process against a real HTTP server
 * (the harness app on 127.0.0.1:0), and the prompts through a real pseudo-terminal (tmux).
 * Few, dense spawns: each node+tsx start costs about half a second.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyFx, createRuleFx, createTeamFx, createUserFx, freshModel, type TeamFx } from "../helpers/fixtures.js";
import { call, uniq } from "../helpers/harness.js";
import { cli, removeTempDirs, type Run, serveHarness, tempDir, Terminal } from "./helpers.js";

let server: { url: string; close: () => Promise<void> };
let team: TeamFx;
/** Every run, checked at the end for colour codes (none: no run had a terminal). */
const runs: Run[] = [];

beforeAll(async () => {
  [server, team] = await Promise.all([serveHarness(), createTeamFx()]);
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

/** `tollgate …` as `who` (TOLLGATE_TOKEN / TOLLGATE_API_URL), with a throwaway config dir. */
async function as(token: string | null, ...args: string[]): Promise<Run> {
  const r = await cli(args, { TOLLGATE_API_URL: server.url, TOLLGATE_TOKEN: token ?? undefined, XDG_CONFIG_HOME: tempDir("env") });
  runs.push(r);
  return r;
}

const json = <T = any>(r: Run): T => {
  expect(r.stderr, r.args.join(" ")).toBe("");
  expect(r.code, r.args.join(" ")).toBe(0);
  return JSON.parse(r.stdout) as T;
};

const getKey = (id: string) => call("GET", `/v1/api-keys/${id}?teamId=${team.id}`, { token: team.owner.token });
const getRule = (id: string) => call("GET", `/v1/ai-gateway/rules/${id}?teamId=${team.id}`, { token: team.owner.token });

/** No stack trace, ever: a refusal is one line of the envelope's message. */
const noStack = (r: Run) => expect(r.stderr).not.toMatch(/\n\s+at /);

// Generous: each test spawns a dozen node processes, and the machine may be shared.
describe("tollgate CLI (child process against a started server)", { timeout: 120_000 }, () => {
  it("login stores URL and token in a 0600 file under XDG_CONFIG_HOME; whoami, teams ls|list, env overrides, logout", async () => {
    const config = tempDir("login");
    const file = join(config, "tollgate", "config.json");
    const env = { XDG_CONFIG_HOME: config };
    const refused = await cli(["login", "--url", server.url, "--token", "tgp_not_a_real_token"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Invalid or expired token");
    noStack(refused);
    expect(() => statSync(file)).toThrow(); // nothing stored
    const noTerminal = await cli(["login", "--url", server.url], env);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain("--token");

    const login = await cli(["login", "--url", server.url + "/", "--token", team.owner.token], env);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${server.url} as ${team.owner.email}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(config, "tollgate")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: server.url, token: team.owner.token });

    const [whoami, whoamiJson, teamsLs, teamsList, asMember, unreachable, sdkStyle] = await Promise.all([
      cli(["whoami"], env),
      cli(["whoami", "--json"], env),
      cli(["teams", "ls"], env),
      cli(["teams", "list", "--json"], env),
      cli(["whoami", "--json"], { ...env, TOLLGATE_TOKEN: team.member.token }),
      cli(["whoami"], { ...env, TOLLGATE_API_URL: "http://127.0.0.1:9" }),
      // An SDK-style base URL (…/v1, as OPENAI_BASE_URL takes it) is the same server, not /v1/v1/…
      cli(["whoami", "--json"], { ...env, TOLLGATE_API_URL: `${server.url}/v1/` }),
    ]);
    runs.push(whoami, whoamiJson, teamsLs, teamsList, asMember, unreachable, sdkStyle);
    expect(sdkStyle.code).toBe(0);
    expect(json(sdkStyle).user.email).toBe(team.owner.email);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(new RegExp(`^User\\s+${team.owner.email}$`, "m"));
    expect(whoami.stdout).toMatch(new RegExp(`^Teams\\s+${team.slug}$`, "m"));
    expect(whoami.stdout).not.toContain(team.owner.token);
    expect(json(whoamiJson)).toMatchObject({ user: { id: team.owner.id, email: team.owner.email }, teams: [{ id: team.id, slug: team.slug, role: "OWNER" }] });
    const lines = teamsLs.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SLUG\s+ID\s+NAME\s+ROLE$/);
    expect(lines[1]).toMatch(new RegExp(`^${team.slug}\\s+${team.id}\\s+Team ${team.slug}\\s+OWNER$`));
    expect(lines[0]!.indexOf("ID")).toBe(lines[1]!.indexOf(team.id)); // aligned columns
    expect(json(teamsList).teams).toEqual([expect.objectContaining({ id: team.id, slug: team.slug, role: "OWNER" })]);
    expect(json(asMember).user.email).toBe(team.member.email); // TOLLGATE_TOKEN wins over the file
    expect(unreachable.code).toBe(1); // TOLLGATE_API_URL wins over the file
    expect(unreachable.stderr).toContain("Cannot reach http://127.0.0.1:9");
    noStack(unreachable);

    const logout = await cli(["logout"], env);
    expect(logout.code).toBe(0);
    expect(() => statSync(file)).toThrow();
    const after = await cli(["whoami"], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Not signed in");
  });

  it("api-keys create and budget take --enforcement (hard budgets), shown in the key's details", async () => {
    const own = await createTeamFx(); // keys of its own: the other tests count the shared team's
    const t = own.owner.token;
    const getKey = (id: string) => call("GET", `/v1/api-keys/${id}?teamId=${own.id}`, { token: t });
    const made = await as(t, "api-keys", "create", "--name", "capped", "--budget", "5", "--enforcement", "hard");
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^Budget\s+\$0\.00 \/ \$5\.00 hard$/m);
    const id = /Created API key (key_\w+)/.exec(made.stdout)![1]!;
    expect((await getKey(id)).body.apiKey.quota).toMatchObject({ limitAmount: 5, enforcement: "hard", reserved: 0 });
    const soft = await as(t, "api-keys", "budget", id, "--amount", "6", "--enforcement", "soft", "--json");
    expect(json(soft).quota).toMatchObject({ limitAmount: 6, enforcement: "soft" });
    const bad = await as(t, "api-keys", "create", "--enforcement", "hard");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--enforcement needs --budget");
    const wrong = await as(t, "api-keys", "budget", id, "--amount", "6", "--enforcement", "firm");
    expect(wrong.code).not.toBe(0);
  });

  it("api-keys create|list|ls|budget|remove|rm|delete, with and without the ai-gateway prefix; tables and --json", async () => {
    const t = team.owner.token;
    const [full, defaults] = await Promise.all([
      as(t, "ai-gateway", "api-keys", "create", "--name", "my-key", "--budget", "500", "--refresh-period", "monthly", "--json"),
      as(t, "api-keys", "create"), // no flags, no terminal: the defaults, no prompt
    ]);
    const created = json(full);
    expect(created.apiKeyString).toMatch(/^tgk_/);
    expect(created.apiKey).toMatchObject({ name: "my-key", teamId: team.id, quota: { limitAmount: 500, refreshPeriod: "monthly", currentSpend: 0 } });
    expect((await getKey(created.apiKey.id)).body.apiKey.quota.limitAmount).toBe(500);
    expect(defaults.code).toBe(0);
    const secret = /^(tgk_\S+)$/m.exec(defaults.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(defaults.stdout).toContain("not shown again");
    const defaultId = /Created API key (key_\w+)/.exec(defaults.stdout)![1]!;
    expect((await getKey(defaultId)).body.apiKey).toMatchObject({ name: "default", quota: null, partialKey: secret!.slice(-4) });

    const [ls, list, listJson] = await Promise.all([as(t, "api-keys", "ls"), as(t, "ai-gateway", "api-keys", "list"), as(t, "api-keys", "ls", "--json")]);
    for (const r of [ls, list]) {
      expect(r.code).toBe(0);
      const rows = r.stdout.trimEnd().split("\n");
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/^ID\s+NAME\s+KEY\s+STATUS\s+BUDGET\s+CREATED$/);
      const plain = rows.find((l) => l.startsWith(defaultId))!;
      const budgeted = rows.find((l) => l.startsWith(created.apiKey.id))!;
      expect(plain).toMatch(new RegExp(`^${defaultId}\\s+default\\s+…${secret!.slice(-4)}\\s+active\\s+-\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));
      expect(budgeted).toMatch(new RegExp(`^${created.apiKey.id}\\s+my-key\\s+…\\w{4}\\s+active\\s+\\$0\\.00 / \\$500\\.00 monthly\\s`));
      expect(rows[0]!.indexOf("BUDGET")).toBe(budgeted.indexOf("$0.00")); // aligned columns
    }
    const listed = json(listJson);
    const byApi = (await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: t })).body.apiKeys;
    expect(listed.apiKeys).toEqual(byApi); // the API's objects, newest first
    expect(listed.apiKeys.map((k: { id: string }) => k.id).sort()).toEqual([defaultId, created.apiKey.id].sort());
    // A secret is printed only by create.
    for (const r of [ls, list, listJson]) {
      expect(r.stdout).not.toContain(created.apiKeyString);
      expect(r.stdout).not.toContain(secret);
    }

    const [set, removeBudget] = await Promise.all([
      as(t, "api-keys", "budget", defaultId, "--amount", "25", "--refresh-period", "daily", "--json"),
      as(t, "ai-gateway", "api-keys", "budget", created.apiKey.id, "--remove"),
    ]);
    expect(json(set)).toMatchObject({ apiKey: { id: defaultId }, quota: { limitAmount: 25, refreshPeriod: "daily" } });
    expect((await getKey(defaultId)).body.apiKey.quota).toMatchObject({ limitAmount: 25, refreshPeriod: "daily" });
    expect(removeBudget.code).toBe(0);
    expect(removeBudget.stdout).toMatch(/^Budget\s+none \(unlimited\)$/m);
    expect((await getKey(created.apiKey.id)).body.apiKey.quota).toBeNull();

    const third = (await createKeyFx(team)).apiKey.id;
    const [remove, rm, del] = await Promise.all([
      as(t, "api-keys", "remove", defaultId, "--yes"),
      as(t, "ai-gateway", "api-keys", "rm", created.apiKey.id, "--yes"),
      as(t, "ai-gateway", "api-keys", "delete", third, "--yes", "--json"),
    ]);
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain(`Deleted API key ${defaultId}`);
    expect(rm.code).toBe(0);
    expect(json(del)).toEqual({ id: third, deleted: true });
    for (const id of [defaultId, created.apiKey.id, third]) expect((await getKey(id)).status).toBe(404);
  });

  it("rules add|list|ls|edit|remove|rm|delete, with and without the ai-gateway prefix; tables and --json", async () => {
    const t = team.member.token;
    const [src, dst, dst2, denied] = [freshModel("opus"), freshModel("haiku"), freshModel("sonnet"), freshModel("gpt")];
    const [rewrite, deny] = await Promise.all([
      as(t, "ai-gateway", "rules", "add", "--type", "rewrite", "--source", src, "--destination", dst, "--reason", "cheaper", "--description", "save", "--json"),
      as(t, "rules", "add", "--type", "deny", "--source", denied),
    ]);
    const rule = json(rewrite);
    expect(rule).toMatchObject({ type: "rewrite", match: { model: src }, action: { rewriteModel: dst, reason: "cheaper" }, description: "save", enabled: true, ownerId: team.id });
    expect(deny.code).toBe(0);
    const denyId = /Added rule (rule_\w+)/.exec(deny.stdout)![1]!;
    expect(deny.stdout).toMatch(new RegExp(`^Source\\s+${denied.replace(".", "\\.")}$`, "m"));
    expect((await getRule(denyId)).body).toMatchObject({ type: "deny", match: { model: denied }, action: { rewriteModel: null } });

    // edit keeps what it is not told to change (the API replaces the whole action)
    const [reason, disable] = [await as(t, "rules", "edit", rule.ruleId, "--reason", "much cheaper", "--json"), await as(t, "ai-gateway", "rules", "edit", denyId, "--disable")];
    expect(json(reason)).toMatchObject({ action: { rewriteModel: dst, reason: "much cheaper" }, description: "save" });
    expect(disable.code).toBe(0);
    expect(disable.stdout).toMatch(/^Enabled\s+no$/m);

    const [list, ls, lsJson, withDisabled] = await Promise.all([
      as(t, "rules", "list"),
      as(t, "ai-gateway", "rules", "ls"),
      as(t, "rules", "ls", "--json"),
      as(t, "ai-gateway", "rules", "list", "--include-disabled", "--json"),
    ]);
    for (const r of [list, ls]) {
      const rows = r.stdout.trimEnd().split("\n");
      expect(rows[0]).toMatch(/^ID\s+TYPE\s+SOURCE\s+DESTINATION\s+ENABLED\s+REASON\s+DESCRIPTION$/);
      expect(rows.slice(1).join("\n")).toMatch(new RegExp(`^${rule.ruleId}\\s+rewrite\\s+${src.replace(".", "\\.")}\\s+${dst.replace(".", "\\.")}\\s+yes\\s+much cheaper\\s+save$`, "m"));
      expect(r.stdout).not.toContain(denyId); // disabled: hidden
    }
    const enabledIds = json(lsJson).rules.map((r: { ruleId: string }) => r.ruleId);
    expect(enabledIds).toContain(rule.ruleId);
    expect(enabledIds).not.toContain(denyId);
    const all = json(withDisabled).rules;
    expect(all.find((r: { ruleId: string }) => r.ruleId === denyId)).toEqual((await getRule(denyId)).body);

    const [enable, retarget] = await Promise.all([
      as(t, "rules", "edit", denyId, "--enable", "--json"),
      as(t, "rules", "edit", rule.ruleId, "--destination", dst2, "--description", "new", "--json"),
    ]);
    expect(json(enable).enabled).toBe(true);
    expect(json(retarget)).toMatchObject({ action: { rewriteModel: dst2, reason: "much cheaper" }, description: "new" });

    const third = (await createRuleFx(team)).ruleId;
    const [remove, rm, del] = await Promise.all([
      as(t, "rules", "remove", rule.ruleId, "--yes"),
      as(t, "ai-gateway", "rules", "rm", denyId, "--yes"),
      as(t, "rules", "delete", third, "--yes", "--json"),
    ]);
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain(`Removed rule ${rule.ruleId}`);
    expect(rm.code).toBe(0);
    expect(json(del)).toEqual({ ruleId: third, deleted: true });
    for (const id of [rule.ruleId, denyId, third]) expect((await getRule(id)).status).toBe(404);
  });

  it("exit codes: 2 for bad usage (nothing changed), 1 for the API's refusals (its message, no stack trace)", async () => {
    const t = team.owner.token;
    const key = (await createKeyFx(team)).apiKey.id;
    const rule = (await createRuleFx(team)).ruleId;
    const keysBefore = (await call("GET", `/v1/api-keys?teamId=${team.id}&limit=100`, { token: t })).body.apiKeys.length;
    const usage = await Promise.all([
      as(t, "api-keys", "ls", "--bogus"),
      as(t, "api-keys", "create", "--name"),
      as(t, "api-keys", "create", "--budget", "0"),
      as(t, "api-keys", "create", "--refresh-period", "daily"),
      as(t, "api-keys", "budget", key),
      as(t, "rules", "add", "--type", "rewrite", "--source", "openai/gpt-5"),
      as(t, "rules", "add", "--type", "block", "--source", "openai/gpt-5"),
      as(t, "rules", "edit", rule, "--enable", "--disable"),
      as(t, "api-keys", "rm", key), // no --yes and no terminal: refused
      as(t, "ai-gateway", "rules", "delete", rule),
    ]);
    for (const r of usage) {
      expect(r.code, r.args.join(" ")).toBe(2);
      expect(r.stdout, r.args.join(" ")).toBe("");
      expect(r.stderr, r.args.join(" ")).not.toBe("");
      noStack(r);
    }
    expect(usage[2]!.stderr).toContain("argument '0' is invalid");
    expect(usage[8]!.stderr).toContain("--yes");
    // nothing changed
    expect((await call("GET", `/v1/api-keys?teamId=${team.id}&limit=100`, { token: t })).body.apiKeys.length).toBe(keysBefore);
    expect((await getKey(key)).status).toBe(200);
    expect((await getRule(rule)).body.enabled).toBe(true);

    const other = await createTeamFx();
    const twoTeams = await createUserFx("two");
    for (const tm of [team, other]) await call("POST", `/v1/teams/${tm.id}/members`, { token: tm.owner.token, body: { email: twoTeams.email, role: "MEMBER" } });
    const [developer, missing, conflict, ambiguous, bySlug, byId, otherTeam] = await Promise.all([
      as(team.developer.token, "api-keys", "create", "--name", "nope"),
      as(t, "api-keys", "rm", "key_00000000000000000000000000", "--yes"),
      as(t, "rules", "add", "--type", "deny", "--source", (await getRule(rule)).body.match.model),
      as(twoTeams.token, "api-keys", "ls"),
      as(twoTeams.token, "--scope", other.slug, "api-keys", "ls", "--json"),
      as(twoTeams.token, "api-keys", "ls", "--json", "--scope", team.id),
      as(other.owner.token, "api-keys", "rm", key, "--yes", "--scope", other.slug),
    ]);
    for (const r of [developer, missing, conflict, otherTeam]) {
      expect(r.code, r.args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/^Error: .+ \(\w+, HTTP \d{3}\)\n$/);
    }
    expect(developer.stderr).toContain("(forbidden, HTTP 403)");
    expect(missing.stderr).toContain("(not_found, HTTP 404)");
    expect(conflict.stderr).toContain("(conflict, HTTP 409)");
    expect(otherTeam.stderr).toContain("(not_found, HTTP 404)"); // another team's key is not leaked
    expect((await getKey(key)).status).toBe(200);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("--scope");
    expect(ambiguous.stderr).toContain(team.slug);
    expect(json(bySlug).apiKeys).toEqual([]);
    expect(json(byId).apiKeys.map((k: { id: string }) => k.id)).toContain(key);
  });

  it("prompts on a real terminal: create asks name and budget (defaults offered), remove asks before deleting", async () => {
    const env = { TOLLGATE_API_URL: server.url, TOLLGATE_TOKEN: team.owner.token, XDG_CONFIG_HOME: tempDir("pty") };
    const name = uniq("pty");
    const create = new Terminal(["ai-gateway", "api-keys", "create"], env);
    try {
      await create.waitFor("Name of the API key (default)");
      create.type(name);
      await create.waitFor("Budget in US dollars (empty for none)");
      create.type("0"); // below the minimum: asked again
      await create.waitFor("Budget must be at least 1");
      create.type("\b42"); // (the 0 is still in the field)
      expect(await create.exitCode()).toBe(0);
      const screen = create.screen(true);
      expect(screen).toMatch(/\x1b\[/); // colours on a terminal
      const id = /Created API key \S*(key_[0-9a-z]+)/.exec(screen)![1]!;
      expect((await getKey(id)).body.apiKey).toMatchObject({ name, quota: { limitAmount: 42, refreshPeriod: "none" } });

      const keep = new Terminal(["api-keys", "rm", id], env);
      try {
        await keep.waitFor(`Delete API key ${id}?`);
        keep.type("n");
        expect(await keep.exitCode()).toBe(0);
        expect(keep.screen()).toContain("Not removed.");
        expect((await getKey(id)).status).toBe(200);
      } finally {
        keep.close();
      }
      const drop = new Terminal(["api-keys", "remove", id], { ...env, NO_COLOR: "1" });
      try {
        await drop.waitFor(`Delete API key ${id}?`);
        drop.type("y");
        expect(await drop.exitCode()).toBe(0);
        expect(drop.screen(true)).not.toMatch(/\x1b\[[0-9;]*[1-9][0-9;]*m/); // NO_COLOR: no colour codes
        expect((await getKey(id)).status).toBe(404);
      } finally {
        drop.close();
      }
    } finally {
      create.close();
    }
  });

  it("login on a real terminal asks for the URL (default offered) and the token (masked)", async () => {
    const config = tempDir("pty-login");
    const login = new Terminal(["login"], { XDG_CONFIG_HOME: config });
    try {
      await login.waitFor("Tollgate URL (http://localhost:3000)");
      login.type(server.url);
      await login.waitFor("Token");
      login.type(team.developer.token);
      expect(await login.exitCode()).toBe(0);
      const screen = login.screen();
      expect(screen).toContain(`Signed in to ${server.url} as ${team.developer.email}`);
      expect(screen).not.toContain(team.developer.token); // masked while typed
      expect(JSON.parse(readFileSync(join(config, "tollgate", "config.json"), "utf8"))).toEqual({ url: server.url, token: team.developer.token });
    } finally {
      login.close();
    }
  });

  it("off a terminal, no run printed a colour code", () => {
    expect(runs.length).toBeGreaterThan(30);
    for (const r of runs) expect(r.stdout + r.stderr, r.args.join(" ")).not.toContain("\x1b[");
  });
});
