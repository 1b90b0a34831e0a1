/**
 * One route shape and one place per kind of code (docs/architecture.md): a route file parses its
 * input, calls its area's functions and answers; it registers nothing itself (the one list in
 * src/routes.ts does) and holds no query (queries live in the area's query modules, which know no
 * HTTP; nor do the areas' `access.ts` and `mutations.ts`, which decide and throw the HTTP errors
 * around them). These checks keep it so.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../src/routes.js";

const SRC = resolve(import.meta.dirname, "../../src");
const areas = readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory());
const filesOf = (match: (name: string) => boolean) =>
  areas.flatMap((d) => readdirSync(join(SRC, d.name)).filter(match).map((name) => join(SRC, d.name, name)));

/** Route files: `v1_*.ts`, `external_*.ts`, and the OIDC discovery documents. */
const ROUTE_FILES = filesOf((n) => /^(v1_|external_)\w+\.ts$/.test(n) || n === "well_known.ts");
/** What decides for the routes (loads for the caller, orchestrates writes): HTTP errors, no queries. */
const DECIDING_FILES = filesOf((n) => n === "access.ts" || n === "mutations.ts");
/** The areas' query modules. */
const QUERY_FILES = filesOf((n) => n === "queries.ts");

const rel = (f: string) => relative(SRC, f);
const valueImportsFrom = (text: string, spec: RegExp) =>
  [...text.matchAll(/^import\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gm)].map((m) => m[1]!).filter((s) => spec.test(s));

describe("route files", () => {
  it("exist (the globs find them)", () => {
    expect(ROUTE_FILES.length).toBeGreaterThan(50);
    expect(QUERY_FILES.length).toBeGreaterThan(10);
    expect(DECIDING_FILES.map(rel)).toEqual(expect.arrayContaining(["api-keys/access.ts", "rules/access.ts", "rules/mutations.ts", "teams/access.ts"]));
  });

  it("hold no query: no value import of drizzle-orm or the tables, no query builder call", () => {
    const offenders = [...ROUTE_FILES, ...DECIDING_FILES].flatMap((f) => {
      const text = readFileSync(f, "utf8");
      const found = [
        ...valueImportsFrom(text, /^drizzle-orm$|\/db\/schema\.js$/),
        ...[...text.matchAll(/\b(?:db|tx)\s*\.\s*(select|insert|update|delete|execute)\s*\(/g)].map((m) => `${m[0]}…`),
      ];
      return found.map((x) => `${rel(f)}: ${x} (move it into the area's queries.ts)`);
    });
    expect(offenders).toEqual([]);
  });

  it("register nothing themselves, and every management route they export is in the one list", async () => {
    const registering = ROUTE_FILES.filter((f) => /\bapp\.(openapi|get|post|put|patch|delete|on|use)\(/.test(readFileSync(f, "utf8"))).map(rel);
    expect(registering).toEqual([]);
    const listed = new Set<unknown>(API_ROUTES);
    const missing: string[] = [];
    for (const f of ROUTE_FILES) {
      const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const isApiRoute = typeof value === "object" && value !== null && "route" in value && "handler" in value && !("handle" in value);
        if (isApiRoute && !listed.has(value)) missing.push(`${rel(f)}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("query modules", () => {
  it("know no HTTP: nothing imported from src/http", () => {
    const offenders = QUERY_FILES.filter((f) => valueImportsFrom(readFileSync(f, "utf8"), /\/http\//).length > 0).map(rel);
    expect(offenders).toEqual([]);
  });
});
