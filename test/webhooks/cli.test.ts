/**
 * `tollgate webhooks …` as a user runs it: the bin as a child process against the harness app
 * served on 127.0.0.1 (see test/cli).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";
import { cli, removeTempDirs, type Run, serveHarness, tempDir } from "../cli/helpers.js";
import { PUBLIC_URL, WEBHOOKS } from "./helpers.js";

let server: { url: string; close: () => Promise<void> };
let team: TeamFx;

beforeAll(async () => {
  await getHarness();
  [server, team] = await Promise.all([serveHarness(), createTeamFx()]);
});
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

const as = (token: string, ...args: string[]): Promise<Run> =>
  cli([...args, "--scope", team.id], { TOLLGATE_API_URL: server.url, TOLLGATE_TOKEN: token, XDG_CONFIG_HOME: tempDir("env") });

const json = <T = any>(r: Run): T => {
  expect(r.stderr, r.args.join(" ")).toBe("");
  expect(r.code, r.args.join(" ")).toBe(0);
  return JSON.parse(r.stdout) as T;
};

describe("tollgate webhooks", { timeout: 120_000 }, () => {
  it("create|list|ls|update|test|deliveries|delete|rm, tables and --json; the secret printed once, by create", async () => {
    const t = team.owner.token;
    const [shown, scripted] = await Promise.all([
      as(t, "webhooks", "create", "--url", PUBLIC_URL, "--events", "budget.threshold,api_key.leaked", "--description", "ops"),
      as(t, "webhooks", "create", "--url", `${PUBLIC_URL}/slack`, "--events", "all", "--format", "slack", "--json"),
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    const id = /Created webhook (wh_\w+)/.exec(shown.stdout)![1]!;
    expect(shown.stdout).toMatch(/^Events\s+budget\.threshold, api_key\.leaked$/m);
    expect(shown.stdout).toMatch(/^Signing secret: whsec_[A-Za-z0-9+/]{43}=$/m);
    expect(shown.stdout).toContain("Save it now: it is not shown again.");
    const created = json(scripted);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.webhook).toMatchObject({ format: "slack", events: ["budget.threshold", "api_key.leaked", "api_key.expiring", "byok.credential_failing"] });

    const [list, ls, lsJson] = await Promise.all([as(t, "webhooks", "list"), as(team.developer.token, "webhooks", "ls"), as(t, "webhooks", "ls", "--json")]);
    for (const r of [list, ls]) {
      const rows = r.stdout.trimEnd().split("\n");
      expect(rows[0]).toMatch(/^ID\s+URL\s+EVENTS\s+FORMAT\s+ENABLED\s+FAILING SINCE$/);
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s+${PUBLIC_URL.replace(/[./]/g, "\\$&")}\\s+budget\\.threshold,api_key\\.leaked\\s+standard\\s+yes\\s+-$`, "m"));
      expect(r.stdout).not.toContain("whsec_");
    }
    const fromApi = (await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: t })).body;
    expect(json(lsJson)).toEqual(fromApi);

    const [disabled, retarget] = await Promise.all([
      as(t, "webhooks", "update", created.webhook.id, "--disable"),
      as(t, "webhooks", "edit", id, "--events", "api_key.expiring", "--json"),
    ]);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(/^Enabled\s+no$/m);
    expect(json(retarget).webhook.events).toEqual(["api_key.expiring"]);

    const test = await as(t, "webhooks", "test", id);
    expect(test.code).toBe(0);
    const eventId = /Queued test event (msg_\w+) for/.exec(test.stdout)![1]!;
    const deliveries = await as(team.member.token, "webhooks", "deliveries", id);
    expect(deliveries.code).toBe(0);
    expect(deliveries.stdout.split("\n")[0]).toMatch(/^EVENT\s+TYPE\s+STATE\s+ATTEMPTS\s+STATUS\s+NEXT TRY\s+ERROR$/);
    expect(deliveries.stdout).toMatch(new RegExp(`^${eventId}\\s+webhook\\.test\\s+pending\\s+0\\s+-\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\s+-$`, "m"));
    expect(json(await as(t, "webhooks", "deliveries", id, "--limit", "1", "--json")).deliveries.map((d: { id: string }) => d.id)).toEqual([eventId]);

    const [rm, del] = await Promise.all([as(t, "webhooks", "rm", id, "--yes"), as(t, "webhooks", "delete", created.webhook.id, "--yes", "--json")]);
    expect(rm.stdout).toContain(`Deleted webhook ${id}`);
    expect(json(del)).toEqual({ id: created.webhook.id, deleted: true });
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: t })).body.webhooks).toEqual([]);
  });

  it("exit 2 for bad usage (nothing created), 1 for the API's refusals with its message", async () => {
    const t = team.owner.token;
    const [unknownEvent, nothing, noUrl, member, privateUrl] = await Promise.all([
      as(t, "webhooks", "create", "--url", PUBLIC_URL, "--events", "api_key.stolen"),
      as(t, "webhooks", "update", "wh_01jd7y2m3n4p5q6r7s8t9v0w1x"),
      as(t, "webhooks", "create", "--events", "all"),
      as(team.member.token, "webhooks", "create", "--url", PUBLIC_URL, "--events", "all"),
      as(t, "webhooks", "create", "--url", "http://127.0.0.1:9/x", "--events", "all"),
    ]);
    for (const r of [unknownEvent, nothing, noUrl]) expect(r.code, r.args.join(" ")).toBe(2);
    expect(unknownEvent.stderr).toContain("unknown event 'api_key.stolen'");
    expect(member.code).toBe(1);
    expect(member.stderr).toContain("Only a team OWNER can do this (your role: MEMBER).");
    expect(privateUrl.code).toBe(1);
    expect(privateUrl.stderr).toContain("TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true");
    for (const r of [unknownEvent, member, privateUrl]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await call("GET", `${WEBHOOKS}?teamId=${team.id}`, { token: t })).body.webhooks).toEqual([]);
  });
});
