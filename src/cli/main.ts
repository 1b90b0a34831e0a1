/**
 * The `tollgate` CLI entry (bin/tollgate.js runs it through tsx). Exit codes: 0 done, 1 refused
 * by the API (its envelope's message, no stack trace) or server unreachable, 2 bad usage.
 */
import { CommanderError } from "commander";
import { AlreadySaid, ApiRefusal, CliFailure, EXIT_API, EXIT_USAGE, UsageError } from "./errors.js";
import { errColours } from "./output.js";
import { buildProgram } from "./program.js";
import { cliState } from "./state.js";

const fail = (message: string, code: number) => {
  process.stderr.write(`${errColours.red("Error:")} ${message}\n`);
  return code;
};

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE; // already printed by commander
    if (err instanceof UsageError) return fail(err.message, EXIT_USAGE);
    if (err instanceof ApiRefusal) return fail(`${err.message} ${errColours.dim(`(${err.code}, HTTP ${err.status})`)}`, EXIT_API);
    if (err instanceof CliFailure) return fail(err.message, EXIT_API);
    if (err instanceof AlreadySaid) return err.exitCode;
    if (err instanceof Error && err.name === "ExitPromptError") return fail("Cancelled.", 130);
    return fail(err instanceof Error ? err.message : String(err), EXIT_API);
  }
}

const args = process.argv.slice(2);
const code = await run(args);
// `serve` keeps running; every other verb ends here without waiting for idle sockets.
if (!cliState.serving || code !== 0) {
  process.stdout.write("", () => process.exit(code));
}
