/**
 * A newcomer's first hour, as one test: a fresh copy of the checkout, `npm ci`, then every block
 * of the README, docs/gateway.md and docs/cli.md pasted in order into one terminal, in the
 * checkout (where a reader runs them). Afterwards the checkout holds no file the walk-through
 * left behind. The other docs tests run each page on its own; this one proves the pages also
 * follow each other.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { freePort, REPO, DocsSession } from "./session.js";
import { dropDatabases, freshDatabase, missingTools, runPage } from "./suite.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=newcomer@example.com", "-c", "user.name=Newcomer", ...args], { cwd, encoding: "utf8" });

/** The checkout as a clone has it: the files git tracks, and new ones it does not ignore. */
function freshCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-newcomer-"));
  const files = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean);
  execFileSync("bash", ["-c", `tar -cf - --null --ignore-failed-read -T - | tar -xf - -C "${dir}"`], { cwd: REPO, input: files.join("\0") });
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "the checkout");
  return dir;
}

describe("a newcomer's path: clone, install, start, README, docs/gateway.md, docs/cli.md", () => {
  let checkout: string | undefined;
  afterAll(async () => {
    await dropDatabases();
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  });

  test("every block runs in order in one terminal, and the checkout stays clean", { timeout: 600_000 }, async () => {
    expect(missingTools()).toEqual([]);
    checkout = freshCheckout();
    // The README's `npm install`: from npm's cache when it has the packages (as after CI's `npm ci`).
    execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: checkout, stdio: "pipe" });
    const session = new DocsSession(await freePort(), await freshDatabase(), checkout);
    try {
      for (const page of ["README.md", "docs/gateway.md", "docs/cli.md"]) await runPage(page, session);
    } finally {
      await session.close();
    }
    // Nothing the walk-through wrote is left for `git status` to show (logs are ignored).
    expect(git(checkout, "status", "--porcelain")).toBe("");
  });
});
