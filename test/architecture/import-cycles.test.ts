/**
 * The layers point one way: no module of src/ imports itself back through others (type-only
 * imports count too: a circle of types is a circle of knowledge). docs/architecture.md says where
 * things go; this keeps it so.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gm;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative `.js` specifier names (its `.ts` or `.tsx` source). */
function target(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec).replace(/\.js$/, "");
  return [".ts", ".tsx"].map((ext) => base + ext).find((p) => existsSync(p));
}

/** Every import circle, each as the list of files on it (relative to src/). */
export function importCycles(files: string[]): string[][] {
  const edges = new Map(files.map((f) => [f, [...readFileSync(f, "utf8").matchAll(IMPORT)].flatMap((m) => target(f, m[1]!) ?? [])]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    path.push(f);
    for (const next of edges.get(f) ?? []) {
      if (state.get(next) === "open") cycles.push(path.slice(path.indexOf(next)).map((p) => relative(SRC, p)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

describe("src/ has no import circle", () => {
  it("finds a circle when there is one, type-only imports included (the check itself)", () => {
    const dir = mkdtempSync(join(tmpdir(), "cycles-"));
    writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    writeFileSync(join(dir, "b.ts"), 'import { c } from "./c.js";\nexport type B = string;\nexport const b = c;\n');
    writeFileSync(join(dir, "c.ts"), 'export { a } from "./a.js";\nexport const c = 1;\n');
    writeFileSync(join(dir, "d.ts"), 'import { c } from "./c.js";\nexport const d = c;\n');
    const files = ["a.ts", "b.ts", "c.ts", "d.ts"].map((f) => join(dir, f));
    expect(importCycles(files).map((cycle) => cycle.map((f) => f.slice(f.lastIndexOf("/") + 1)))).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(importCycles(files.filter((f) => !f.endsWith("c.ts")))).toEqual([]);
  });

  it("none in src/", () => {
    expect(importCycles(sources(SRC))).toEqual([]);
  });
});
