import type { ErrorParam } from "./errors.js";

/** zod issues as `params: [{path, message}]`; unknown keys get one entry each. */
export function zodParams(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): ErrorParam[] {
  const out: ErrorParam[] = [];
  for (const i of issues) {
    const base = i.path.map(String).join(".");
    if (i.code === "unrecognized_keys" && i.keys) {
      for (const k of i.keys) out.push({ path: base ? `${base}.${k}` : k, message: "unknown field" });
    } else {
      out.push({ path: base, message: i.message });
    }
  }
  return out;
}
