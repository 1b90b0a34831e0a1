import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { spawnServer, type SpawnedServer } from "../../scripts/lib/spawn-server.js";
import { ADMIN, GATEWAY, api, freshDataDir } from "../ops/server-process.js";

/**
 * The dashboard in a real browser (Debian's `chromium`, driven by playwright-core) against a real
 * server process started as `npm start` runs it. On failure a screenshot is saved under
 * test-results/.
 */
const DATABASE_URL = process.env.DATABASE_URL;

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
}

let server: SpawnedServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

type Setup = { owner: string; ownerEmail: string; member: string; teamA: { id: string; name: string }; teamB: { id: string; name: string } };
let setup: Setup;

beforeAll(async () => {
  const env: Record<string, string> = {
    TOLLGATE_ADMIN_TOKEN: ADMIN,
    TOLLGATE_GATEWAY_TOKEN: GATEWAY,
    // BYOK credentials and webhook secrets are stored encrypted (Postgres needs the key given).
    TOLLGATE_ENCRYPTION_KEY: "dash1:" + Buffer.alloc(32, 9).toString("base64"),
    // The webhook test's endpoint is on this machine (no delivery is made: none of its events happen).
    TOLLGATE_WEBHOOKS_ALLOW_PRIVATE: "true",
  };
  if (DATABASE_URL) env.DATABASE_URL = DATABASE_URL;
  else env.TOLLGATE_DATA_DIR = freshDataDir();
  server = await spawnServer(env);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-dev-shm-usage"] });

  const tag = Math.random().toString(36).slice(2, 10);
  const ownerEmail = `dash-owner-${tag}@example.test`;
  const owner = (await api(server.url, "POST", "/v1/admin/users", ADMIN, { email: ownerEmail, name: "Owner" })).bearerToken as string;
  const memberEmail = `dash-member-${tag}@example.test`;
  const member = (await api(server.url, "POST", "/v1/admin/users", ADMIN, { email: memberEmail })).bearerToken as string;
  const a = (await api(server.url, "POST", "/v1/teams", owner, { slug: `dash-a-${tag}`, name: `Alpha ${tag}` })).team;
  const b = (await api(server.url, "POST", "/v1/teams", owner, { slug: `dash-b-${tag}`, name: `Beta ${tag}` })).team;
  await api(server.url, "POST", `/v1/teams/${a.id}/members`, owner, { email: memberEmail, role: "MEMBER" });
  setup = { owner, ownerEmail, member, teamA: { id: a.id, name: a.name }, teamB: { id: b.id, name: b.name } };
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  if (server) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
});

/** A fresh browser profile; every dialog (alert, confirm) it opens is recorded (and dismissed). */
async function newPage(): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // under the test's timeout, so a failing step still takes its screenshot
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, dialogs };
}

/** Runs a browser step; on failure saves a screenshot under test-results/ and rethrows. */
async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: `test-results/dashboard-${name}.png`, fullPage: true }).catch(() => {});
    throw err;
  }
}

async function signIn(page: Page, token: string) {
  await page.goto(server.url + "/");
  await expect.poll(() => new URL(page.url()).pathname).toBe("/dashboard/sign-in");
  await page.getByLabel("Personal access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard\/teams\/[^/]+\/keys$/);
}

const keyRow = (page: Page, name: string) => page.locator("#keys tbody tr").filter({ has: page.locator("td.key-name", { hasText: name }) });

describe("the dashboard in a browser", { timeout: 120_000 }, () => {
  it("an OWNER signs in, switches team, creates a key and sees its secret once, sets a budget, sees spend, disables and deletes the key, signs out", async () => {
    const { page, dialogs } = await newPage();
    const { teamA, teamB } = setup;
    await step(page, "sign-in", async () => {
      await signIn(page, setup.owner);
      expect(await page.locator("#whoami").textContent()).toBe(setup.ownerEmail);
      // The token is in no web storage and no cookie the page can read.
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).toBe("{}{}");
      const cookies = await page.context().cookies();
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([["tollgate_session", true, "Strict"]]);
      expect(await page.content()).not.toContain(setup.owner);
    });

    await step(page, "switch-team", async () => {
      await page.getByLabel("Team", { exact: true }).selectOption(teamB.id);
      await page.waitForURL(`**/dashboard/teams/${teamB.id}/keys`);
      expect(await page.locator("title").textContent()).toContain(teamB.name);
      await page.getByLabel("Team", { exact: true }).selectOption(teamA.id);
      await page.waitForURL(`**/dashboard/teams/${teamA.id}/keys`);
    });

    await step(page, "create-key", async () => {
      const form = page.locator("#create-key");
      await form.getByLabel("Name").fill("browser-key");
      await form.getByLabel("Budget (USD)").fill("10");
      await form.getByLabel("Period").selectOption("monthly");
      await form.getByRole("button", { name: "Create key" }).click();
      const secret = page.locator("#new-secret");
      await expect.poll(() => secret.inputValue()).toMatch(/^tgk_[0-9A-Za-z]{49}$/);
      expect(await page.getByRole("button", { name: "Copy" }).count()).toBe(1);
      // Shown once: the list page, loaded again, has no secret.
      await page.goto(`${server.url}/dashboard/teams/${teamA.id}/keys`);
      expect(await page.locator("#new-secret").count()).toBe(0);
      expect(await page.content()).not.toMatch(/tgk_[0-9A-Za-z]{49}/);
      expect(await keyRow(page, "browser-key").locator("td.status").textContent()).toBe("active");
    });

    await step(page, "set-budget", async () => {
      await page.getByRole("link", { name: "Budgets" }).click();
      const form = page.locator("#set-budget");
      await form.getByLabel("Scope").selectOption("team");
      await form.getByLabel("Limit (USD)").fill("50");
      await form.getByRole("button", { name: "Set budget" }).click();
      await expect.poll(() => page.locator("#notice").textContent()).toBe("Saved.");
      expect(await page.locator("#budgets tbody tr").first().textContent()).toContain("of $50.00");
    });

    await step(page, "spend", async () => {
      await page.getByRole("link", { name: "API keys" }).click();
      const keyId = await keyRow(page, "browser-key").getAttribute("data-key-id");
      expect(keyId).toMatch(/^key_/);
      const r = await fetch(`${server.url}/v1/gateway/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${GATEWAY}`, "content-type": "application/json" },
        body: JSON.stringify({ keyId, requestId: `dash-${keyId}`, model: "openai/gpt-5", costUsd: 1.25 }),
      });
      expect(r.status).toBe(202);
      await expect
        .poll(async () => {
          await page.reload();
          return keyRow(page, "browser-key").locator(".spend").textContent();
        })
        .toBe("$1.25 of $10.00");
      await page.getByRole("link", { name: "Usage" }).click();
      expect(await page.locator("#usage-total").textContent()).toBe("$1.25");
      expect(await page.locator("#usage-by-model").textContent()).toContain("openai/gpt-5");
      expect(await page.locator("#usage-by-key tbody td").allTextContents()).toEqual(["browser-key", "$1.25"]); // the key's name, not its id
      expect(await page.locator("#by-day canvas").count()).toBe(1); // uPlot drew the chart (served locally)
    });

    await step(page, "disable-delete", async () => {
      await page.getByRole("link", { name: "API keys" }).click();
      await keyRow(page, "browser-key").getByRole("button", { name: "Disable" }).click();
      await expect.poll(() => keyRow(page, "browser-key").locator("td.status").textContent()).toBe("deactivated");
      await keyRow(page, "browser-key").getByRole("link", { name: "Delete…" }).click();
      expect(await page.locator("main").textContent()).toContain("Delete the key browser-key");
      await page.getByRole("button", { name: "Delete key" }).click();
      await expect.poll(() => page.locator("#notice").textContent()).toBe("Deleted.");
      expect(await keyRow(page, "browser-key").count()).toBe(0);
    });

    await step(page, "xss", async () => {
      const name = "<img src=x onerror=alert(1)>";
      await page.locator("#create-key").getByLabel("Name").fill(name);
      await page.locator("#create-key").getByRole("button", { name: "Create key" }).click();
      await page.goto(`${server.url}/dashboard/teams/${teamA.id}/keys`);
      expect(await page.locator("#keys td.key-name").first().textContent()).toBe(name);
      expect(await page.locator("#keys img").count()).toBe(0);
      await page.getByRole("link", { name: "Audit log" }).click();
      expect(await page.locator("#audit img").count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    await step(page, "csrf", async () => {
      // The browser's own cookie, but no CSRF token: refused, nothing created.
      const r = await page.request.post(`${server.url}/dashboard/teams/${teamA.id}/keys`, { form: { name: "forged" } });
      expect(r.status()).toBe(403);
      await page.goto(`${server.url}/dashboard/teams/${teamA.id}/keys`);
      expect(await keyRow(page, "forged").count()).toBe(0);
    });

    await step(page, "sign-out", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/dashboard/sign-in?signed-out");
      expect(await page.locator("#notice").textContent()).toBe("You are signed out.");
      expect(await page.context().cookies()).toEqual([]);
      await page.goto(`${server.url}/dashboard/teams/${teamA.id}/keys`);
      expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    });
  });

  it("a MEMBER sees key actions but none of the owner-only buttons (members, webhooks)", async () => {
    const { page } = await newPage();
    await step(page, "member", async () => {
      await signIn(page, setup.member);
      expect(await page.locator("#role").textContent()).toBe("MEMBER");
      expect(await page.locator("#create-key").count()).toBe(1);
      // The member belongs to team A only: the switcher offers no other team.
      expect(await page.locator("#team-switcher option").count()).toBe(1);
      await page.getByRole("link", { name: "Members" }).click();
      expect(await page.locator("#members tbody tr").count()).toBe(2);
      expect(await page.locator("#add-member").count()).toBe(0);
      expect(await page.getByRole("button", { name: "Remove" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Change role" }).count()).toBe(0);
      await page.getByRole("link", { name: "Webhooks" }).click();
      expect(await page.locator("#create-webhook").count()).toBe(0);
      // The server refuses anyway: a forged owner-only POST with a valid CSRF token is the API's 403.
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const r = await page.request.post(`${server.url}/dashboard/teams/${setup.teamA.id}/members`, { form: { _csrf: csrf, email: "x@example.test", role: "OWNER" } });
      expect(r.status()).toBe(403);
    });
  });

  it("keyboard only: the sign-in form is reachable and submits with Tab and Enter", async () => {
    const { page } = await newPage();
    await step(page, "keyboard", async () => {
      await page.goto(server.url + "/dashboard/sign-in");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("token");
      await page.keyboard.type(setup.owner);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/dashboard\/teams\/[^/]+\/keys$/);
    });
  });
});

// --- Every other action, each in a team of its own, by one OWNER signed in once. -----------------

let ownerSession: Promise<Page> | undefined;
/** The OWNER's signed-in page, shared by the tests below (each works in a fresh team). */
const ownerPage = () => (ownerSession ??= newPage().then(async ({ page }) => (await signIn(page, setup.owner), page)));

/** A fresh team of the OWNER's, made through the API. */
async function newTeam(label: string): Promise<string> {
  const tag = Math.random().toString(36).slice(2, 8);
  return (await api(server.url, "POST", "/v1/teams", setup.owner, { slug: `${label}-${tag}`, name: `${label} ${tag}` })).team.id;
}

/** An API call whose status the test reads (404s included). */
async function raw(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** What the gateway hears for a secret: POST /v1/gateway/authorize with the gateway token. */
const authorize = (credential: string, model = "openai/gpt-5", extra: Record<string, unknown> = {}) =>
  raw("POST", "/v1/gateway/authorize", GATEWAY, { credential, model, ...extra });

const goTo = async (page: Page, teamId: string, p: string) => {
  await page.goto(`${server.url}/dashboard/teams/${teamId}/${p}`);
};
const notice = (page: Page) => page.locator("#notice").textContent();
const SECRET = /tgk_[0-9A-Za-z]{49}/;
const REPLAYED = "This form was already sent: nothing was done again. Here is its first answer.";

describe("the dashboard's other actions in a browser", { timeout: 120_000 }, () => {
  it("creates a key with a hard budget, edits its name, models and budget, then removes the budget", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("edit");
    await step(page, "edit-key", async () => {
      await goTo(page, teamId, "keys");
      const create = page.locator("#create-key");
      await create.getByLabel("Name").fill("ci");
      await create.getByLabel("Budget (USD)").fill("40");
      await create.getByLabel("Period").selectOption("monthly");
      await create.getByLabel("Enforcement").selectOption("hard");
      await create.getByRole("button", { name: "Create key" }).click();
      await expect.poll(() => page.locator("#new-secret").inputValue()).toMatch(SECRET);
      const secret = await page.locator("#new-secret").inputValue();
      // Reloading the answer sends the form again: the API replays its first answer, no second key.
      await page.reload();
      await expect.poll(() => notice(page)).toBe(REPLAYED);
      expect(await page.locator("#new-secret").inputValue()).toBe(secret);
      expect((await api(server.url, "GET", `/v1/api-keys?teamId=${teamId}`, setup.owner)).apiKeys).toHaveLength(1);
      expect(await keyRow(page, "ci").locator(".spend").textContent()).toBe("$0.00 of $40.00");
      expect(await keyRow(page, "ci").locator(".tag.hard").textContent()).toBe("hard cap");
      const keyId = (await keyRow(page, "ci").getAttribute("data-key-id"))!;
      const made = (await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey;
      expect(made.quota).toMatchObject({ limitAmount: 40, refreshPeriod: "monthly", enforcement: "hard" });

      await keyRow(page, "ci").getByRole("link", { name: "Edit" }).click();
      const form = page.locator("#edit-key");
      expect(await form.getByLabel("Name").inputValue()).toBe("ci");
      expect(await form.getByLabel("Enforcement").inputValue()).toBe("hard");
      await form.getByLabel("Name").fill("ci-nightly");
      await form.getByLabel("Models").fill("openai/gpt-5-mini, anthropic/*");
      await form.getByLabel("Budget (USD)").fill("25");
      await form.getByLabel("Period").selectOption("weekly");
      await form.getByLabel("Enforcement").selectOption("soft");
      await form.getByRole("button", { name: "Save" }).click();
      // A model list the API refuses (no wildcards in a key's allow-list): its message, the
      // form as typed, and nothing saved.
      await expect.poll(() => page.locator("#error").textContent()).toContain("models.1: must be a model id");
      expect(await form.getByLabel("Name").inputValue()).toBe("ci-nightly");
      expect(await form.getByLabel("Models").inputValue()).toBe("openai/gpt-5-mini, anthropic/*");
      expect(await form.getByLabel("Budget (USD)").inputValue()).toBe("25");
      expect(await form.getByLabel("Period").inputValue()).toBe("weekly");
      expect(await form.getByLabel("Enforcement").inputValue()).toBe("soft");
      const unchanged = (await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey;
      expect(unchanged).toMatchObject({ name: "ci", models: [] });
      expect(unchanged.quota).toMatchObject({ limitAmount: 40, enforcement: "hard" });
      await form.getByLabel("Models").fill("openai/gpt-5-mini, anthropic/claude-sonnet-4");
      await form.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => notice(page)).toBe("Saved.");
      const row = keyRow(page, "ci-nightly");
      expect(await row.getAttribute("data-key-id")).toBe(keyId);
      expect(await row.locator("td.models").textContent()).toBe("openai/gpt-5-mini, anthropic/claude-sonnet-4");
      expect(await row.locator(".spend").textContent()).toBe("$0.00 of $25.00");
      expect(await row.locator(".period").textContent()).toBe("weekly");
      expect(await row.locator(".tag.hard").count()).toBe(0);
      const edited = (await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey;
      expect(edited).toMatchObject({ name: "ci-nightly", models: ["openai/gpt-5-mini", "anthropic/claude-sonnet-4"] });
      expect(edited.quota).toMatchObject({ limitAmount: 25, refreshPeriod: "weekly", enforcement: "soft" });

      await row.getByRole("link", { name: "Edit" }).click();
      await page.locator("#edit-key").getByLabel("Remove the budget").check();
      await page.locator("#edit-key").getByRole("button", { name: "Save" }).click();
      await expect.poll(() => notice(page)).toBe("Saved.");
      expect(await keyRow(page, "ci-nightly").locator("td").nth(3).textContent()).toBe("No budget");
      expect((await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey.quota).toBeNull();
    });
  });

  it("rolls a key with a grace period: the new secret is shown once and the old one authorizes until the grace ends; a roll without grace refuses it at once", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("roll");
    const made = await api(server.url, "POST", `/v1/api-keys?teamId=${teamId}`, setup.owner, { purpose: "ai-gateway", name: "backend" });
    const keyId = made.apiKey.id as string;
    const first = made.apiKeyString as string;
    expect((await authorize(first)).status).toBe(200);
    await step(page, "roll", async () => {
      await goTo(page, teamId, "keys");
      const before = Date.now();
      await keyRow(page, "backend").getByLabel("Grace period for rolling backend").selectOption({ label: "1 hour" });
      await keyRow(page, "backend").getByRole("button", { name: "Roll" }).click();
      await expect.poll(() => page.locator("#new-secret").inputValue()).toMatch(SECRET);
      const second = await page.locator("#new-secret").inputValue();
      expect(second).not.toBe(first);
      expect(await notice(page)).toBe("Key rolled. Copy its new secret now: it is not shown again.");
      expect(await keyRow(page, "backend").locator(".grace").textContent()).toMatch(/^previous secret accepted until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      const key = (await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey;
      expect(key.previousSecretExpiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(key.previousSecretExpiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
      // Reloading the answer sends the form again: the API replays its first answer, no second roll.
      await page.reload();
      await expect.poll(() => notice(page)).toBe(REPLAYED);
      expect(await page.locator("#new-secret").inputValue()).toBe(second);
      expect((await api(server.url, "GET", `/v1/api-keys/${keyId}?teamId=${teamId}`, setup.owner)).apiKey.previousSecretExpiresAt).toBe(key.previousSecretExpiresAt);
      // Shown once: the page loaded anew holds no secret.
      await goTo(page, teamId, "keys");
      expect(await page.locator("#new-secret").count()).toBe(0);
      expect(await page.content()).not.toMatch(SECRET);
      // Both secrets authorize the same key during the grace period.
      const viaNew = await authorize(second);
      expect([viaNew.status, viaNew.body.keyId]).toEqual([200, keyId]);
      const viaOld = await authorize(first);
      expect([viaOld.status, viaOld.body.keyId]).toEqual([200, keyId]);

      // Rolled again with no grace: only the newest secret works.
      await keyRow(page, "backend").getByLabel("Grace period for rolling backend").selectOption("0");
      await keyRow(page, "backend").getByRole("button", { name: "Roll" }).click();
      await expect.poll(() => page.locator("#new-secret").inputValue()).toMatch(SECRET);
      const third = await page.locator("#new-secret").inputValue();
      expect(new Set([first, second, third]).size).toBe(3);
      expect(await keyRow(page, "backend").locator(".grace").count()).toBe(0);
      expect((await authorize(third)).status).toBe(200);
      await expect.poll(async () => (await authorize(second)).status).toBe(401);
      expect((await authorize(first)).status).toBe(401);
    });
  });

  it("adds a rewrite and a deny rule, resolves models in the dry run, deletes a rule", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("rules");
    const resolve = async (model: string) => {
      await page.locator("#resolve").getByLabel("Requested model").fill(model);
      await page.locator("#resolve").getByRole("button", { name: "Resolve" }).click();
      await page.waitForURL(`**/rules?model=${encodeURIComponent(model)}`);
      return page.locator("#resolved");
    };
    await step(page, "rules", async () => {
      await goTo(page, teamId, "rules");
      expect(await (await resolve("openai/gpt-5")).textContent()).toBe("openai/gpt-5 → openai/gpt-5 (no rule applies)");

      const form = page.locator("#create-rule");
      await form.getByLabel("Type").selectOption("rewrite");
      await form.getByLabel("Match model").fill("openai/gpt-5");
      await form.getByLabel("Rewrite to").fill("openai/gpt-5-mini");
      await form.getByLabel("Description").fill("cheaper default");
      await form.getByRole("button", { name: "Add rule" }).click();
      await expect.poll(() => notice(page)).toBe("Created.");
      await form.getByLabel("Type").selectOption("deny");
      await form.getByLabel("Match model").fill("anthropic/*");
      await form.getByLabel("Reason").fill("Not approved by legal");
      await form.getByRole("button", { name: "Add rule" }).click();
      await expect.poll(() => page.locator("#rules tbody tr").count()).toBe(2);

      const rules = (await api(server.url, "GET", `/v1/ai-gateway/rules?teamId=${teamId}`, setup.owner)).rules as any[];
      const rewrite = rules.find((r) => r.type === "rewrite");
      const deny = rules.find((r) => r.type === "deny");
      expect(rewrite).toMatchObject({ match: { model: "openai/gpt-5" }, action: { rewriteModel: "openai/gpt-5-mini" }, description: "cheaper default", enabled: true });
      expect(deny).toMatchObject({ match: { model: "anthropic/*" }, action: { reason: "Not approved by legal" } });
      expect(await page.locator(`#rules tr[data-rule-id="${rewrite.ruleId}"]`).textContent()).toContain("cheaper default");

      const rewritten = await resolve("openai/gpt-5");
      expect(await rewritten.locator(".resolved-model").textContent()).toBe("openai/gpt-5-mini");
      expect(await rewritten.textContent()).toContain(`(rules ${rewrite.ruleId})`);
      const denied = await resolve("anthropic/claude-sonnet-4");
      expect(await denied.textContent()).toBe(`anthropic/claude-sonnet-4 is denied by rule ${deny.ruleId}: Not approved by legal.`);

      await page.locator(`#rules tr[data-rule-id="${rewrite.ruleId}"]`).getByRole("button", { name: "Delete" }).click();
      await expect.poll(() => notice(page)).toBe("Deleted.");
      expect(await page.locator("#rules tbody tr").count()).toBe(1);
      const left = (await api(server.url, "GET", `/v1/ai-gateway/rules?teamId=${teamId}`, setup.owner)).rules as any[];
      expect(left.map((r) => r.ruleId)).toEqual([deny.ruleId]);
      expect(await (await resolve("openai/gpt-5")).textContent()).toBe("openai/gpt-5 → openai/gpt-5 (no rule applies)");
    });
  });

  it("disables, enables and deletes a BYOK credential, showing its hint and never its secret", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("byok");
    const cred = (
      await api(server.url, "POST", `/v1/ai-gateway/byok?teamId=${teamId}`, setup.owner, {
        provider: "openai",
        name: "prod-openai",
        credentials: { apiKey: "sk-proj-demo-secret-x9Qa" },
      })
    ).credential;
    const row = () => page.locator(`#byok tr[data-credential-id="${cred.id}"]`);
    const stored = async () => (await raw("GET", `/v1/ai-gateway/byok/${cred.id}?teamId=${teamId}`, setup.owner)).body?.credential?.enabled;
    await step(page, "byok", async () => {
      await goTo(page, teamId, "byok");
      expect(await row().locator("td").nth(1).textContent()).toBe("prod-openai");
      expect(await row().locator("code").textContent()).toBe("x9Qa");
      expect(await page.content()).not.toContain("sk-proj-demo-secret");
      expect(await row().locator("td.enabled").textContent()).toBe("yes");

      await row().getByRole("button", { name: "Disable" }).click();
      await expect.poll(() => notice(page)).toBe("Saved.");
      expect(await row().locator("td.enabled").textContent()).toBe("no");
      expect(await stored()).toBe(false);

      await row().getByRole("button", { name: "Enable" }).click();
      await expect.poll(() => row().locator("td.enabled").textContent()).toBe("yes");
      expect(await stored()).toBe(true);

      await row().getByRole("button", { name: "Delete" }).click();
      await expect.poll(() => notice(page)).toBe("Deleted.");
      expect(await row().count()).toBe(0);
      expect(await page.locator("main").textContent()).toContain("No credentials.");
      expect((await raw("GET", `/v1/ai-gateway/byok/${cred.id}?teamId=${teamId}`, setup.owner)).status).toBe(404);
    });
  });

  it("adds a member, changes their role, removes them; an unknown email shows the API's error", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("members");
    const email = `dash-new-${Math.random().toString(36).slice(2, 10)}@example.test`;
    const user = (await api(server.url, "POST", "/v1/admin/users", ADMIN, { email })).user;
    const members = async () =>
      ((await api(server.url, "GET", `/v1/teams/${teamId}/members`, setup.owner)).members as any[]).map((m) => [m.email, m.role]).sort();
    const row = () => page.locator(`#members tr[data-user-id="${user.id}"]`);
    await step(page, "members", async () => {
      await goTo(page, teamId, "members");
      const form = page.locator("#add-member");
      await form.getByLabel("Email").fill(`nobody-${email}`);
      await form.getByRole("button", { name: "Add member" }).click();
      await expect.poll(() => page.locator("#error").textContent()).toBe(`User with email nobody-${email} not found.`);
      expect(await members()).toEqual([[setup.ownerEmail, "OWNER"]]);

      await form.getByLabel("Email").fill(email);
      await form.getByLabel("Role").selectOption("DEVELOPER");
      await form.getByRole("button", { name: "Add member" }).click();
      await expect.poll(() => notice(page)).toBe("Member added.");
      expect(await row().getByLabel(`Role of ${email}`).inputValue()).toBe("DEVELOPER");
      expect(await members()).toEqual([[setup.ownerEmail, "OWNER"], [email, "DEVELOPER"]].sort());

      await row().getByLabel(`Role of ${email}`).selectOption("MEMBER");
      await row().getByRole("button", { name: "Change role" }).click();
      await expect.poll(() => notice(page)).toBe("Saved.");
      expect(await row().getByLabel(`Role of ${email}`).inputValue()).toBe("MEMBER");
      expect(await members()).toEqual([[setup.ownerEmail, "OWNER"], [email, "MEMBER"]].sort());

      await row().getByRole("button", { name: "Remove" }).click();
      await expect.poll(() => notice(page)).toBe("Member removed.");
      expect(await row().count()).toBe(0);
      expect(await members()).toEqual([[setup.ownerEmail, "OWNER"]]);
    });
  });

  it("creates a webhook (its signing secret shown once) and deletes it", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("hooks");
    const list = async () => (await api(server.url, "GET", `/v1/ai-gateway/webhooks?teamId=${teamId}`, setup.owner)).webhooks as any[];
    await step(page, "webhooks", async () => {
      await goTo(page, teamId, "webhooks");
      const form = page.locator("#create-webhook");
      await form.getByLabel("URL").fill("http://127.0.0.1:9/hooks/tollgate");
      await form.getByLabel("Events").fill("budget.threshold, api_key.leaked");
      await form.getByLabel("Description").fill("finance alerts");
      await form.getByRole("button", { name: "Add webhook" }).click();
      await expect.poll(() => page.locator("#webhook-secret").inputValue()).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      const secret = await page.locator("#webhook-secret").inputValue();
      expect(await notice(page)).toBe("Webhook created. Copy its signing secret now: it is not shown again.");
      const [hook, ...more] = await list();
      expect(more).toEqual([]);
      expect(hook).toMatchObject({ url: "http://127.0.0.1:9/hooks/tollgate", events: ["budget.threshold", "api_key.leaked"], description: "finance alerts", enabled: true });
      expect(JSON.stringify(hook)).not.toContain(secret.slice(6));
      const row = page.locator(`#webhooks tr[data-webhook-id="${hook.id}"]`);
      expect(await row.textContent()).toContain("finance alerts");

      // Reloading the answer sends the form again: the API replays its first answer, no second webhook.
      await page.reload();
      await expect.poll(() => notice(page)).toBe(REPLAYED);
      expect(await page.locator("#webhook-secret").inputValue()).toBe(secret);
      expect(await list()).toHaveLength(1);
      await goTo(page, teamId, "webhooks");
      expect(await page.locator("#webhook-secret").count()).toBe(0);
      expect(await page.content()).not.toContain(secret.slice(6));

      await row.getByRole("button", { name: "Delete" }).click();
      await expect.poll(() => notice(page)).toBe("Deleted.");
      expect(await row.count()).toBe(0);
      expect(await list()).toEqual([]);
    });
  });

  it("pages through a team with more keys than a page: Next page, End of list, First page", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("pager");
    const names = Array.from({ length: 25 }, (_, i) => `svc-${String(i + 1).padStart(2, "0")}`);
    for (const name of names) await api(server.url, "POST", `/v1/api-keys?teamId=${teamId}`, setup.owner, { purpose: "ai-gateway", name });
    const shown = () => page.locator("#keys td.key-name").allTextContents();
    await step(page, "pager", async () => {
      await goTo(page, teamId, "keys");
      const firstPage = await shown();
      expect(firstPage).toEqual(names.slice(5).reverse()); // newest first, 20 a page
      expect(await page.getByRole("link", { name: "← First page" }).count()).toBe(0);

      await page.getByRole("link", { name: "Next page →" }).click();
      await page.waitForURL(/\/keys\?until=/);
      expect(await shown()).toEqual(names.slice(0, 5).reverse());
      expect(await page.locator(".pager").textContent()).toContain("End of list.");
      expect(await page.getByRole("link", { name: "Next page →" }).count()).toBe(0);

      await page.getByRole("link", { name: "← First page" }).click();
      await page.waitForURL(`**/dashboard/teams/${teamId}/keys`);
      expect(await shown()).toEqual(firstPage);
    });
  });

  it("sets a hard team budget on the budgets page", async () => {
    const page = await ownerPage();
    const teamId = await newTeam("budget");
    await step(page, "hard-budget", async () => {
      await goTo(page, teamId, "budgets");
      const form = page.locator("#set-budget");
      await form.getByLabel("Scope").selectOption("team");
      await form.getByLabel("Limit (USD)").fill("500");
      await form.getByLabel("Enforcement").selectOption("hard");
      await form.getByRole("button", { name: "Set budget" }).click();
      await expect.poll(() => notice(page)).toBe("Saved.");
      expect(await page.locator("#budgets tbody td.enforcement").allTextContents()).toEqual(["hard"]);
      const budgets = (await api(server.url, "GET", `/v1/ai-gateway/budgets?teamId=${teamId}`, setup.owner)).budgets;
      expect(budgets).toHaveLength(1);
      expect(budgets[0]).toMatchObject({ scopeType: "team", limitAmount: 500, refreshPeriod: "monthly", enforcement: "hard" });
    });
  });

  // `TOLLGATE_DASHBOARD_SCREENSHOT=docs/dashboard-keys.png npx vitest run test/dashboard/dashboard.browser.test.ts`
  // retakes the README's screenshot: a team with a few keys, budgets and spend.
  it.runIf(process.env.TOLLGATE_DASHBOARD_SCREENSHOT)("takes the keys page's screenshot", async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const tryBoth = async <T>(fn: (suffix: string) => Promise<T>) => fn("").catch(() => fn(`-${tag}`));
    const { bearerToken: owner } = await tryBoth((s) => api(server.url, "POST", "/v1/admin/users", ADMIN, { email: `maria${s}@acme.example`, name: "Maria" }));
    const team = (await tryBoth((s) => api(server.url, "POST", "/v1/teams", owner, { slug: `acme${s}`, name: "Acme" }))).team;
    await tryBoth((s) => api(server.url, "POST", "/v1/teams", owner, { slug: `acme-research${s}`, name: "Acme Research" }));
    const keys: [string, Record<string, unknown>, number[]][] = [
      ["staging", { models: ["openai/gpt-5-mini"] }, [0.42, 0.18]],
      ["ci", { aiGatewayQuota: { limitAmount: 20, refreshPeriod: "weekly" } }, [1.1, 2.65]],
      ["mobile-app", { aiGatewayQuota: { limitAmount: 150, refreshPeriod: "monthly" }, models: ["openai/gpt-5-mini", "anthropic/claude-haiku-4"] }, [12.3]],
      ["data-science", { aiGatewayQuota: { limitAmount: 500, refreshPeriod: "monthly" } }, [88.2, 41.55]],
      ["batch-jobs", { aiGatewayQuota: { limitAmount: 250, refreshPeriod: "monthly", enforcement: "hard" } }, [140.5, 92.35]],
      ["backend", { aiGatewayQuota: { limitAmount: 400, refreshPeriod: "monthly" } }, [120.75, 95.1, 38.9]],
    ];
    for (const [name, body, costs] of keys) {
      const made = await api(server.url, "POST", `/v1/api-keys?teamId=${team.id}`, owner, { purpose: "ai-gateway", name, ...body });
      const keyId = made.apiKey.id;
      const model = made.apiKey.models[0] ?? "openai/gpt-5";
      // Authorized first ("last used"; a hard budget reserves under the request's id until its report).
      const seen = await authorize(made.apiKeyString, model, { requestId: `shot-${keyId}-0` });
      expect([seen.status, seen.body]).toEqual([200, expect.anything()]);
      for (const [i, costUsd] of costs.entries()) {
        await api(server.url, "POST", "/v1/gateway/usage", GATEWAY, { keyId, requestId: `shot-${keyId}-${i}`, model, costUsd });
      }
      if (name === "mobile-app") await api(server.url, "PATCH", `/v1/api-keys/${keyId}?teamId=${team.id}`, owner, { enabled: false });
    }
    // Last use is written in batches: wait until every key has one.
    await expect
      .poll(async () => ((await api(server.url, "GET", `/v1/api-keys?teamId=${team.id}`, owner)).apiKeys as any[]).every((k) => k.activeAt > k.createdAt), { timeout: 15_000 })
      .toBe(true);
    const { page } = await newPage();
    await page.setViewportSize({ width: 1360, height: 760 });
    await signIn(page, owner);
    await goTo(page, team.id, "keys");
    await page.screenshot({ path: process.env.TOLLGATE_DASHBOARD_SCREENSHOT!, fullPage: true });
  });
});
