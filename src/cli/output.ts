import Table from "cli-table3";
import pc from "picocolors";

/** Colours only on a terminal, and never with `NO_COLOR` set (https://no-color.org) or TERM=dumb. */
export function colourEnabled(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (env.NO_COLOR) return false;
  if (env.TERM === "dumb") return false;
  return Boolean(stream.isTTY);
}

export const colours = pc.createColors(colourEnabled());
export const errColours = pc.createColors(colourEnabled(process.env, process.stderr));

/** The API's objects, as they came, for scripts (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function print(line = ""): void {
  process.stdout.write(line + "\n");
}

const NO_BORDER = {
  top: "", "top-mid": "", "top-left": "", "top-right": "",
  bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
  left: "", "left-mid": "", mid: "", "mid-mid": "",
  right: "", "right-mid": "", middle: "  ",
};

/** An aligned, borderless table with a dim header row (cli-table3). */
export function table(head: string[], rows: (string | number | null | undefined)[][]): string {
  const t = new Table({
    head: head.map((h) => colours.dim(h)),
    chars: NO_BORDER,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  for (const row of rows) t.push(row.map((c) => (c === null || c === undefined || c === "" ? colours.dim("-") : String(c))));
  return t.toString().split("\n").map((l) => l.trimEnd()).join("\n");
}

/** A two-column table of labels and values, for one object. */
export function details(pairs: [string, string | number | null | undefined][]): string {
  const t = new Table({ chars: NO_BORDER, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
  for (const [k, v] of pairs) t.push([colours.dim(k), v === null || v === undefined || v === "" ? colours.dim("-") : String(v)]);
  return t.toString().split("\n").map((l) => l.trimEnd()).join("\n");
}

/** US dollars as the API gives them (numbers), e.g. `$500.00`, `$0.000125`. */
export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  return "$" + n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

/** Milliseconds since the epoch as `2026-11-30 04:05 UTC`. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
