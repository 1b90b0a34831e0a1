/** @jsxImportSource hono/jsx */
import { randomBytes } from "node:crypto";
import type { Child } from "hono/jsx";
import { CSRF_FIELD } from "./session.js";

export type Role = "OWNER" | "MEMBER" | "DEVELOPER";
export type TeamRef = { id: string; slug: string; name: string; role: Role };

/** What every team page knows: who is signed in, in which team, with which role. */
export type PageCtx = {
  user: { id: string; email: string; name: string | null };
  teams: TeamRef[];
  team: TeamRef;
  csrf: string;
  page: PageName;
  webhooks: boolean;
  /** Whether this is a later page of a list (`?until=` given): the pager then links to the first. */
  paged: boolean;
};

export const PAGES = ["keys", "budgets", "rules", "byok", "usage", "webhooks", "audit", "members"] as const;
export type PageName = (typeof PAGES)[number];
const PAGE_TITLES: Record<PageName, string> = {
  keys: "API keys",
  budgets: "Budgets",
  rules: "Routing rules",
  byok: "BYOK credentials",
  usage: "Usage",
  webhooks: "Webhooks",
  audit: "Audit log",
  members: "Members",
};
export const pageTitle = (p: PageName) => PAGE_TITLES[p];

/** MEMBER and OWNER manage keys, budgets, rules and BYOK; OWNER alone members and webhooks (the API enforces it). */
export const canWrite = (ctx: PageCtx) => ctx.team.role === "OWNER" || ctx.team.role === "MEMBER";
export const isOwner = (ctx: PageCtx) => ctx.team.role === "OWNER";

export const teamPath = (teamId: string, page: string) => `/dashboard/teams/${encodeURIComponent(teamId)}/${page}`;

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** The hidden field that makes a form's write happen once (see ONCE_FIELD). */
export const ONCE_FIELD = "_once";

/**
 * A fresh random value per rendered form, sent to the API as its `Idempotency-Key`: the same form
 * sent again (a reload of its answer, a second click) replays the first answer instead of creating
 * a second key or rolling the key again.
 */
export function Once() {
  return <input type="hidden" name={ONCE_FIELD} value={randomBytes(16).toString("base64url")} />;
}

function Document({ title, children }: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title} · Tollgate</title>
        <link rel="stylesheet" href="/dashboard/assets/uPlot.min.css" />
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <script src="/dashboard/assets/uPlot.iife.min.js" defer></script>
        <script src="/dashboard/assets/dashboard.js" defer></script>
      </head>
      <body>{children}</body>
    </html>
  );
}

export function Messages({ error, notice }: { error?: string | undefined; notice?: string | undefined }) {
  return (
    <>
      {error ? (
        <p class="error" role="alert" id="error">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p class="notice" role="status" id="notice">
          {notice}
        </p>
      ) : null}
    </>
  );
}

export function Layout(props: { ctx: PageCtx; error?: string | undefined; notice?: string | undefined; children: Child }) {
  const { ctx } = props;
  const pages = PAGES.filter((p) => p !== "webhooks" || ctx.webhooks);
  return (
    <Document title={`${pageTitle(ctx.page)} · ${ctx.team.name}`}>
      <header>
        <a class="brand" href="/dashboard">
          Tollgate
        </a>
        <form method="get" action="/dashboard/switch">
          <label for="team-switcher">Team</label>
          <select id="team-switcher" name="team" data-autosubmit>
            {ctx.teams.map((t) => (
              <option value={t.id} selected={t.id === ctx.team.id}>
                {t.name} ({t.slug})
              </option>
            ))}
          </select>
          <input type="hidden" name="page" value={ctx.page} />
          <button type="submit">Switch</button>
        </form>
        <span class="who">
          Signed in as <span id="whoami">{ctx.user.email}</span> · role <strong id="role">{ctx.team.role}</strong>
        </span>
        <form method="post" action="/dashboard/sign-out">
          <Csrf token={ctx.csrf} />
          <button type="submit">Sign out</button>
        </form>
      </header>
      <nav aria-label="Team pages">
        <ul>
          {pages.map((p) => (
            <li>
              <a href={teamPath(ctx.team.id, p)} aria-current={p === ctx.page ? "page" : undefined}>
                {pageTitle(p)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h1>{pageTitle(ctx.page)}</h1>
        <Messages error={props.error} notice={props.notice} />
        {props.children}
      </main>
    </Document>
  );
}

export function SignInPage(props: { error?: string | undefined; notice?: string | undefined }) {
  return (
    <Document title="Sign in">
      <main class="signin">
        <h1>Sign in to Tollgate</h1>
        <Messages error={props.error} notice={props.notice} />
        <form method="post" action="/dashboard/sign-in">
          <p>
            <label for="token">Personal access token</label>
            <input id="token" name="token" type="password" autocomplete="off" required placeholder="tgp_…" />
          </p>
          <button type="submit">Sign in</button>
        </form>
        <p class="muted">
          Create a token with <code>tollgate login</code> or <code>POST /v1/user/tokens</code>. It is kept on the server, sealed, for 12 hours; this
          browser holds only a session cookie.
        </p>
      </main>
    </Document>
  );
}

export function MessagePage(props: { title: string; message: string }) {
  return (
    <Document title={props.title}>
      <main>
        <h1>{props.title}</h1>
        <p class="error" role="alert">
          {props.message}
        </p>
        <p>
          <a href="/dashboard">Back to the dashboard</a>
        </p>
      </main>
    </Document>
  );
}

/**
 * The pager for the API's cursor pagination (`?until=`): "Next page →" while the API gives a
 * cursor, and "← First page" on any later page. A list that fits one page shows none.
 */
export function Pager({ base, next, paged }: { base: string; next: string | null | undefined; paged: boolean }) {
  if (!next && !paged) return null;
  return (
    <p class="pager">
      {paged ? (
        <a href={base} rel="first">
          ← First page
        </a>
      ) : null}
      {next ? (
        <a href={`${base}?until=${encodeURIComponent(next)}`} rel="next">
          Next page →
        </a>
      ) : (
        <span class="muted">End of list.</span>
      )}
    </p>
  );
}

export const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");
/** Dollars: two decimals from $1 (and for zero), four below (a few requests' cost). */
export const usd = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `$${n.toFixed(n !== 0 && Math.abs(n) < 1 ? 4 : 2)}`);
