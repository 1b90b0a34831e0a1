import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkMigrations } from "../../scripts/migrations-check.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(repo: string, ...args: string[]) {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

type Entry = { idx: number; version: string; when: number; tag: string; breakpoints: boolean };
const entry = (idx: number, tag: string, when: number): Entry => ({ idx, version: "7", when, tag, breakpoints: true });

function tempRepo() {
  const repo = mkdtempSync(join(tmpdir(), "tollgate-migrations-"));
  dirs.push(repo);
  git(repo, "init", "-q", "-b", "main");
  mkdirSync(join(repo, "drizzle/meta"), { recursive: true });
  return repo;
}

function writeJournal(repo: string, entries: Entry[]) {
  writeFileSync(join(repo, "drizzle/meta/_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2));
}

function commitAll(repo: string, message: string) {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
}

/** A repository with one committed migration, 0000_init. */
function repoWithOneMigration() {
  const repo = tempRepo();
  writeFileSync(join(repo, "drizzle/0000_init.sql"), 'CREATE TABLE "a" ("id" text);');
  writeJournal(repo, [entry(0, "0000_init", 1000)]);
  commitAll(repo, "init");
  return repo;
}

describe("migrations:check", () => {
  it("passes on committed migrations left as they were", () => {
    const result = checkMigrations(repoWithOneMigration());
    expect(result).toEqual({ ok: true, problems: [], checked: 1 });
  });

  it("fails when a committed migration is edited, in the working tree or in a later commit", () => {
    const repo = repoWithOneMigration();
    writeFileSync(join(repo, "drizzle/0000_init.sql"), 'CREATE TABLE "a" ("id" text);\nDELETE FROM "a";');
    const dirty = checkMigrations(repo);
    expect(dirty.ok).toBe(false);
    expect(dirty.problems).toHaveLength(1);
    expect(dirty.problems[0]).toContain("drizzle/0000_init.sql differs from the version first committed");

    commitAll(repo, "edit 0000");
    expect(checkMigrations(repo).ok).toBe(false);

    // Restoring the first version (in another commit) passes again.
    writeFileSync(join(repo, "drizzle/0000_init.sql"), 'CREATE TABLE "a" ("id" text);');
    commitAll(repo, "restore 0000");
    expect(checkMigrations(repo).ok).toBe(true);
  });

  it("fails when a committed migration is deleted or its journal entry changes", () => {
    const repo = repoWithOneMigration();
    unlinkSync(join(repo, "drizzle/0000_init.sql"));
    expect(checkMigrations(repo).problems.join("\n")).toContain("drizzle/0000_init.sql was deleted");

    git(repo, "checkout", "-q", "--", "drizzle/0000_init.sql");
    writeJournal(repo, [entry(0, "0000_init", 2000)]);
    const moved = checkMigrations(repo);
    expect(moved.ok).toBe(false);
    expect(moved.problems.join("\n")).toContain("the entry for 0000_init differs");

    writeJournal(repo, []);
    expect(checkMigrations(repo).problems.join("\n")).toContain("no longer lists 0000_init");
  });

  it("lets a new migration change until it is committed, then freezes it", () => {
    const repo = repoWithOneMigration();
    writeFileSync(join(repo, "drizzle/0001_more.sql"), 'ALTER TABLE "a" ADD COLUMN "b" text;');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_more", 3000)]);
    expect(checkMigrations(repo).ok).toBe(true);
    writeFileSync(join(repo, "drizzle/0001_more.sql"), 'ALTER TABLE "a" ADD COLUMN "c" text;');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_more", 4000)]);
    expect(checkMigrations(repo)).toEqual({ ok: true, problems: [], checked: 1 });

    commitAll(repo, "add 0001");
    expect(checkMigrations(repo)).toEqual({ ok: true, problems: [], checked: 2 });
    writeFileSync(join(repo, "drizzle/0001_more.sql"), 'ALTER TABLE "a" ADD COLUMN "d" text;');
    expect(checkMigrations(repo).problems[0]).toContain("drizzle/0001_more.sql differs");
  });

  it("fails when a new journal entry comes before a committed one in time", () => {
    const repo = repoWithOneMigration();
    writeFileSync(join(repo, "drizzle/0001_more.sql"), 'ALTER TABLE "a" ADD COLUMN "b" text;');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_more", 500)]);
    const result = checkMigrations(repo);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toContain('0001_more has "when" 500, not after 0000_init');
  });

  it("follows a migration renamed in a merge to the version the merge committed", () => {
    const repo = repoWithOneMigration();
    git(repo, "checkout", "-q", "-b", "feature");
    writeFileSync(join(repo, "drizzle/0001_feature.sql"), 'CREATE TABLE "f" ("id" text);');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_feature", 2000)]);
    commitAll(repo, "feature");
    git(repo, "checkout", "-q", "main");
    writeFileSync(join(repo, "drizzle/0001_main.sql"), 'CREATE TABLE "m" ("id" text);');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_main", 3000)]);
    commitAll(repo, "main");
    // The merge renumbers the feature's migration to 0002 (a rename the feature branch never had).
    try {
      git(repo, "merge", "-q", "--no-ff", "--no-commit", "feature");
    } catch {
      // conflict on the journal: resolved below
    }
    git(repo, "rm", "-q", "--cached", "drizzle/0001_feature.sql");
    unlinkSync(join(repo, "drizzle/0001_feature.sql"));
    writeFileSync(join(repo, "drizzle/0002_feature.sql"), 'CREATE TABLE "f" ("id" text);');
    writeJournal(repo, [entry(0, "0000_init", 1000), entry(1, "0001_main", 3000), entry(2, "0002_feature", 4000)]);
    commitAll(repo, "merge feature");
    expect(checkMigrations(repo)).toEqual({ ok: true, problems: [], checked: 3 });
    writeFileSync(join(repo, "drizzle/0002_feature.sql"), 'CREATE TABLE "f" ("id" text, "x" text);');
    expect(checkMigrations(repo).problems[0]).toContain("drizzle/0002_feature.sql differs");
  });

  it("refuses a shallow clone and says how to fetch the history", () => {
    const repo = repoWithOneMigration();
    writeFileSync(join(repo, "drizzle/0001_more.sql"), "SELECT 1;");
    commitAll(repo, "second");
    const clone = mkdtempSync(join(tmpdir(), "tollgate-shallow-"));
    dirs.push(clone);
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repo}`, clone], { stdio: "ignore" });
    const result = checkMigrations(clone);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toContain("git fetch --unshallow");
  });
});
