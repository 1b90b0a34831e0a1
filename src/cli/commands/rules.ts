import { type Command, Option } from "commander";
import type { Rule } from "../../client/index.js";
import { teamContext, unwrap } from "../api.js";
import { UsageError } from "../errors.js";
import { colours, details, print, printJson, table, when } from "../output.js";
import { confirmRemoval } from "./remove.js";

function ruleDetails(r: Rule): string {
  return details([
    ["ID", r.ruleId],
    ["Type", r.type],
    ["Source", r.match.model],
    ["Destination", r.action.rewriteModel],
    ["Reason", r.action.reason],
    ["Description", r.description],
    ["Enabled", r.enabled ? "yes" : "no"],
    ["Updated", when(r.updatedAt)],
  ]);
}

/** `rules add|list|ls|edit|remove|rm|delete`, mounted on the program and on `ai-gateway`. */
export function registerRules(parent: Command): void {
  const rules = parent.command("rules").description("Manage AI Gateway routing rules for the current team (rewrite or deny a model).");

  rules
    .command("add")
    .description("Add a routing rule. A rewrite needs --destination; a deny has none.")
    .addOption(new Option("--type <type>", "rule type").choices(["rewrite", "deny"]).makeOptionMandatory())
    .requiredOption("--source <model>", "model the rule matches (provider/model or provider/*)")
    .option("--destination <model>", "target model a rewrite routes to")
    .option("--reason <text>", "reason surfaced when the rule applies")
    .option("--description <text>", "human-readable description of the rule")
    .action(async (o: { type: "rewrite" | "deny"; source: string; destination?: string; reason?: string; description?: string }, cmd: Command) => {
      if (o.type === "rewrite" && !o.destination) throw new UsageError("A rewrite rule needs --destination <model>.");
      if (o.type === "deny" && o.destination) throw new UsageError("A deny rule takes no --destination.");
      const { g, session, team } = await teamContext(cmd);
      const action = {
        ...(o.destination ? { rewriteModel: o.destination } : {}),
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
      };
      const rule = await unwrap(
        session.client.POST("/v1/ai-gateway/rules", {
          params: { query: team },
          body: {
            type: o.type,
            match: { model: o.source },
            ...(Object.keys(action).length ? { action } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
          },
        }),
        session.url,
      );
      if (g.json) return printJson(rule);
      print(`${colours.green("✔")} Added rule ${colours.bold(rule.ruleId)}`);
      print(ruleDetails(rule));
    });

  rules
    .command("list")
    .alias("ls")
    .description("List the team's routing rules, oldest first.")
    .option("--include-disabled", "also show disabled rules")
    .action(async (o: { includeDisabled?: boolean }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const res = await unwrap(
        session.client.GET("/v1/ai-gateway/rules", { params: { query: { ...team, ...(o.includeDisabled ? { includeDisabled: "true" as const } : {}) } } }),
        session.url,
      );
      if (g.json) return printJson(res);
      if (!res.rules.length) return print("No routing rules.");
      print(
        table(
          ["ID", "TYPE", "SOURCE", "DESTINATION", "ENABLED", "REASON", "DESCRIPTION"],
          res.rules.map((r) => [r.ruleId, r.type, r.match.model, r.action.rewriteModel, r.enabled ? "yes" : colours.yellow("no"), r.action.reason, r.description]),
        ),
      );
    });

  rules
    .command("edit")
    .description("Edit a rule: its destination, reason or description, or toggle it with --enable / --disable.")
    .argument("<id>", "the rule's id (rule_…)")
    .option("--destination <model>", "new target model (rewrite rules)")
    .option("--reason <text>", "new reason")
    .option("--description <text>", "new description")
    .addOption(new Option("--enable", "enable the rule").conflicts("disable"))
    .addOption(new Option("--disable", "disable the rule").conflicts("enable"))
    .action(async (id: string, o: { destination?: string; reason?: string; description?: string; enable?: boolean; disable?: boolean }, cmd: Command) => {
      if ([o.destination, o.reason, o.description, o.enable, o.disable].every((v) => v === undefined)) {
        throw new UsageError("Nothing to change: pass --destination, --reason, --description, --enable or --disable.");
      }
      const { g, session, team } = await teamContext(cmd);
      let action: { rewriteModel: string | null; reason: string | null } | undefined;
      if (o.destination !== undefined || o.reason !== undefined) {
        // The API replaces the whole action: start from the rule's current one.
        const current = await unwrap(session.client.GET("/v1/ai-gateway/rules/{ruleId}", { params: { path: { ruleId: id }, query: team } }), session.url);
        action = { rewriteModel: o.destination ?? current.action.rewriteModel, reason: o.reason ?? current.action.reason };
      }
      const rule = await unwrap(
        session.client.PATCH("/v1/ai-gateway/rules/{ruleId}", {
          params: { path: { ruleId: id }, query: team },
          body: {
            ...(action ? { action } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
          },
        }),
        session.url,
      );
      if (g.json) return printJson(rule);
      print(`${colours.green("✔")} Updated rule ${colours.bold(rule.ruleId)}`);
      print(ruleDetails(rule));
    });

  rules
    .command("remove")
    .aliases(["rm", "delete"])
    .description("Remove a rule. Asks first unless --yes.")
    .argument("<id>", "the rule's id (rule_…)")
    .option("-y, --yes", "skip the confirmation prompt")
    .action(async (id: string, o: { yes?: boolean }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      if (!(await confirmRemoval(`Remove rule ${id}?`, o.yes))) return;
      await unwrap(session.client.DELETE("/v1/ai-gateway/rules/{ruleId}", { params: { path: { ruleId: id }, query: team } }), session.url);
      if (g.json) return printJson({ ruleId: id, deleted: true });
      print(`${colours.green("✔")} Removed rule ${id}`);
    });
}
