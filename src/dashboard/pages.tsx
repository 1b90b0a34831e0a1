/** @jsxImportSource hono/jsx */
import { Csrf, Once, Pager, canWrite, isOwner, teamPath, usd, when, type PageCtx } from "./layout.js";

/** What the user typed in a form the API refused: shown again, so nothing is lost. */
export type Draft = Record<string, string>;

// The API's shapes, as far as the pages read them (the API is the source of truth).
type Enforcement = "soft" | "hard";
type Quota = { limitAmount: number; currentSpend: number; refreshPeriod: string; includeByokInQuota: boolean; enforcement?: Enforcement };
type ApiKey = {
  id: string;
  name: string;
  partialKey: string;
  status: string;
  createdAt: number;
  activeAt: number;
  models: string[];
  previousSecretExpiresAt: number | null;
  quota: Quota | null;
};

const PERIODS = ["none", "daily", "weekly", "monthly"] as const;

/** A budget's enforcement (the API's `enforcement`): how the limit is held. */
function EnforcementSelect({ value }: { value: Enforcement | undefined }) {
  return (
    <label>
      Enforcement{" "}
      <select name="enforcement">
        <option value="soft" selected={value !== "hard"}>
          soft: refuse once spent
        </option>
        <option value="hard" selected={value === "hard"}>
          hard: a cap (reserve each request)
        </option>
      </select>
    </label>
  );
}

function SecretBox({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="secret" role="status">
      <p>
        <label for={id}>{label}</label>
      </p>
      <input id={id} type="text" readonly value={value} />{" "}
      <button type="button" data-copy={id}>
        Copy
      </button>
      <p class="muted">Shown this once: Tollgate keeps only its hash.</p>
    </div>
  );
}

function SpendBar({ quota }: { quota: Quota | null }) {
  if (!quota) return <span class="muted">No budget</span>;
  // The bar: green below half the limit, amber to 80 %, red past it; the figures under it.
  return (
    <span class="spendbar">
      <meter
        min={0}
        max={quota.limitAmount}
        value={Math.min(quota.currentSpend, quota.limitAmount)}
        low={quota.limitAmount * 0.5}
        high={quota.limitAmount * 0.8}
        optimum={0}
      >
        {usd(quota.currentSpend)}
      </meter>{" "}
      <span class="figures">
        <span class="spend">
          {usd(quota.currentSpend)} of {usd(quota.limitAmount)}
        </span>{" "}
        <span class="muted period">{quota.refreshPeriod === "none" ? "in total" : quota.refreshPeriod}</span>
        {quota.enforcement === "hard" ? (
          <>
            {" "}
            <span class="tag hard" title="Hard budget: each request reserves its worst-case cost, so the limit is a cap">
              hard cap
            </span>
          </>
        ) : null}
      </span>
    </span>
  );
}

export function KeysPage(props: {
  ctx: PageCtx;
  keys: ApiKey[];
  next: string | null;
  secret?: { name: string; value: string } | undefined;
  draft?: Draft | undefined;
}) {
  const { ctx } = props;
  const d = props.draft ?? {};
  const base = teamPath(ctx.team.id, "keys");
  return (
    <>
      {props.secret ? <SecretBox id="new-secret" label={`Secret of key ${props.secret.name}`} value={props.secret.value} /> : null}
      <table id="keys">
        <caption class="muted">Gateway API keys, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Status</th>
            <th scope="col">Spend</th>
            <th scope="col">Last used</th>
            <th scope="col">Models</th>
            {canWrite(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k) => (
            <tr data-key-id={k.id}>
              <td class="key-name">{k.name}</td>
              <td>
                <code>…{k.partialKey}</code>
                {k.previousSecretExpiresAt ? <div class="muted grace">previous secret accepted until {when(k.previousSecretExpiresAt)}</div> : null}
              </td>
              <td class="status">
                <span class="badge" data-status={k.status}>
                  {k.status}
                </span>
              </td>
              <td>
                <SpendBar quota={k.quota} />
              </td>
              <td>{k.activeAt === k.createdAt ? <span class="muted">never</span> : when(k.activeAt)}</td>
              <td class="models">{k.models.length ? k.models.join(", ") : <span class="muted">all</span>}</td>
              {canWrite(ctx) ? (
                <td class="actions">
                  <div>
                    <a href={`${base}/${k.id}/edit`}>Edit</a>{" "}
                    {k.status !== "leaked" ? (
                      <form method="post" action={`${base}/${k.id}/enabled`}>
                        <Csrf token={ctx.csrf} />
                        <input type="hidden" name="enabled" value={k.status === "deactivated" ? "true" : "false"} />
                        <button type="submit">{k.status === "deactivated" ? "Enable" : "Disable"}</button>
                      </form>
                    ) : null}
                    <a href={`${base}/${k.id}/delete`} class="danger">
                      Delete…
                    </a>
                  </div>
                  {k.status !== "leaked" ? (
                    <form method="post" action={`${base}/${k.id}/roll`}>
                      <Csrf token={ctx.csrf} />
                      <Once />
                      <label title="How long the old secret keeps working after the roll">
                        <span class="muted">grace</span>{" "}
                        <select name="gracePeriodMs" aria-label={`Grace period for rolling ${k.name}`}>
                          <option value="0">none</option>
                          <option value="3600000">1 hour</option>
                          <option value="86400000">24 hours</option>
                        </select>
                      </label>
                      <button type="submit">Roll</button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.keys.length === 0 ? <p class="muted">No keys yet.</p> : null}
      <Pager base={base} next={props.next} paged={ctx.paged} />
      {canWrite(ctx) ? (
        <form method="post" action={base} id="create-key">
          <Csrf token={ctx.csrf} />
          <Once />
          <fieldset>
            <legend>Create a key</legend>
            <label>
              Name <input name="name" maxlength={128} placeholder="default" value={d.name ?? ""} />
            </label>
            <label>
              Budget (USD) <input name="limitAmount" type="number" min="1" step="0.01" placeholder="none" value={d.limitAmount ?? ""} />
            </label>
            <label>
              Period{" "}
              <select name="refreshPeriod">
                {PERIODS.map((p) => (
                  <option value={p} selected={p === (d.refreshPeriod ?? "monthly")}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <EnforcementSelect value={d.enforcement === "hard" ? "hard" : "soft"} />
            <label>
              <input type="checkbox" name="includeByokInQuota" value="1" checked={Boolean(d.includeByokInQuota)} /> Count BYOK spend
            </label>
            <label>
              Models (allow-list, comma-separated; empty: all){" "}
              <input name="models" size={40} placeholder="openai/gpt-5-mini, anthropic/claude-sonnet-4" value={d.models ?? ""} />
            </label>
            <button type="submit">Create key</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

export function DeleteKeyPage({ ctx, apiKey }: { ctx: PageCtx; apiKey: ApiKey }) {
  const base = teamPath(ctx.team.id, "keys");
  return (
    <form method="post" action={`${base}/${apiKey.id}/delete`}>
      <Csrf token={ctx.csrf} />
      <p>
        Delete the key <strong class="key-name">{apiKey.name}</strong> (<code>…{apiKey.partialKey}</code>)? The gateway refuses it on its very next request. This
        cannot be undone.
      </p>
      <button type="submit" class="danger">
        Delete key
      </button>{" "}
      <a href={base}>Cancel</a>
    </form>
  );
}

export function EditKeyPage({ ctx, apiKey, draft }: { ctx: PageCtx; apiKey: ApiKey; draft?: Draft | undefined }) {
  const base = teamPath(ctx.team.id, "keys");
  const q = apiKey.quota;
  return (
    <form method="post" action={`${base}/${apiKey.id}/edit`} id="edit-key">
      <Csrf token={ctx.csrf} />
      <fieldset>
        <legend>Key …{apiKey.partialKey}</legend>
        <label>
          Name <input name="name" value={draft?.name ?? apiKey.name} maxlength={128} required />
        </label>
        <label>
          Models (comma-separated; empty: all) <input name="models" size={40} value={draft?.models ?? apiKey.models.join(", ")} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Budget</legend>
        <p>
          Spend: <SpendBar quota={q} />
        </p>
        <label>
          Budget (USD) <input name="limitAmount" type="number" min="1" step="0.01" value={draft?.limitAmount ?? (q ? String(q.limitAmount) : "")} />
        </label>
        <label>
          Period{" "}
          <select name="refreshPeriod">
            {PERIODS.map((p) => (
              <option value={p} selected={p === (draft?.refreshPeriod ?? q?.refreshPeriod ?? "monthly")}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <EnforcementSelect value={draft ? (draft.enforcement === "hard" ? "hard" : "soft") : q?.enforcement} />
        <label>
          <input type="checkbox" name="includeByokInQuota" value="1" checked={draft ? Boolean(draft.includeByokInQuota) : (q?.includeByokInQuota ?? false)} /> Count
          BYOK spend
        </label>
        {q ? (
          <label>
            <input type="checkbox" name="removeBudget" value="1" checked={Boolean(draft?.removeBudget)} /> Remove the budget (unlimited)
          </label>
        ) : null}
      </fieldset>
      <button type="submit" class="primary">
        Save
      </button>{" "}
      <a href={base}>Cancel</a>
    </form>
  );
}

type Budget = {
  id: string;
  scopeType: string;
  projectId: string | null;
  userId: string | null;
  isDefault: boolean;
  limitAmount: number;
  refreshPeriod: string;
  currentSpend: number | null;
  includeByokInQuota: boolean;
  enforcement?: Enforcement;
};

export function BudgetsPage(props: { ctx: PageCtx; budgets: Budget[]; next: string | null }) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "budgets");
  return (
    <>
      <p class="muted">Team, project and user budgets. A key's own budget is set on its Edit page.</p>
      <table id="budgets">
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Spend</th>
            <th scope="col">Period</th>
            <th scope="col">Enforcement</th>
            {canWrite(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.budgets.map((b) => (
            <tr data-budget-id={b.id}>
              <td>
                {b.scopeType}
                {b.projectId ? ` ${b.projectId}` : ""}
                {b.userId ? ` ${b.userId}` : ""}
                {b.isDefault ? " (default for each)" : ""}
              </td>
              <td>
                {b.currentSpend === null ? (
                  <span>limit {usd(b.limitAmount)}</span>
                ) : (
                  <SpendBar quota={{ limitAmount: b.limitAmount, currentSpend: b.currentSpend, refreshPeriod: b.refreshPeriod, includeByokInQuota: b.includeByokInQuota }} />
                )}
              </td>
              <td>{b.refreshPeriod}</td>
              <td class="enforcement">{b.enforcement ?? "soft"}</td>
              {canWrite(ctx) ? (
                <td>
                  <form method="post" action={`${base}/delete`}>
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="scopeType" value={b.scopeType} />
                    {b.projectId ? <input type="hidden" name="projectId" value={b.projectId} /> : null}
                    {b.userId ? <input type="hidden" name="userId" value={b.userId} /> : null}
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.budgets.length === 0 ? <p class="muted">No budgets yet.</p> : null}
      <Pager base={base} next={props.next} paged={ctx.paged} />
      {canWrite(ctx) ? (
        <form method="post" action={base} id="set-budget">
          <Csrf token={ctx.csrf} />
          <fieldset>
            <legend>Set a budget</legend>
            <label>
              Scope{" "}
              <select name="scopeType">
                <option value="team">team</option>
                <option value="project">project</option>
                <option value="user">user</option>
              </select>
            </label>
            <label>
              Project id <input name="projectId" placeholder="prj_… (project scope)" />
            </label>
            <label>
              User id <input name="userId" placeholder="user_… (user scope)" />
            </label>
            <label>
              Limit (USD) <input name="limitAmount" type="number" min="0" step="0.01" required />
            </label>
            <label>
              Period{" "}
              <select name="refreshPeriod">
                {PERIODS.map((p) => (
                  <option value={p} selected={p === "monthly"}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <EnforcementSelect value="soft" />
            <label>
              <input type="checkbox" name="includeByokInQuota" value="1" /> Count BYOK spend
            </label>
            <button type="submit">Set budget</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

type Rule = {
  ruleId: string;
  type: string;
  match: { model: string };
  action: { rewriteModel?: string | null; reason?: string | null };
  enabled: boolean;
  description: string | null;
};

export function RulesPage(props: { ctx: PageCtx; rules: Rule[]; resolved?: { model: string; result?: any; error?: string } | undefined }) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "rules");
  return (
    <>
      <table id="rules">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Matches</th>
            <th scope="col">Action</th>
            <th scope="col">Enabled</th>
            <th scope="col">Description</th>
            {canWrite(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rules.map((r) => (
            <tr data-rule-id={r.ruleId}>
              <td>{r.type}</td>
              <td>
                <code>{r.match.model}</code>
              </td>
              <td>{r.type === "rewrite" ? <code>{r.action.rewriteModel ?? ""}</code> : (r.action.reason ?? "denied")}</td>
              <td>{r.enabled ? "yes" : "no"}</td>
              <td>{r.description ?? ""}</td>
              {canWrite(ctx) ? (
                <td>
                  <form method="post" action={`${base}/${r.ruleId}/delete`}>
                    <Csrf token={ctx.csrf} />
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.rules.length === 0 ? <p class="muted">No rules: every model is called as requested.</p> : null}
      <form method="get" action={base} id="resolve">
        <fieldset>
          <legend>Dry run: which model would a request get?</legend>
          <label>
            Requested model <input name="model" value={props.resolved?.model ?? ""} placeholder="openai/gpt-5" required />
          </label>
          <button type="submit">Resolve</button>
        </fieldset>
      </form>
      {props.resolved ? (
        <div id="resolved" role="status">
          {props.resolved.error ? (
            <p class="error">{props.resolved.error}</p>
          ) : props.resolved.result.denied ? (
            <p>
              <code>{props.resolved.model}</code> is <strong>denied</strong> by rule <code>{props.resolved.result.denied.ruleId}</code>
              {props.resolved.result.denied.reason ? <span class="reason">: {props.resolved.result.denied.reason}</span> : null}.
            </p>
          ) : (
            <p>
              <code>{props.resolved.model}</code> → <code class="resolved-model">{props.resolved.result.model}</code>
              {props.resolved.result.appliedRuleIds?.length ? ` (rules ${props.resolved.result.appliedRuleIds.join(", ")})` : " (no rule applies)"}
            </p>
          )}
        </div>
      ) : null}
      {canWrite(ctx) ? (
        <form method="post" action={base} id="create-rule">
          <Csrf token={ctx.csrf} />
          <fieldset>
            <legend>Add a rule</legend>
            <label>
              Type{" "}
              <select name="type">
                <option value="rewrite">rewrite</option>
                <option value="deny">deny</option>
              </select>
            </label>
            <label>
              Match model <input name="matchModel" required placeholder="openai/*" />
            </label>
            <label>
              Rewrite to <input name="rewriteModel" placeholder="openai/gpt-5-mini" />
            </label>
            <label>
              Reason <input name="reason" maxlength={500} />
            </label>
            <label>
              Description <input name="description" maxlength={500} />
            </label>
            <button type="submit">Add rule</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

type Credential = { id: string; provider: string; name: string; enabled: boolean; position: number; hint: string; createdAt: number };

export function ByokPage(props: { ctx: PageCtx; credentials: Credential[]; next: string | null }) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "byok");
  return (
    <>
      <p class="muted">The team's own provider credentials. Only hints are shown; Tollgate never returns a secret. Add them with the API or the CLI.</p>
      <table id="byok">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Name</th>
            <th scope="col">Hint</th>
            <th scope="col">Order</th>
            <th scope="col">Enabled</th>
            {canWrite(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.credentials.map((cr) => (
            <tr data-credential-id={cr.id}>
              <td>{cr.provider}</td>
              <td>{cr.name}</td>
              <td>
                <code>{cr.hint}</code>
              </td>
              <td>{cr.position}</td>
              <td class="enabled">{cr.enabled ? "yes" : "no"}</td>
              {canWrite(ctx) ? (
                <td>
                  <form method="post" action={`${base}/${cr.id}/enabled`}>
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="enabled" value={cr.enabled ? "false" : "true"} />
                    <button type="submit">{cr.enabled ? "Disable" : "Enable"}</button>
                  </form>
                  <form method="post" action={`${base}/${cr.id}/delete`}>
                    <Csrf token={ctx.csrf} />
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.credentials.length === 0 ? <p class="muted">No credentials.</p> : null}
      <Pager base={base} next={props.next} paged={ctx.paged} />
    </>
  );
}

type UsageRow = { periodStart: number; keyId?: string | null; model?: string; costUsd: number; requests: number };

/** Sums rows by a label (the API's rows are per period; the charts show the window's totals). */
function totals(rows: UsageRow[], label: (r: UsageRow) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(label(r), (m.get(label(r)) ?? 0) + r.costUsd);
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20);
}

export function UsagePage(props: {
  ctx: PageCtx;
  byDay: UsageRow[];
  byModel: UsageRow[];
  byKey: UsageRow[];
  keyNames: Record<string, string>;
  truncated: boolean;
}) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "usage");
  const models = totals(props.byModel, (r) => r.model ?? "");
  // Summed per key id, then labelled with the key's name (its id when it is gone).
  const keys = totals(props.byKey, (r) => r.keyId ?? "").map(([id, v]): [string, number] => [id ? (props.keyNames[id] ?? id) : "(OIDC, no key)", v]);
  const total = props.byDay.reduce((s, r) => s + r.costUsd, 0);
  const chart = (id: string, kind: "time" | "bars", labels: unknown[], values: number[]) => (
    <div class="chart" id={id} data-kind={kind} data-labels={JSON.stringify(labels)} data-values={JSON.stringify(values)} role="img" aria-label={`Chart: ${id}`}></div>
  );
  return (
    <>
      <p>
        Last 30 days: <strong id="usage-total">{usd(total)}</strong> over {props.byDay.reduce((s, r) => s + r.requests, 0)} requests.{" "}
        <a href={`${base}.csv`}>Download CSV (by day)</a> · <a href={`${base}.csv?groupBy=key,model`}>CSV by key and model</a>
      </p>
      {props.truncated ? <p class="muted">Showing the first 1000 rows of each report.</p> : null}
      <h2>Spend by day</h2>
      {chart(
        "by-day",
        "time",
        props.byDay.map((r) => r.periodStart / 1000),
        props.byDay.map((r) => r.costUsd),
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Requests</th>
            <th scope="col">Spend</th>
          </tr>
        </thead>
        <tbody>
          {props.byDay.map((r) => (
            <tr>
              <td>{new Date(r.periodStart).toISOString().slice(0, 10)}</td>
              <td>{r.requests}</td>
              <td>{usd(r.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Spend by model</h2>
      {chart(
        "by-model",
        "bars",
        models.map(([l]) => l),
        models.map(([, v]) => v),
      )}
      <TotalsTable id="usage-by-model" label="Model" rows={models} />
      <h2>Spend by key</h2>
      {chart(
        "by-key",
        "bars",
        keys.map(([l]) => l),
        keys.map(([, v]) => v),
      )}
      <TotalsTable id="usage-by-key" label="Key" rows={keys} />
    </>
  );
}

function TotalsTable({ id, label, rows }: { id: string; label: string; rows: [string, number][] }) {
  return (
    <table id={id}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col">Spend</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([l, v]) => (
          <tr>
            <td>{l}</td>
            <td>{usd(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Webhook = { id: string; url: string; events: string[]; enabled: boolean; description: string | null; disabledReason: string | null; failingSince: number | null };

export function WebhooksPage(props: { ctx: PageCtx; webhooks: Webhook[]; next: string | null; secret?: string | undefined }) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "webhooks");
  return (
    <>
      {props.secret ? <SecretBox id="webhook-secret" label="Signing secret" value={props.secret} /> : null}
      <table id="webhooks">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">State</th>
            <th scope="col">Description</th>
            {isOwner(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.webhooks.map((w) => (
            <tr data-webhook-id={w.id}>
              <td>{w.url}</td>
              <td>{w.events.join(", ")}</td>
              <td>{w.enabled ? (w.failingSince ? `failing since ${when(w.failingSince)}` : "enabled") : `disabled${w.disabledReason ? `: ${w.disabledReason}` : ""}`}</td>
              <td>{w.description ?? ""}</td>
              {isOwner(ctx) ? (
                <td>
                  <form method="post" action={`${base}/${w.id}/delete`}>
                    <Csrf token={ctx.csrf} />
                    <button type="submit" class="danger">
                      Delete
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.webhooks.length === 0 ? <p class="muted">No webhooks.</p> : null}
      <Pager base={base} next={props.next} paged={ctx.paged} />
      {isOwner(ctx) ? (
        <form method="post" action={base} id="create-webhook">
          <Csrf token={ctx.csrf} />
          <Once />
          <fieldset>
            <legend>Add a webhook</legend>
            <label>
              URL <input name="url" type="url" required size={40} placeholder="https://example.com/hooks/tollgate" />
            </label>
            <label>
              Events (comma-separated) <input name="events" size={40} placeholder="budget.threshold, api_key.leaked" required />
            </label>
            <label>
              Description <input name="description" maxlength={500} />
            </label>
            <button type="submit">Add webhook</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

type AuditEvent = { id: string; actor: { type: string; id: string }; action: string; target: { type: string; id: string }; data: unknown; createdAt: number };

export function AuditPage(props: { ctx: PageCtx; events: AuditEvent[]; next: string | null }) {
  const base = teamPath(props.ctx.team.id, "audit");
  return (
    <>
      <table id="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>{when(e.createdAt)}</td>
              <td>
                {e.actor.type} <code>{e.actor.id}</code>
              </td>
              <td>{e.action}</td>
              <td>
                {e.target.type} <code>{e.target.id}</code>
              </td>
              <td>
                <code>{JSON.stringify(e.data)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.events.length === 0 ? <p class="muted">No events.</p> : null}
      <Pager base={base} next={props.next} paged={props.ctx.paged} />
    </>
  );
}

type Member = { userId: string; email: string; name: string | null; role: string; createdAt: number };
const ROLES = ["OWNER", "MEMBER", "DEVELOPER"] as const;

export function MembersPage(props: { ctx: PageCtx; members: Member[]; next: string | null }) {
  const { ctx } = props;
  const base = teamPath(ctx.team.id, "members");
  return (
    <>
      <p class="muted">OWNER: everything. MEMBER: keys, budgets, rules, BYOK. DEVELOPER: read-only.</p>
      <table id="members">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Since</th>
            {isOwner(ctx) ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => (
            <tr data-user-id={m.userId}>
              <td>{m.email}</td>
              <td>{m.name ?? ""}</td>
              <td>
                {isOwner(ctx) ? (
                  <form method="post" action={`${base}/${m.userId}/role`}>
                    <Csrf token={ctx.csrf} />
                    <select name="role" aria-label={`Role of ${m.email}`}>
                      {ROLES.map((r) => (
                        <option value={r} selected={r === m.role}>
                          {r}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit">Change role</button>
                  </form>
                ) : (
                  m.role
                )}
              </td>
              <td>{when(m.createdAt)}</td>
              {isOwner(ctx) ? (
                <td>
                  <form method="post" action={`${base}/${m.userId}/remove`}>
                    <Csrf token={ctx.csrf} />
                    <button type="submit" class="danger">
                      Remove
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <Pager base={base} next={props.next} paged={ctx.paged} />
      {isOwner(ctx) ? (
        <form method="post" action={base} id="add-member">
          <Csrf token={ctx.csrf} />
          <fieldset>
            <legend>Add a member</legend>
            <label>
              Email <input name="email" type="email" required />
            </label>
            <label>
              Role{" "}
              <select name="role">
                {ROLES.map((r) => (
                  <option value={r} selected={r === "MEMBER"}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Add member</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}
