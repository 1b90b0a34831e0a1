/**
 * Prompts (@inquirer/prompts), loaded only when a question is asked: most runs never ask, and
 * the library is the costliest import of the CLI's start-up.
 */
const prompts = () => import("@inquirer/prompts");

/** Prompts only when both ends are a terminal: a pipe or CI never hangs on a question. */
export const interactive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

export async function ask(message: string, opts: { default?: string; validate?: (v: string) => true | string } = {}): Promise<string> {
  const { input } = await prompts();
  return input({ message, ...(opts.default !== undefined ? { default: opts.default } : {}), ...(opts.validate ? { validate: opts.validate } : {}) });
}

export async function askSecret(message: string): Promise<string> {
  const { password } = await prompts();
  return password({ message, mask: "*", validate: (v) => (v.trim() ? true : "Required.") });
}

export async function askYesNo(message: string): Promise<boolean> {
  const { confirm } = await prompts();
  return confirm({ message, default: false });
}
