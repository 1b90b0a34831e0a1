import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dashboardSessions } from "../../src/db/schema.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

/** A browser-like client of the in-process app: keeps the session cookie, sends forms. */
async function signIn(token: string, opts: { origin?: string } = {}) {
  const h = await getHarness();
  const res = await h.app.request("http://tollgate.test/dashboard/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(opts.origin ? { origin: opts.origin } : {}) },
    body: new URLSearchParams({ token }).toString(),
  });
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  return { res, setCookie, cookie };
}

async function get(path: string, cookie: string) {
  const h = await getHarness();
  const res = await h.app.request(`http://tollgate.test${path}`, { headers: { cookie } });
  return { res, html: await res.text() };
}

async function post(path: string, cookie: string, form: Record<string, string>) {
  const h = await getHarness();
  const res = await h.app.request(`http://tollgate.test${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { res, html: await res.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

describe("dashboard over HTTP", () => {
  it("GET / takes a browser to /dashboard, which asks a visitor without a session to sign in", async () => {
    const root = await call("GET", "/", { headers: { accept: "text/html" } });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/dashboard");
    const dash = await call("GET", "/dashboard");
    expect(dash.status).toBe(302);
    expect(dash.headers.get("location")).toBe("/dashboard/sign-in");
    const page = await call("GET", "/dashboard/sign-in");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="token">Personal access token</label>');
  });

  it("every dashboard answer carries a CSP without inline script, frame-ancestors 'none', X-Frame-Options DENY and no-store", async () => {
    for (const path of ["/dashboard", "/dashboard/sign-in", "/dashboard/teams/team_x/keys"]) {
      const r = await call("GET", path);
      const csp = r.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get("x-frame-options")).toBe("DENY");
      expect(r.headers.get("cache-control")).toBe("no-store");
    }
    const page = await call("GET", "/dashboard/sign-in");
    // No inline script: every <script> has a src on this origin.
    for (const m of page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/src="\/dashboard\/assets\//);
      expect(m[2]).toBe("");
    }
    const js = await call("GET", "/dashboard/assets/uPlot.iife.min.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await call("GET", "/dashboard/assets/..%2Fpackage.json")).status).toBe(404);
  });

  it("sign-in with a valid token sets an HttpOnly, SameSite=Strict session cookie with an expiry; the token is not in the page", async () => {
    const team = await createTeamFx();
    const { res, setCookie, cookie } = await signIn(team.owner.token);
    expect(res.status).toBe(303);
    expect(setCookie).toMatch(/^tollgate_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(setCookie).toContain("Path=/dashboard");
    expect(setCookie).not.toContain("Secure"); // http://: a Secure cookie would not come back

    const keys = await get(`/dashboard/teams/${team.id}/keys`, cookie);
    expect(keys.res.status).toBe(200);
    expect(keys.html).toContain(team.owner.email);
    expect(keys.html).not.toContain(team.owner.token);

    // The database holds the token sealed, not in clear, and not under the cookie's value.
    const h = await getHarness();
    const secret = cookie.split("=")[1]!;
    const rows = await h.database.db.select().from(dashboardSessions).where(eq(dashboardSessions.userId, team.owner.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealedToken).not.toContain(team.owner.token);
    expect(rows[0]!.id).not.toBe(secret);
    expect(rows[0]!.expiresAt - rows[0]!.createdAt).toBe(12 * 3600 * 1000);
  });

  it("the cookie is Secure when the server is reached over https", async () => {
    const team = await createTeamFx();
    const h = await getHarness();
    const res = await h.app.request("https://tollgate.test/dashboard/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: team.owner.token }).toString(),
    });
    expect(res.headers.get("set-cookie")).toContain("Secure");
  });

  it("a wrong token shows the API's error and sets no cookie; a cross-site sign-in form is refused", async () => {
    const bad = await signIn("tgp_notavalidtoken");
    expect(bad.res.status).toBe(401);
    expect(bad.setCookie).toBe("");
    expect(await bad.res.text()).toContain("Invalid or expired token.");
    const team = await createTeamFx();
    const cross = await signIn(team.owner.token, { origin: "https://evil.example" });
    expect(cross.res.status).toBe(403);
    expect(cross.setCookie).toBe("");
  });

  it("a POST without the CSRF token, or with another session's, is 403 and changes nothing", async () => {
    const team = await createTeamFx();
    const { cookie } = await signIn(team.owner.token);
    const other = await signIn(team.member.token);
    const otherCsrf = csrfOf((await get(`/dashboard/teams/${team.id}/keys`, other.cookie)).html);
    expect(otherCsrf).not.toBe("");

    const none = await post(`/dashboard/teams/${team.id}/keys`, cookie, { name: "csrf-none" });
    expect(none.res.status).toBe(403);
    const wrong = await post(`/dashboard/teams/${team.id}/keys`, cookie, { name: "csrf-wrong", _csrf: otherCsrf });
    expect(wrong.res.status).toBe(403);
    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.apiKeys).toHaveLength(0);

    const csrf = csrfOf((await get(`/dashboard/teams/${team.id}/keys`, cookie)).html);
    const ok = await post(`/dashboard/teams/${team.id}/keys`, cookie, { name: "csrf-ok", _csrf: csrf });
    expect(ok.res.status).toBe(201);
    expect(ok.html).toMatch(/id="new-secret" type="text" readonly="" value="tgk_/);
    const after = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(after.body.apiKeys.map((k: { name: string }) => k.name)).toEqual(["csrf-ok"]);
  });

  it("the API's rules and messages apply: a DEVELOPER's create is refused with the API's 403 message", async () => {
    const team = await createTeamFx();
    const { cookie } = await signIn(team.developer.token);
    const page = await get(`/dashboard/teams/${team.id}/keys`, cookie);
    expect(page.html).not.toContain('id="create-key"');
    const r = await post(`/dashboard/teams/${team.id}/keys`, cookie, { name: "nope", _csrf: csrfOf(page.html) });
    expect(r.res.status).toBe(403);
    expect(r.html).toContain('role="alert"');
    const list = await call("GET", `/v1/api-keys?teamId=${team.id}`, { token: team.owner.token });
    expect(list.body.apiKeys).toHaveLength(0);
  });

  it("a user-supplied name is escaped: no markup from a key name reaches the page", async () => {
    const team = await createTeamFx();
    await createKeyFx(team, { name: `<img src=x onerror=alert(1)>"'` });
    const { cookie } = await signIn(team.owner.token);
    const page = await get(`/dashboard/teams/${team.id}/keys`, cookie);
    expect(page.html).not.toContain("<img src=x");
    expect(page.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("sign-out deletes the session: the old cookie no longer opens a page", async () => {
    const team = await createTeamFx();
    const { cookie } = await signIn(team.owner.token);
    const csrf = csrfOf((await get(`/dashboard/teams/${team.id}/keys`, cookie)).html);
    expect((await post("/dashboard/sign-out", cookie, {})).res.status).toBe(403); // CSRF applies here too
    const out = await post("/dashboard/sign-out", cookie, { _csrf: csrf });
    expect(out.res.status).toBe(303);
    expect(out.res.headers.get("set-cookie")).toMatch(/tollgate_session=;.*Max-Age=0/);
    const h = await getHarness();
    expect(await h.database.db.select().from(dashboardSessions).where(eq(dashboardSessions.userId, team.owner.id))).toHaveLength(0);
    const again = await get(`/dashboard/teams/${team.id}/keys`, cookie);
    expect(again.res.status).toBe(302);
    expect(again.res.headers.get("location")).toBe("/dashboard/sign-in");
  });

  it("deleting the token ends its dashboard sessions", async () => {
    const team = await createTeamFx();
    const made = await call("POST", "/v1/user/tokens", { token: team.owner.token, body: { name: "dash" } });
    const { cookie } = await signIn(made.body.bearerToken);
    expect((await get(`/dashboard/teams/${team.id}/keys`, cookie)).res.status).toBe(200);
    expect((await call("DELETE", `/v1/user/tokens/${made.body.token.id}`, { token: team.owner.token })).status).toBe(204);
    const after = await get(`/dashboard/teams/${team.id}/keys`, cookie);
    expect(after.res.status).toBe(302);
  });

  it("the dashboard's pages are not in the OpenAPI document", async () => {
    const doc = await call("GET", "/openapi.json");
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith("/dashboard"))).toEqual([]);
  });
});
