import { Command } from "commander";
import { registerApiKeys } from "./commands/api-keys.js";
import { registerAuth } from "./commands/auth.js";
import { registerRules } from "./commands/rules.js";
import { registerServer } from "./commands/server.js";
import { registerWebhooks } from "./commands/webhooks.js";
import { errColours } from "./output.js";

export const VERSION = "0.1.0";


/**
 * The `tollgate` program (commander). Every `ai-gateway` verb is mounted twice: under
 * `ai-gateway` (as `vercel ai-gateway`) and at the top level. `--scope` and `--json` belong to
 * the program and are read anywhere on the line.
 */
export function buildProgram(): Command {
  const program = new Command("tollgate")
    .description("Tollgate: AI Gateway API keys, budgets and routing rules, from the terminal.")
    .version(VERSION, "-v, --version")
    .option("--scope <team>", "team slug or id (default: the token's only team)")
    .option("--json", "print the API's objects as JSON (for scripts)")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(errColours.red(str)) });

  const gateway = program.command("ai-gateway").description("Manage AI Gateway resources: API keys and routing rules (as `vercel ai-gateway`).");
  registerApiKeys(gateway);
  registerRules(gateway);
  registerApiKeys(program);
  registerRules(program);
  registerWebhooks(program);
  registerAuth(program);
  registerServer(program);
  return program;
}
