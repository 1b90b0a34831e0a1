import { type Command, Option } from "commander";
import type { ApiKey, ApiKeyQuota } from "../../client/index.js";
import { teamContext, unwrap } from "../api.js";
import { UsageError } from "../errors.js";
import { colours, details, print, printJson, table, usd, when } from "../output.js";
import { parseAmount, REFRESH_PERIODS, type RefreshPeriod } from "../parse.js";
import { ask, interactive } from "../prompt.js";
import { confirmRemoval } from "./remove.js";

const budgetText = (q: ApiKeyQuota) =>
  q
    ? `${usd(q.currentSpend)} / ${usd(q.limitAmount)}${q.refreshPeriod === "none" ? "" : ` ${q.refreshPeriod}`}${q.enforcement === "hard" ? ` hard${q.reserved > 0 ? `, ${usd(q.reserved)} reserved` : ""}` : ""}`
    : "";

function keyDetails(k: ApiKey): string {
  return details([
    ["ID", k.id],
    ["Name", k.name],
    ["Key", `…${k.partialKey}`],
    ["Status", k.status],
    ["Budget", k.quota ? budgetText(k.quota) : "none (unlimited)"],
    ["Created", when(k.createdAt)],
  ]);
}

/** `api-keys create|list|ls|remove|rm|delete|budget`, mounted on the program and on `ai-gateway`. */
export function registerApiKeys(parent: Command): void {
  const keys = parent.command("api-keys").description("Manage AI Gateway API keys for the current team.");

  keys
    .command("create")
    .description("Create an API key; prints its secret once. With no flags, asks on a terminal (defaults offered).")
    .option("--name <name>", "human-readable name for the API key")
    .option("--budget <amount>", "quota budget in US dollars (minimum 1)", parseAmount)
    .addOption(new Option("--refresh-period <period>", "quota refresh cadence (default none)").choices(REFRESH_PERIODS))
    .addOption(new Option("--enforcement <mode>", "soft (default): refuse once spent; hard: reserve each request's worst case, the budget is a cap").choices(["soft", "hard"]))
    .action(async (o: { name?: string; budget?: number; refreshPeriod?: RefreshPeriod; enforcement?: "soft" | "hard" }, cmd: Command) => {
      if (o.refreshPeriod && o.budget === undefined) throw new UsageError("--refresh-period needs --budget <amount>.");
      if (o.enforcement && o.budget === undefined) throw new UsageError("--enforcement needs --budget <amount>.");
      const { g, session, team } = await teamContext(cmd);
      let { name, budget } = o;
      const period = o.refreshPeriod;
      if (name === undefined && budget === undefined && period === undefined && interactive()) {
        name = (await ask("Name of the API key", { default: "default" })).trim() || "default";
        const b = await ask("Budget in US dollars (empty for none)", {
          default: "",
          validate: (v) => {
            if (!v.trim()) return true;
            try {
              parseAmount(v);
              return true;
            } catch (err) {
              return `Budget ${(err as Error).message}`;
            }
          },
        });
        budget = b.trim() ? parseAmount(b) : undefined;
      }
      const created = await unwrap(
        session.client.POST("/v1/api-keys", {
          params: { query: team },
          body: {
            purpose: "ai-gateway",
            ...(name !== undefined ? { name } : {}),
            ...(budget !== undefined ? { aiGatewayQuota: { limitAmount: budget, refreshPeriod: period ?? "none", ...(o.enforcement ? { enforcement: o.enforcement } : {}) } } : {}),
          },
        }),
        session.url,
      );
      if (g.json) return printJson(created);
      print(`${colours.green("✔")} Created API key ${colours.bold(created.apiKey.id)}`);
      print(keyDetails(created.apiKey));
      print();
      print(created.apiKeyString);
      print();
      print(colours.yellow("Store this key now: it is not shown again."));
    });

  keys
    .command("list")
    .alias("ls")
    .description("List the team's API keys, newest first.")
    .action(async (_o: unknown, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const all: ApiKey[] = [];
      let until: string | undefined;
      do {
        const page = await unwrap(
          session.client.GET("/v1/api-keys", { params: { query: { ...team, purpose: "ai-gateway", limit: 100, ...(until ? { until } : {}) } } }),
          session.url,
        );
        all.push(...page.apiKeys);
        until = page.pagination.next ?? undefined;
      } while (until);
      if (g.json) return printJson({ apiKeys: all });
      if (!all.length) return print("No API keys.");
      print(
        table(
          ["ID", "NAME", "KEY", "STATUS", "BUDGET", "CREATED"],
          all.map((k) => [k.id, k.name, `…${k.partialKey}`, k.status === "active" ? k.status : colours.red(k.status), budgetText(k.quota), when(k.createdAt)]),
        ),
      );
    });

  keys
    .command("remove")
    .aliases(["rm", "delete"])
    .description("Delete an API key: it stops working at once. Asks first unless --yes.")
    .argument("<id>", "the key's id (key_…)")
    .option("-y, --yes", "skip the confirmation prompt")
    .action(async (id: string, o: { yes?: boolean }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      if (!(await confirmRemoval(`Delete API key ${id}? It stops working at once.`, o.yes))) return;
      await unwrap(session.client.DELETE("/v1/api-keys/{id}", { params: { path: { id }, query: team } }), session.url);
      if (g.json) return printJson({ id, deleted: true });
      print(`${colours.green("✔")} Deleted API key ${id}`);
    });

  keys
    .command("budget")
    .description("Set (--amount) or remove (--remove) an API key's budget.")
    .argument("<id>", "the key's id (key_…)")
    .option("--amount <amount>", "budget in US dollars (minimum 1)", parseAmount)
    .addOption(new Option("--refresh-period <period>", "quota refresh cadence").choices(REFRESH_PERIODS))
    .addOption(new Option("--enforcement <mode>", "soft: refuse once spent; hard: reserve each request's worst case, the budget is a cap").choices(["soft", "hard"]))
    .option("--remove", "remove the budget (the key becomes unlimited)")
    .action(async (id: string, o: { amount?: number; remove?: boolean; refreshPeriod?: RefreshPeriod; enforcement?: "soft" | "hard" }, cmd: Command) => {
      if (o.remove && (o.amount !== undefined || o.refreshPeriod || o.enforcement)) throw new UsageError("Pass either --amount <amount> or --remove, not both.");
      if (!o.remove && o.amount === undefined) throw new UsageError("Pass --amount <amount> or --remove.");
      const { g, session, team } = await teamContext(cmd);
      const body = o.remove ? { archived: true } : { limitAmount: o.amount!, ...(o.refreshPeriod ? { refreshPeriod: o.refreshPeriod } : {}), ...(o.enforcement ? { enforcement: o.enforcement } : {}) };
      const res = await unwrap(session.client.PATCH("/v1/api-keys/{id}/quota", { params: { path: { id }, query: team }, body }), session.url);
      if (g.json) return printJson(res);
      print(o.remove ? `${colours.green("✔")} Removed the budget of ${id}` : `${colours.green("✔")} Budget of ${id} set`);
      print(keyDetails(res.apiKey));
    });
}
