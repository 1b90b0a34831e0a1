import { UsageError } from "../errors.js";
import { print } from "../output.js";
import { askYesNo, interactive } from "../prompt.js";

/**
 * `remove` without --yes: asks on a terminal (false when declined, nothing changed); off a
 * terminal it refuses with exit 2 and changes nothing.
 */
export async function confirmRemoval(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!interactive()) throw new UsageError("Not removed: confirm with --yes (no terminal to ask on).");
  if (await askYesNo(question)) return true;
  print("Not removed.");
  return false;
}
