/**
 * Documentation that runs: the README and every docs/*.md page, executed as a reader would paste
 * them (the convention is in docs/README.md). The pages are shared between two test files
 * (docs-1.test.ts, docs-2.test.ts) so that vitest's two workers run them side by side. Each page gets its own bash session, server (a real
 * `tsx src/main.ts` child process), data dir and, with DATABASE_URL set, its own fresh Postgres
 * database. A docs/ page runs after the whole README, in the state a reader who followed it has.
 * Blocks are read from the Markdown at test time, never copied here.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, describe, test } from "vitest";
import { outputMatches, shellBlocks, type Block, type Step } from "./markdown.js";
import { DocsSession, freePort, REPO } from "./session.js";

const README = "README.md";
/** Every page that runs: the README, then docs/*.md in name order. */
export const allPages = [README, ...readdirSync(join(REPO, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const read = (page: string) => readFileSync(join(REPO, page), "utf8");

/** Variables a step captures with `NAME=$(…)`: each must end up neither empty nor "null". */
const captured = (code: string) => [...code.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=\$\(/gm)].map((m) => m[1]!);

/** Literal localhost:3000 (a CLI's --url) is the session's server, which listens on its own port. */
const localize = (code: string, port: number) => code.replace(/localhost:3000\b/g, `127.0.0.1:${port}`);

const ERROR_ENVELOPE = /\{"error":\s*\{"code":/;

class DocsFailure extends Error {}

function failure(page: string, block: Block, step: Step, what: string, details: string): DocsFailure {
  const shown = block.text
    .split("\n")
    .map((l, i) => `${String(block.line + 1 + i).padStart(5)} | ${l}`)
    .join("\n");
  return new DocsFailure(
    `${page}:${step.line}: ${what}\n\n` +
      `The command (${page} line ${step.line}):\n${step.code.trim()}\n\n${details}\n\n` +
      `The block (${page} line ${block.line}):\n${shown}`,
  );
}

async function runBlock(page: string, block: Block, session: DocsSession): Promise<void> {
  if (block.skip) return;
  if (block.server) {
    // The start command blocks like `npm start` does: run it in the background, then wait.
    const step = { code: block.text, expected: null, line: block.line + 1 };
    const code = localize(block.text, session.port).trim();
    const r = await session.run(code.endsWith("&") ? code : `{\n${code}\n} &`);
    if (r.failures.length > 0 || r.timedOut) throw failure(page, block, step, "the server block failed", r.failures.join("\n") + r.stderr);
    if (!(await session.waitForServer())) {
      throw failure(page, block, step, "the server did not start (no answer on /healthz)", `Server output:\n${session.serverLog()}`);
    }
    return;
  }
  for (const step of block.steps) {
    const r = await session.run(localize(step.code, session.port));
    const out = `Output:\n${r.output || "(none)"}${r.stderr ? `\nStderr:\n${r.stderr}` : ""}`;
    if (r.timedOut) throw failure(page, block, step, "timed out (60 s)", out + `\n\nServer output (last 4000 characters):\n${session.serverLog().slice(-4000)}`);
    if (r.failures.length > 0) {
      throw failure(page, block, step, "a command failed", `${r.failures.join("\n")}\n\n${out}\n\nServer output (last 4000 characters):\n${session.serverLog().slice(-4000)}`);
    }
    if (step.expected !== null) {
      if (!outputMatches(step.expected, r.output)) {
        throw failure(page, block, step, "the output differs from the one shown", `Shown (… matches anything):\n${step.expected}\n\nActual:\n${r.output.trim() || "(none)"}`);
      }
    } else if (ERROR_ENVELOPE.test(r.output)) {
      throw failure(page, block, step, "an error answer where the page shows none", out);
    }
    const names = captured(step.code);
    const values = await session.vars(names);
    for (const name of names) {
      const v = values[name] ?? "";
      if (v === "" || v === "null") throw failure(page, block, step, `$${name} is ${v === "" ? "empty" : '"null"'} after this step`, out);
    }
  }
}

/** Runs a page's blocks in order in the session. */
export async function runPage(page: string, session: DocsSession): Promise<void> {
  for (const b of shellBlocks(read(page))) await runBlock(page, b, session);
}

let admin: postgres.Sql | undefined;
const databases: string[] = [];

/** With DATABASE_URL: a fresh database on that server for one page (dropped at the end). */
export async function freshDatabase(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  admin ??= postgres(url, { max: 1, onnotice: () => {} });
  const name = `tollgate_docs_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  databases.push(name);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the pages' databases (each test file's suite calls it when it ends). */
export async function dropDatabases(): Promise<void> {
  const sql = admin;
  if (!sql) return;
  admin = undefined;
  for (const name of databases.splice(0)) await sql.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  await sql.end();
}

/** The tools the walk-through asks a reader to have. */
export function missingTools(): string[] {
  return ["bash", "curl", "jq", "openssl"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
}

/** The test suite for every `part`-th page of `parts` (0-based), in `allPages` order. */
export function documentationRuns(part: number, parts: number): void {
  const pages = allPages.filter((_, i) => i % parts === part);
  describe(`documentation runs as written (part ${part + 1} of ${parts})`, () => {
    afterAll(dropDatabases);

    test("the tools the docs use are installed", () => {
      const missing = missingTools();
      if (missing.length > 0) throw new Error(`The docs' examples need ${missing.join(", ")}: install them to run test/docs.`);
    });

    for (const page of pages) {
      const blocks = shellBlocks(read(page));
      const runnable = blocks.filter((b) => !b.skip);
      test.skipIf(runnable.length === 0)(page, { timeout: 300_000 }, async () => {
        const session = new DocsSession(await freePort(), await freshDatabase());
        try {
          if (page !== README) await runPage(README, session);
          await runPage(page, session);
        } finally {
          await session.close();
        }
      });
    }
  });
}
