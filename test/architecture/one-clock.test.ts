/**
 * One clock: every path that reads the time takes it from src/lib/clock.ts (a `Clock` passed in,
 * or `systemClock`), so a test can move time instead of sleeping. This keeps it so.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

/** Where reading the wall clock directly is the point: the clock itself, and a log line's timestamp. */
const ALLOWED = new Set(["lib/clock.ts", "lib/logger.ts"]);

describe("one clock", () => {
  it("no module of src/ reads the time but through lib/clock.ts", () => {
    const offenders = sources(SRC)
      .filter((f) => !ALLOWED.has(relative(SRC, f)))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .flatMap((line, i) => (/\bDate\.now\(\)|new Date\(\)/.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${relative(SRC, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
