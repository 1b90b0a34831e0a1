import { readFileSync, writeFileSync } from "node:fs";

/**
 * Writes a generated file, or with `--check` on the command line exits 1 when the committed
 * file differs from `content` (CI's drift checks). `label` names the file, `command` regenerates it.
 */
export function writeOrCheck(target: string, content: string, label: string, command: string): void {
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {}
    if (current !== content) {
      console.error(`${label} is stale: run \`${command}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${label} is up to date.`);
  } else {
    writeFileSync(target, content);
    console.log(`wrote ${target}`);
  }
}
