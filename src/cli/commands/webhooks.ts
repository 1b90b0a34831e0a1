import { type Command, InvalidArgumentError, Option } from "commander";
import type { components } from "../../client/schema.js";
import { teamContext, unwrap } from "../api.js";
import { UsageError } from "../errors.js";
import { colours, details, print, printJson, table, when } from "../output.js";
import { confirmRemoval } from "./remove.js";

type Webhook = components["schemas"]["Webhook"];
type EventType = Webhook["events"][number];

const EVENT_TYPES: EventType[] = ["budget.threshold", "api_key.leaked", "api_key.expiring", "byok.credential_failing"];

/** `--events a,b`: event types, comma-separated (`all`: every event). */
function parseEvents(value: string): EventType[] {
  if (value.trim() === "all") return EVENT_TYPES;
  const list = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((e) => !(EVENT_TYPES as string[]).includes(e) && e !== "webhook.test");
  if (list.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`${unknown.length ? `unknown event ${unknown.map((u) => `'${u}'`).join(", ")}; ` : ""}give one or more of ${EVENT_TYPES.join(", ")} (comma-separated), or all.`);
  }
  return list as EventType[];
}

function webhookDetails(w: Webhook): string {
  return details([
    ["ID", w.id],
    ["URL", w.url],
    ["Events", w.events.join(", ")],
    ["Format", w.format],
    ["Description", w.description],
    ["Enabled", w.enabled ? "yes" : "no"],
    ["Disabled because", w.disabledReason],
    ["Failing since", when(w.failingSince)],
  ]);
}

/** `webhooks create|list|ls|update|delete|rm|remove|test|deliveries`: the team's alert endpoints (OWNER writes). */
export function registerWebhooks(parent: Command): void {
  const webhooks = parent.command("webhooks").description("Manage the team's webhooks: signed alerts for budgets, leaked and expiring keys, failing BYOK credentials.");

  webhooks
    .command("create")
    .description("Create a webhook endpoint. Prints its signing secret once.")
    .requiredOption("--url <url>", "where events are POSTed (http:// or https://)")
    .requiredOption("--events <list>", `events to send, comma-separated: ${EVENT_TYPES.join(", ")}, or all`, parseEvents)
    .addOption(new Option("--format <format>", "standard (signed JSON) or slack ({text})").choices(["standard", "slack"]))
    .option("--description <text>", "for people")
    .action(async (o: { url: string; events: EventType[]; format?: "standard" | "slack"; description?: string }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const created = await unwrap(
        session.client.POST("/v1/ai-gateway/webhooks", {
          params: { query: team },
          body: { url: o.url, events: o.events, ...(o.format ? { format: o.format } : {}), ...(o.description !== undefined ? { description: o.description } : {}) },
        }),
        session.url,
      );
      if (g.json) return printJson(created);
      print(`${colours.green("✔")} Created webhook ${colours.bold(created.webhook.id)}`);
      print(webhookDetails(created.webhook));
      print();
      print(`Signing secret: ${created.secret}`);
      print(colours.yellow("Save it now: it is not shown again."));
    });

  webhooks
    .command("list")
    .alias("ls")
    .description("List the team's webhook endpoints.")
    .action(async (_o: unknown, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const res = await unwrap(session.client.GET("/v1/ai-gateway/webhooks", { params: { query: team } }), session.url);
      if (g.json) return printJson(res);
      if (!res.webhooks.length) return print("No webhooks.");
      print(
        table(
          ["ID", "URL", "EVENTS", "FORMAT", "ENABLED", "FAILING SINCE"],
          res.webhooks.map((w) => [w.id, w.url, w.events.join(","), w.format, w.enabled ? "yes" : colours.yellow("no"), when(w.failingSince)]),
        ),
      );
      for (const w of res.webhooks) if (w.disabledReason) print(`${colours.yellow(w.id)}: ${w.disabledReason}`);
    });

  webhooks
    .command("update")
    .alias("edit")
    .description("Change an endpoint's URL, events, format or description, or pause it (--disable) and resume it (--enable).")
    .argument("<id>", "the webhook's id (wh_…)")
    .option("--url <url>", "new URL")
    .option("--events <list>", "new events (replaces the list)", parseEvents)
    .addOption(new Option("--format <format>", "standard or slack").choices(["standard", "slack"]))
    .option("--description <text>", "new description")
    .addOption(new Option("--enable", "enable it (clears a disabled reason)").conflicts("disable"))
    .addOption(new Option("--disable", "pause it: events wait until it is enabled").conflicts("enable"))
    .action(
      async (
        id: string,
        o: { url?: string; events?: EventType[]; format?: "standard" | "slack"; description?: string; enable?: boolean; disable?: boolean },
        cmd: Command,
      ) => {
        if ([o.url, o.events, o.format, o.description, o.enable, o.disable].every((v) => v === undefined)) {
          throw new UsageError("Nothing to change: pass --url, --events, --format, --description, --enable or --disable.");
        }
        const { g, session, team } = await teamContext(cmd);
        const res = await unwrap(
          session.client.PATCH("/v1/ai-gateway/webhooks/{id}", {
            params: { path: { id }, query: team },
            body: {
              ...(o.url !== undefined ? { url: o.url } : {}),
              ...(o.events !== undefined ? { events: o.events } : {}),
              ...(o.format !== undefined ? { format: o.format } : {}),
              ...(o.description !== undefined ? { description: o.description } : {}),
              ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
            },
          }),
          session.url,
        );
        if (g.json) return printJson(res);
        print(`${colours.green("✔")} Updated webhook ${colours.bold(res.webhook.id)}`);
        print(webhookDetails(res.webhook));
      },
    );

  webhooks
    .command("delete")
    .aliases(["rm", "remove"])
    .description("Delete an endpoint and its deliveries. Asks first unless --yes.")
    .argument("<id>", "the webhook's id (wh_…)")
    .option("-y, --yes", "skip the confirmation prompt")
    .action(async (id: string, o: { yes?: boolean }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      if (!(await confirmRemoval(`Delete webhook ${id}?`, o.yes))) return;
      await unwrap(session.client.DELETE("/v1/ai-gateway/webhooks/{id}", { params: { path: { id }, query: team } }), session.url);
      if (g.json) return printJson({ id, deleted: true });
      print(`${colours.green("✔")} Deleted webhook ${id}`);
    });

  webhooks
    .command("test")
    .description("Send a webhook.test event to an endpoint (follow it with `webhooks deliveries`).")
    .argument("<id>", "the webhook's id (wh_…)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const res = await unwrap(session.client.POST("/v1/ai-gateway/webhooks/{id}/test", { params: { path: { id }, query: team } }), session.url);
      if (g.json) return printJson(res);
      print(`${colours.green("✔")} Queued test event ${colours.bold(res.id)} for ${id}`);
    });

  webhooks
    .command("deliveries")
    .description("An endpoint's deliveries, newest first: state, attempts, last status, next try.")
    .argument("<id>", "the webhook's id (wh_…)")
    .option("--limit <n>", "how many (1-100)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError("must be a whole number from 1 to 100.");
      return n;
    })
    .action(async (id: string, o: { limit?: number }, cmd: Command) => {
      const { g, session, team } = await teamContext(cmd);
      const res = await unwrap(
        session.client.GET("/v1/ai-gateway/webhooks/{id}/deliveries", { params: { path: { id }, query: { ...team, ...(o.limit ? { limit: o.limit } : {}) } } }),
        session.url,
      );
      if (g.json) return printJson(res);
      if (!res.deliveries.length) return print("No deliveries.");
      print(
        table(
          ["EVENT", "TYPE", "STATE", "ATTEMPTS", "STATUS", "NEXT TRY", "ERROR"],
          res.deliveries.map((d) => [d.id, d.type, d.state, d.attempts, d.lastStatus, when(d.nextAttemptAt), d.lastError]),
        ),
      );
    });
}
