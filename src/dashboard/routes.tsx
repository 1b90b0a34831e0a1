/** @jsxImportSource hono/jsx */
import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { tokens } from "../db/schema.js";
import { sha256Hex } from "../lib/secrets.js";
import type { App, Deps } from "../http/context.js";
import { apiCaller, errorText, type Api, type ApiResult } from "./api.js";
import { dashboardAssets } from "./assets.js";
import { Layout, MessagePage, ONCE_FIELD, PAGES, SignInPage, type PageCtx, type PageName, type TeamRef, teamPath } from "./layout.js";
import { AuditPage, BudgetsPage, ByokPage, DeleteKeyPage, EditKeyPage, KeysPage, MembersPage, RulesPage, UsagePage, WebhooksPage, type Draft } from "./pages.js";
import { CSRF_FIELD, CSRF_HEADER, csrfOk, currentSession, endSession, startSession, type Session } from "./session.js";

/**
 * Every answer under /dashboard: scripts only from this origin (no inline script, no eval), no
 * framing, no referrer to other sites, nothing cached.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("content-security-policy", DASHBOARD_CSP);
  c.header("x-frame-options", "DENY");
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "same-origin"); // not no-referrer: with it, a form POST carries `Origin: null`
  if (!c.req.path.startsWith("/dashboard/assets/")) c.header("cache-control", "no-store");
};

type FormBody = Record<string, string>;

async function formOf(c: Context): Promise<FormBody> {
  const out: FormBody = {};
  const ct = c.req.header("content-type") ?? "";
  if (!ct.includes("application/x-www-form-urlencoded") && !ct.includes("multipart/form-data")) return out;
  const parsed = await c.req.parseBody();
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * The form's one-time value as the API's `Idempotency-Key` (none if absent or malformed): the same
 * form sent twice replays the API's first answer (see `Once` in layout.tsx).
 */
const onceHeader = (form: FormBody): Record<string, string> =>
  /^[A-Za-z0-9_-]{16,64}$/.test(form[ONCE_FIELD] ?? "") ? { "idempotency-key": `dashboard:${form[ONCE_FIELD]}` } : {};

/** Whether the API's answer is the replay of a form already sent. */
const replayed = (r: ApiResult) => r.headers.get("idempotent-replayed") === "true";
const REPLAYED = "This form was already sent: nothing was done again. Here is its first answer.";

/** The fields a user typed (not the hidden ones), to fill a refused form again. */
const draftOf = (form: FormBody): Draft => Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith("_")));

/** A status the API answered with, for the page that shows its error (never a 2xx for an error). */
const errStatus = (r: ApiResult) => (r.status >= 400 && r.status < 600 ? r.status : 502) as 400;

/**
 * The dashboard (contract §18): server-rendered pages (Hono's JSX, which escapes every string)
 * that call the API in-process with the signed-in user's token. Not part of the OpenAPI document.
 */
export function registerDashboard(app: App, deps: Deps): void {
  const assets = dashboardAssets();
  app.use("/dashboard", securityHeaders);
  app.use("/dashboard/*", securityHeaders);

  app.get("/dashboard/assets/:file", (c) => {
    const asset = assets(c.req.param("file"));
    if (!asset) return c.html(<MessagePage title="Not found" message="No such file." />, 404);
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=3600" });
  });

  // --- Sign-in and sign-out -------------------------------------------------------------------

  app.get("/dashboard", async (c) => {
    const session = await currentSession(c, deps);
    if (!session) return c.redirect("/dashboard/sign-in", 302);
    const me = await apiCaller(app, session.token)("GET", "/v1/user");
    if (!me.ok) return signedOut(c, session, errorText(me));
    const first = (me.body.teams as TeamRef[])[0];
    if (!first) return c.html(<MessagePage title="No team" message="You are not a member of any team yet. Ask a team owner to add you." />);
    return c.redirect(teamPath(first.id, "keys"), 302);
  });

  app.get("/dashboard/sign-in", async (c) => {
    const session = await currentSession(c, deps);
    if (session) return c.redirect("/dashboard", 302);
    return c.html(<SignInPage notice={c.req.query("signed-out") !== undefined ? "You are signed out." : undefined} />);
  });

  app.post("/dashboard/sign-in", async (c) => {
    // No session yet, so no CSRF token: a cross-site form is refused by its Origin instead.
    if (!sameOrigin(c)) return c.html(<SignInPage error="This sign-in form was sent from another site." />, 403);
    const form = await formOf(c);
    const token = (form.token ?? "").trim();
    if (!token.startsWith("tgp_")) return c.html(<SignInPage error="Enter a personal access token (it starts with tgp_)." />, 400);
    const me = await apiCaller(app, token)("GET", "/v1/user");
    if (!me.ok) return c.html(<SignInPage error={errorText(me)} />, errStatus(me));
    // The token's row (its id, to end the session with the token; its expiry, to cap the session's).
    const own = await findTokenRow(deps, token);
    if (!own) return c.html(<SignInPage error="Invalid or expired token." />, 401);
    await startSession(c, deps, { userId: me.body.user.id, tokenId: own.id, token, tokenExpiresAt: own.expiresAt });
    return c.redirect("/dashboard", 303);
  });

  app.post("/dashboard/sign-out", async (c) => {
    const session = await currentSession(c, deps);
    if (!session) return c.redirect("/dashboard/sign-in", 303);
    const form = await formOf(c);
    if (!csrfOk(session, form[CSRF_FIELD] ?? c.req.header(CSRF_HEADER))) return csrfRefused(c);
    await endSession(c, deps, session);
    return c.redirect("/dashboard/sign-in?signed-out", 303);
  });

  app.get("/dashboard/switch", (c) => {
    const team = c.req.query("team") ?? "";
    const page = (PAGES as readonly string[]).includes(c.req.query("page") ?? "") ? c.req.query("page")! : "keys";
    if (!team) return c.redirect("/dashboard", 302);
    return c.redirect(teamPath(team, page), 302);
  });

  // --- Team pages -----------------------------------------------------------------------------

  const webhooksServed = () => app.routes.some((r) => r.path === "/v1/ai-gateway/webhooks");

  type Handler = (c: Context, ctx: PageCtx, api: Api, form: FormBody) => Promise<Response>;

  /**
   * Loads the session and the user's teams (from the API), checks CSRF on a POST, and runs the
   * page. A missing or expired session goes to the sign-in page; a revoked token ends the session.
   */
  const teamRoute = (page: PageName, handler: Handler) => async (c: Context) => {
    const session = await currentSession(c, deps);
    if (!session) {
      if (c.req.method === "POST") return c.html(<MessagePage title="Signed out" message="Your session has ended: sign in again." />, 401);
      return c.redirect("/dashboard/sign-in", 302);
    }
    let form: FormBody = {};
    if (c.req.method === "POST") {
      form = await formOf(c);
      if (!csrfOk(session, form[CSRF_FIELD] ?? c.req.header(CSRF_HEADER))) return csrfRefused(c);
    }
    const api = apiCaller(app, session.token);
    const me = await api("GET", "/v1/user");
    if (!me.ok) return signedOut(c, session, errorText(me));
    const teams = me.body.teams as TeamRef[];
    const team = teams.find((t) => t.id === c.req.param("teamId"));
    if (!team) return c.html(<MessagePage title="No such team" message="You are not a member of this team, or it does not exist." />, 404);
    const webhooks = webhooksServed();
    if (page === "webhooks" && !webhooks) return c.html(<MessagePage title="Not found" message="This server has no webhooks." />, 404);
    const ctx: PageCtx = { user: me.body.user, teams, team, csrf: session.csrf, page, webhooks, paged: Boolean(c.req.query("until")) };
    return handler(c, ctx, api, form);
  };

  const signedOut = async (c: Context, session: Session, message: string) => {
    await endSession(c, deps, session);
    return c.html(<SignInPage error={`Your session has ended: ${message}`} />, 401);
  };

  const csrfRefused = (c: Context) =>
    c.html(<MessagePage title="Refused" message="This form is missing its CSRF token or it is wrong: reload the page and try again." />, 403);

  const q = (teamId: string, extra: Record<string, string | undefined> = {}) => {
    const p = new URLSearchParams({ teamId });
    for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") p.set(k, v);
    return p.toString();
  };

  /** After a successful write: back to the page (GET), with a fixed notice. */
  const done = (c: Context, ctx: PageCtx, page: string, notice: string) => c.redirect(`${teamPath(ctx.team.id, page)}?notice=${encodeURIComponent(notice)}`, 303);
  const noticeOf = (c: Context) => {
    const n = c.req.query("notice");
    return n && NOTICES[n] ? NOTICES[n] : undefined;
  };

  // API keys.
  const keysPage = async (
    c: Context,
    ctx: PageCtx,
    api: Api,
    extra: { error?: string; notice?: string; secret?: { name: string; value: string }; status?: number; draft?: Draft } = {},
  ) => {
    const list = await api("GET", `/v1/api-keys?${q(ctx.team.id, { limit: "20", until: c.req.query("until") })}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    return c.html(
      <Layout ctx={ctx} error={extra.error} notice={extra.notice ?? noticeOf(c)}>
        <KeysPage ctx={ctx} keys={list.body.apiKeys} next={list.body.pagination.next} secret={extra.secret} draft={extra.draft} />
      </Layout>,
      (extra.status ?? 200) as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/keys", teamRoute("keys", (c, ctx, api) => keysPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/keys",
    teamRoute("keys", async (c, ctx, api, form) => {
      const body: Record<string, unknown> = { purpose: "ai-gateway" };
      if (form.name?.trim()) body.name = form.name.trim();
      const models = splitList(form.models);
      if (models.length) body.models = models;
      if (form.limitAmount?.trim()) {
        body.aiGatewayQuota = {
          limitAmount: Number(form.limitAmount),
          refreshPeriod: form.refreshPeriod || "none",
          ...(form.includeByokInQuota ? { includeByokInQuota: true } : {}),
          ...(form.enforcement ? { enforcement: form.enforcement } : {}),
        };
      }
      const r = await api("POST", `/v1/api-keys?${q(ctx.team.id)}`, body, onceHeader(form));
      if (!r.ok) return keysPage(c, ctx, api, { error: errorText(r), status: errStatus(r), draft: draftOf(form) });
      return keysPage(c, ctx, api, {
        notice: replayed(r) ? REPLAYED : "Key created. Copy its secret now: it is not shown again.",
        secret: { name: r.body.apiKey.name, value: r.body.apiKeyString },
        status: 201,
      });
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/keys/:id/enabled",
    teamRoute("keys", async (c, ctx, api, form) => {
      const r = await api("PATCH", `/v1/api-keys/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`, { enabled: form.enabled === "true" });
      if (!r.ok) return keysPage(c, ctx, api, { error: errorText(r), status: errStatus(r) });
      return done(c, ctx, "keys", form.enabled === "true" ? "enabled" : "disabled");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/keys/:id/roll",
    teamRoute("keys", async (c, ctx, api, form) => {
      const grace = Number(form.gracePeriodMs ?? "0");
      const r = await api(
        "POST",
        `/v1/api-keys/${encodeURIComponent(c.req.param("id")!)}/roll?${q(ctx.team.id)}`,
        { gracePeriodMs: Number.isFinite(grace) ? grace : 0 },
        onceHeader(form),
      );
      if (!r.ok) return keysPage(c, ctx, api, { error: errorText(r), status: errStatus(r) });
      return keysPage(c, ctx, api, {
        notice: replayed(r) ? REPLAYED : "Key rolled. Copy its new secret now: it is not shown again.",
        secret: { name: r.body.apiKey.name, value: r.body.apiKeyString },
      });
    }),
  );
  app.get(
    "/dashboard/teams/:teamId/keys/:id/delete",
    teamRoute("keys", async (c, ctx, api) => {
      const r = await api("GET", `/v1/api-keys/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
      if (!r.ok) return c.html(<Layout ctx={ctx} error={errorText(r)}>{""}</Layout>, errStatus(r));
      return c.html(
        <Layout ctx={ctx}>
          <DeleteKeyPage ctx={ctx} apiKey={r.body.apiKey} />
        </Layout>,
      );
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/keys/:id/delete",
    teamRoute("keys", async (c, ctx, api) => {
      const r = await api("DELETE", `/v1/api-keys/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
      if (!r.ok) return keysPage(c, ctx, api, { error: errorText(r), status: errStatus(r) });
      return done(c, ctx, "keys", "deleted");
    }),
  );
  const editPage = async (c: Context, ctx: PageCtx, api: Api, error?: string, status = 200, draft?: Draft) => {
    const r = await api("GET", `/v1/api-keys/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
    if (!r.ok) return c.html(<Layout ctx={ctx} error={errorText(r)}>{""}</Layout>, errStatus(r));
    return c.html(
      <Layout ctx={ctx} error={error}>
        <EditKeyPage ctx={ctx} apiKey={r.body.apiKey} draft={draft} />
      </Layout>,
      status as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/keys/:id/edit", teamRoute("keys", (c, ctx, api) => editPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/keys/:id/edit",
    teamRoute("keys", async (c, ctx, api, form) => {
      const id = encodeURIComponent(c.req.param("id")!);
      const patch: Record<string, unknown> = { models: splitList(form.models) };
      if (form.name !== undefined) patch.name = form.name;
      const r = await api("PATCH", `/v1/api-keys/${id}?${q(ctx.team.id)}`, patch);
      if (!r.ok) return editPage(c, ctx, api, errorText(r), errStatus(r), draftOf(form));
      let quota: Record<string, unknown> | null = null;
      if (form.removeBudget) quota = { archived: true };
      else if (form.limitAmount?.trim()) {
        quota = {
          limitAmount: Number(form.limitAmount),
          refreshPeriod: form.refreshPeriod || "none",
          includeByokInQuota: Boolean(form.includeByokInQuota),
          ...(form.enforcement ? { enforcement: form.enforcement } : {}),
        };
      }
      if (quota) {
        const qr = await api("PATCH", `/v1/api-keys/${id}/quota?${q(ctx.team.id)}`, quota);
        if (!qr.ok) return editPage(c, ctx, api, errorText(qr), errStatus(qr), draftOf(form));
      }
      return done(c, ctx, "keys", "saved");
    }),
  );

  // Budgets.
  const budgetsPage = async (c: Context, ctx: PageCtx, api: Api, error?: string, status = 200) => {
    const list = await api("GET", `/v1/ai-gateway/budgets?${q(ctx.team.id, { limit: "100", until: c.req.query("until") })}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    return c.html(
      <Layout ctx={ctx} error={error} notice={noticeOf(c)}>
        <BudgetsPage ctx={ctx} budgets={list.body.budgets} next={list.body.pagination.next} />
      </Layout>,
      status as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/budgets", teamRoute("budgets", (c, ctx, api) => budgetsPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/budgets",
    teamRoute("budgets", async (c, ctx, api, form) => {
      const body: Record<string, unknown> = {
        scopeType: form.scopeType,
        limitAmount: Number(form.limitAmount),
        refreshPeriod: form.refreshPeriod || "monthly",
      };
      if (form.projectId?.trim()) body.projectId = form.projectId.trim();
      if (form.userId?.trim()) body.userId = form.userId.trim();
      if (form.includeByokInQuota) body.includeByokInQuota = true;
      if (form.enforcement) body.enforcement = form.enforcement;
      const r = await api("PUT", `/v1/ai-gateway/budgets?${q(ctx.team.id)}`, body);
      if (!r.ok) return budgetsPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "budgets", "saved");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/budgets/delete",
    teamRoute("budgets", async (c, ctx, api, form) => {
      const r = await api("DELETE", `/v1/ai-gateway/budgets?${q(ctx.team.id, { scopeType: form.scopeType, projectId: form.projectId, userId: form.userId })}`);
      if (!r.ok) return budgetsPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "budgets", "deleted");
    }),
  );

  // Routing rules, with the resolve dry run (a read: GET with ?model=).
  const rulesPage = async (c: Context, ctx: PageCtx, api: Api, error?: string, status = 200) => {
    const list = await api("GET", `/v1/ai-gateway/rules?${q(ctx.team.id)}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    const model = c.req.method === "GET" ? c.req.query("model") : undefined;
    let resolved: { model: string; result?: any; error?: string } | undefined;
    if (model) {
      const r = await api("POST", `/v1/ai-gateway/rules/resolve?${q(ctx.team.id)}`, { model });
      resolved = r.ok ? { model, result: r.body } : { model, error: errorText(r) };
    }
    return c.html(
      <Layout ctx={ctx} error={error} notice={noticeOf(c)}>
        <RulesPage ctx={ctx} rules={list.body.rules} resolved={resolved} />
      </Layout>,
      status as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/rules", teamRoute("rules", (c, ctx, api) => rulesPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/rules",
    teamRoute("rules", async (c, ctx, api, form) => {
      const action: Record<string, unknown> = {};
      if (form.type === "rewrite") action.rewriteModel = form.rewriteModel?.trim() || null;
      if (form.reason?.trim()) action.reason = form.reason.trim();
      const body: Record<string, unknown> = { type: form.type, match: { model: form.matchModel?.trim() ?? "" }, action };
      if (form.description?.trim()) body.description = form.description.trim();
      const r = await api("POST", `/v1/ai-gateway/rules?${q(ctx.team.id)}`, body);
      if (!r.ok) return rulesPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "rules", "created");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/rules/:id/delete",
    teamRoute("rules", async (c, ctx, api) => {
      const r = await api("DELETE", `/v1/ai-gateway/rules/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
      if (!r.ok) return rulesPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "rules", "deleted");
    }),
  );

  // BYOK credentials: the API's hints only (it never returns a secret).
  const byokPage = async (c: Context, ctx: PageCtx, api: Api, error?: string, status = 200) => {
    const list = await api("GET", `/v1/ai-gateway/byok?${q(ctx.team.id, { limit: "100", until: c.req.query("until") })}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    return c.html(
      <Layout ctx={ctx} error={error} notice={noticeOf(c)}>
        <ByokPage ctx={ctx} credentials={list.body.credentials} next={list.body.pagination.next} />
      </Layout>,
      status as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/byok", teamRoute("byok", (c, ctx, api) => byokPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/byok/:id/enabled",
    teamRoute("byok", async (c, ctx, api, form) => {
      const r = await api("PATCH", `/v1/ai-gateway/byok/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`, { enabled: form.enabled === "true" });
      if (!r.ok) return byokPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "byok", "saved");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/byok/:id/delete",
    teamRoute("byok", async (c, ctx, api) => {
      const r = await api("DELETE", `/v1/ai-gateway/byok/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
      if (!r.ok) return byokPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "byok", "deleted");
    }),
  );

  // Usage: spend by day, model and key over the last 30 days (GET /v1/ai-gateway/usage).
  app.get(
    "/dashboard/teams/:teamId/usage",
    teamRoute("usage", async (c, ctx, api) => {
      const to = deps.clock.now();
      const from = to - 30 * 86_400_000;
      const base = { from: String(from), to: String(to), limit: "1000" };
      const [byDay, byModel, byKey] = await Promise.all([
        api("GET", `/v1/ai-gateway/usage?${q(ctx.team.id, { ...base, granularity: "day" })}`),
        api("GET", `/v1/ai-gateway/usage?${q(ctx.team.id, { ...base, granularity: "month", groupBy: "model" })}`),
        api("GET", `/v1/ai-gateway/usage?${q(ctx.team.id, { ...base, granularity: "month", groupBy: "key" })}`),
      ]);
      const failed = [byDay, byModel, byKey].find((r) => !r.ok);
      if (failed) return c.html(<Layout ctx={ctx} error={errorText(failed)}>{""}</Layout>, errStatus(failed));
      // The names of the keys the page shows (the 20 that spent most; a deleted key keeps its id).
      const spentByKey = new Map<string, number>();
      for (const r of byKey.body.rows as { keyId: string | null; costUsd: number }[]) if (r.keyId) spentByKey.set(r.keyId, (spentByKey.get(r.keyId) ?? 0) + r.costUsd);
      const top = [...spentByKey.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([id]) => id);
      const keyNames: Record<string, string> = {};
      for (const r of await Promise.all(top.map((id) => api("GET", `/v1/api-keys/${encodeURIComponent(id)}?${q(ctx.team.id)}`)))) {
        if (r.ok) keyNames[r.body.apiKey.id] = r.body.apiKey.name;
      }
      return c.html(
        <Layout ctx={ctx}>
          <UsagePage
            ctx={ctx}
            byDay={byDay.body.rows}
            byModel={byModel.body.rows}
            byKey={byKey.body.rows}
            keyNames={keyNames}
            truncated={Boolean(byKey.body.pagination.next || byModel.body.pagination.next || byDay.body.pagination.next)}
          />
        </Layout>,
      );
    }),
  );
  // The API's CSV, every page of it, as a download.
  app.get(
    "/dashboard/teams/:teamId/usage.csv",
    teamRoute("usage", async (c, ctx, api) => {
      const groupBy = ["", "model", "key", "project", "user", "key,model"].includes(c.req.query("groupBy") ?? "") ? c.req.query("groupBy") : "";
      const to = deps.clock.now();
      const base = { from: String(to - 30 * 86_400_000), to: String(to), granularity: "day", limit: "1000", groupBy };
      let csv = "";
      let until: string | undefined;
      for (let page = 0; page < 100; page++) {
        const r = await api("GET", `/v1/ai-gateway/usage?${q(ctx.team.id, { ...base, until })}`, undefined, { accept: "text/csv" });
        if (!r.ok) return c.html(<Layout ctx={ctx} error={errorText(r)}>{""}</Layout>, errStatus(r));
        const text = String(r.body);
        csv += page === 0 ? text : text.slice(text.indexOf("\n") + 1);
        until = r.headers.get("x-next-cursor") ?? undefined;
        if (!until) break;
      }
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${ctx.team.slug}${groupBy ? "-" + groupBy.replace(",", "-") : ""}.csv"`,
      });
    }),
  );

  // Webhooks (when this server has them).
  const webhooksPage = async (c: Context, ctx: PageCtx, api: Api, extra: { error?: string; secret?: string; replayed?: boolean; status?: number } = {}) => {
    const list = await api("GET", `/v1/ai-gateway/webhooks?${q(ctx.team.id, { limit: "100", until: c.req.query("until") })}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    return c.html(
      <Layout
        ctx={ctx}
        error={extra.error}
        notice={extra.replayed ? REPLAYED : extra.secret ? "Webhook created. Copy its signing secret now: it is not shown again." : noticeOf(c)}
      >
        <WebhooksPage ctx={ctx} webhooks={list.body.webhooks} next={list.body.pagination.next} secret={extra.secret} />
      </Layout>,
      (extra.status ?? 200) as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/webhooks", teamRoute("webhooks", (c, ctx, api) => webhooksPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/webhooks",
    teamRoute("webhooks", async (c, ctx, api, form) => {
      const body: Record<string, unknown> = { url: form.url?.trim() ?? "", events: splitList(form.events) };
      if (form.description?.trim()) body.description = form.description.trim();
      const r = await api("POST", `/v1/ai-gateway/webhooks?${q(ctx.team.id)}`, body, onceHeader(form));
      if (!r.ok) return webhooksPage(c, ctx, api, { error: errorText(r), status: errStatus(r) });
      return webhooksPage(c, ctx, api, { secret: r.body.secret, replayed: replayed(r), status: 201 });
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/webhooks/:id/delete",
    teamRoute("webhooks", async (c, ctx, api) => {
      const r = await api("DELETE", `/v1/ai-gateway/webhooks/${encodeURIComponent(c.req.param("id")!)}?${q(ctx.team.id)}`);
      if (!r.ok) return webhooksPage(c, ctx, api, { error: errorText(r), status: errStatus(r) });
      return done(c, ctx, "webhooks", "deleted");
    }),
  );

  // Audit log.
  app.get(
    "/dashboard/teams/:teamId/audit",
    teamRoute("audit", async (c, ctx, api) => {
      const list = await api("GET", `/v1/audit-log?${q(ctx.team.id, { limit: "50", until: c.req.query("until") })}`);
      if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
      return c.html(
        <Layout ctx={ctx}>
          <AuditPage ctx={ctx} events={list.body.events} next={list.body.pagination.next} />
        </Layout>,
      );
    }),
  );

  // Members and roles.
  const membersPage = async (c: Context, ctx: PageCtx, api: Api, error?: string, status = 200) => {
    const until = c.req.query("until");
    const list = await api("GET", `/v1/teams/${encodeURIComponent(ctx.team.id)}/members?limit=100${until ? `&until=${encodeURIComponent(until)}` : ""}`);
    if (!list.ok) return c.html(<Layout ctx={ctx} error={errorText(list)}>{""}</Layout>, errStatus(list));
    return c.html(
      <Layout ctx={ctx} error={error} notice={noticeOf(c)}>
        <MembersPage ctx={ctx} members={list.body.members} next={list.body.pagination.next} />
      </Layout>,
      status as 200,
    );
  };
  app.get("/dashboard/teams/:teamId/members", teamRoute("members", (c, ctx, api) => membersPage(c, ctx, api)));
  app.post(
    "/dashboard/teams/:teamId/members",
    teamRoute("members", async (c, ctx, api, form) => {
      const r = await api("POST", `/v1/teams/${encodeURIComponent(ctx.team.id)}/members`, { email: form.email?.trim() ?? "", role: form.role });
      if (!r.ok) return membersPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "members", "added");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/members/:userId/role",
    teamRoute("members", async (c, ctx, api, form) => {
      const r = await api("PATCH", `/v1/teams/${encodeURIComponent(ctx.team.id)}/members/${encodeURIComponent(c.req.param("userId")!)}`, { role: form.role });
      if (!r.ok) return membersPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "members", "saved");
    }),
  );
  app.post(
    "/dashboard/teams/:teamId/members/:userId/remove",
    teamRoute("members", async (c, ctx, api) => {
      const r = await api("DELETE", `/v1/teams/${encodeURIComponent(ctx.team.id)}/members/${encodeURIComponent(c.req.param("userId")!)}`);
      if (!r.ok) return membersPage(c, ctx, api, errorText(r), errStatus(r));
      return done(c, ctx, "members", "removed");
    }),
  );
}

const NOTICES: Record<string, string> = {
  saved: "Saved.",
  created: "Created.",
  deleted: "Deleted.",
  enabled: "Key enabled.",
  disabled: "Key disabled.",
  added: "Member added.",
  removed: "Member removed.",
};

/** "a, b\nc" → ["a", "b", "c"]. */
function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A form POST from this origin: an `Origin` header (when sent) naming this host. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return origin !== "null";
  try {
    return new URL(origin).host === (c.req.header("host") ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

/** The signing-in token's id and expiry (the API has verified it just before). */
async function findTokenRow(deps: Deps, token: string): Promise<{ id: string; expiresAt: number | null } | null> {
  const [row] = await deps.db.select({ id: tokens.id, expiresAt: tokens.expiresAt }).from(tokens).where(eq(tokens.digest, sha256Hex(token))).limit(1);
  return row ?? null;
}
