import type { Command } from "commander";
import { type GlobalOpts } from "../api.js";
import { AlreadySaid, CliFailure } from "../errors.js";
import { colours, details, print, printJson } from "../output.js";
import { cliState } from "../state.js";
import { systemClock } from "../../lib/clock.js";

/** Server-side verbs: they run on the server's machine with its environment (DATABASE_URL, TOLLGATE_DATA_DIR, …). */
export function registerServer(program: Command): void {
  program
    .command("serve")
    .description("Start the Tollgate server (as `npm start`), configured by the environment.")
    .option("--port <port>", "port to listen on (PORT, default 3000)")
    .option("--host <host>", "address to bind (HOST, default 0.0.0.0)")
    .action(async (o: { port?: string; host?: string }) => {
      if (o.port !== undefined) process.env.PORT = o.port;
      if (o.host !== undefined) process.env.HOST = o.host;
      const [{ loadConfigOrExit }, { ServerRefused, startServer }] = await Promise.all([import("../../config.js"), import("../../server.js")]);
      const config = loadConfigOrExit();
      cliState.serving = true;
      stopWithNpmParent();
      try {
        // In this process, as src/main.ts: SIGTERM/SIGINT drain it and exit.
        await startServer(config, { handleSignals: true });
      } catch (err) {
        if (!(err instanceof ServerRefused)) throw err;
        console.error(err.message); // the line `npm start` prints
        throw new AlreadySaid(1);
      }
    });

  program
    .command("migrate")
    .description("Apply the database migrations (as `npm run db:migrate`) and exit.")
    .action(async () => {
      const [{ loadConfigOrExit }, { applyMigrations }] = await Promise.all([import("../../config.js"), import("../../db/migrate-cli.js")]);
      const code = await applyMigrations(loadConfigOrExit());
      if (code !== 0) throw new AlreadySaid(code);
    });

  const keys = program.command("keys").description("The keys that encrypt secrets at rest (TOLLGATE_ENCRYPTION_KEY).");
  keys
    .command("reencrypt")
    .description(
      "Re-encrypt every stored secret with the newest key of TOLLGATE_ENCRYPTION_KEY (as `npm run keys:reencrypt`), so that an older key can be removed. Stop a server on the same embedded data dir first.",
    )
    .action(async () => {
      const [{ loadConfigOrExit }, { reencryptSecrets }] = await Promise.all([import("../../config.js"), import("../../lib/reencrypt-cli.js")]);
      const code = await reencryptSecrets(loadConfigOrExit());
      if (code !== 0) throw new AlreadySaid(code);
    });

  const admin = program.command("admin").description("Instance administration, straight on the database.");
  admin
    .command("create-user")
    .description("Create a user and its first personal access token (printed once). Stop a server on the same embedded data dir first.")
    .requiredOption("--email <email>", "the user's email")
    .option("--name <name>", "display name")
    .action(async (o: { email: string; name?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const [{ loadConfig }, { DatabaseUnreachable, openDatabase }, { DataDirLocked }, { createUserWithToken, CreateUserRequest }, { ApiError }] = await Promise.all([
        import("../../config.js"),
        import("../../db/client.js"),
        import("../../db/data-dir-lock.js"),
        import("../../admin/v1_admin_users_create.js"),
        import("../../http/errors.js"),
      ]);
      const input = CreateUserRequest.safeParse({ email: o.email, ...(o.name !== undefined ? { name: o.name } : {}) });
      if (!input.success) throw new CliFailure(`Invalid input: ${input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const config = loadConfig();
      // A running server on the same embedded data dir would never see the user (and overwrite it):
      // refused, saying to use its API instead.
      const cannotOpen = (err: unknown) => {
        if (err instanceof DataDirLocked) {
          return new CliFailure(err.describe("stop it first, or create the user through its API: POST /v1/admin/users with its TOLLGATE_ADMIN_TOKEN (see docs/cli.md)."));
        }
        if (err instanceof DatabaseUnreachable) return new CliFailure(err.message);
        return err;
      };
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: "tollgate admin create-user" }).catch((err: unknown) => {
        throw cannotOpen(err);
      });
      try {
        await database.migrate().catch((err: unknown) => {
          throw cannotOpen(err);
        });
        const created = await createUserWithToken(database.db, {
          email: input.data.email,
          name: input.data.name ?? null,
          actor: { type: "system", id: "cli" },
          now: systemClock.now(),
        });
        if (g.json) return printJson(created);
        print(`${colours.green("✔")} Created user ${colours.bold(created.user.email)}`);
        print(details([["ID", created.user.id], ["Token", created.bearerToken]]));
        print(colours.yellow("Store this token now: it is not shown again."));
      } catch (err) {
        if (err instanceof ApiError) throw new CliFailure(err.message);
        throw err;
      } finally {
        await database.close();
      }
    });
}

/**
 * `npx tollgate serve` (or an npm script running it) starts `sh -c tollgate serve`, and this
 * process under that shell. A SIGTERM/SIGINT sent to npm is forwarded to the shell only: the shell
 * dies and the server would keep running, orphaned. So, when started by npm, the server stops
 * (as on SIGTERM: it drains, then exits) once the process that started it is gone. Not done
 * otherwise: a server started by `nohup` from a shell that then exits keeps running.
 */
function stopWithNpmParent(): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }, 200);
  timer.unref();
}
