import { confirm, input, password } from "@inquirer/prompts";

/** Prompts only when both ends are a terminal: a pipe or CI never hangs on a question. */
export const interactive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

export const ask = (message: string, opts: { default?: string; validate?: (v: string) => true | string } = {}) =>
  input({ message, ...(opts.default !== undefined ? { default: opts.default } : {}), ...(opts.validate ? { validate: opts.validate } : {}) });

export const askSecret = (message: string) => password({ message, mask: "*", validate: (v) => (v.trim() ? true : "Required.") });

export const askYesNo = (message: string) => confirm({ message, default: false });
