import type { Command } from "commander";
import { type GlobalOpts, openSession, unwrap } from "../api.js";
import { configPath, DEFAULT_URL, readConfig, removeConfig, resolveConnection, serverRoot, writeConfig } from "../config.js";
import { UsageError } from "../errors.js";
import { colours, details, print, printJson, table } from "../output.js";
import { ask, askSecret, interactive } from "../prompt.js";

/** `login`, `logout`, `whoami`, `teams ls`. */
export function registerAuth(program: Command): void {
  program
    .command("login")
    .description("Sign in: checks the URL and token against the server and stores them (config file, mode 0600).")
    .option("--url <url>", "the Tollgate server (default: TOLLGATE_API_URL, the stored one, or http://localhost:3000)")
    .option("--token <token>", "a personal access token (tgp_…); asked for on a terminal")
    .action(async (o: { url?: string; token?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const known = resolveConnection();
      let url = o.url;
      let token = o.token;
      if (!url) url = interactive() && !o.token ? (await ask("Tollgate URL", { default: known.url })).trim() : known.url;
      if (!token) {
        if (!interactive()) throw new UsageError("Pass --token <token> (no terminal to ask on).");
        token = (await askSecret("Token")).trim();
      }
      try {
        url = serverRoot(new URL(url || DEFAULT_URL).toString());
      } catch {
        throw new UsageError(`Not a URL: ${url}`);
      }
      const session = openSession({ url, token });
      const me = await unwrap(session.client.GET("/v1/user"), url);
      const path = writeConfig({ url, token });
      if (g.json) return printJson(me);
      print(`${colours.green("✔")} Signed in to ${url} as ${colours.bold(me.user.email)}`);
      print(colours.dim(`Saved to ${path}`));
    });

  program
    .command("logout")
    .description("Forget the stored URL and token (the token itself stays valid: revoke it with the API).")
    .action(() => {
      const removed = removeConfig();
      print(removed ? `${colours.green("✔")} Signed out (removed ${configPath()})` : "Not signed in.");
    });

  program
    .command("whoami")
    .description("Show the signed-in user and their teams.")
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const session = openSession();
      const me = await unwrap(session.client.GET("/v1/user"), session.url);
      if (g.json) return printJson(me);
      const source = process.env.TOLLGATE_TOKEN ? "TOLLGATE_TOKEN" : readConfig().token ? configPath() : "";
      print(
        details([
          ["User", me.user.email],
          ["Name", me.user.name],
          ["ID", me.user.id],
          ["Server", session.url],
          ["Teams", me.teams.map((t) => t.slug).join(", ")],
          ["Token from", source],
        ]),
      );
    });

  const teams = program.command("teams").description("Teams the token can reach.");
  teams
    .command("list")
    .alias("ls")
    .description("List your teams and your role in each.")
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const session = openSession();
      const res = await unwrap(session.client.GET("/v1/teams"), session.url);
      if (g.json) return printJson(res);
      if (!res.teams.length) return print("No teams.");
      print(table(["SLUG", "ID", "NAME", "ROLE"], res.teams.map((t) => [t.slug, t.id, t.name, t.role])));
    });
}
