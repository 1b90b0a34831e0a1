/**
 * `npm run migrations:check` (run by CI): fails when a committed migration changed.
 *
 * A database applies each migration once and records it as applied, so an edit to a migration
 * that was already committed never reaches a database that applied it: the fix has to be a new
 * migration. This compares, in the working tree:
 * - every `drizzle/*.sql` file that was ever committed with the version first committed, and
 * - every entry of `drizzle/meta/_journal.json` that was ever committed with that entry as first
 *   committed (a changed `when` or order makes databases skip or re-run migrations).
 * Files and entries not yet committed are new and may change freely.
 *
 * History is read along the first parents of HEAD, so a migration first reaches this branch with
 * the commit (or merge) that brought it here. A shallow clone does not hold that history: the
 * check then fails and says to fetch it (`git fetch --unshallow`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const JOURNAL = "drizzle/meta/_journal.json";

export type MigrationsCheck = { ok: boolean; problems: string[]; checked: number };

type JournalEntry = { idx: number; tag: string; when: number; version: string; breakpoints: boolean };

function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

function journalEntries(text: string): JournalEntry[] {
  const parsed = JSON.parse(text) as { entries?: JournalEntry[] };
  return parsed.entries ?? [];
}

const sameEntry = (a: JournalEntry, b: JournalEntry) =>
  a.idx === b.idx && a.tag === b.tag && a.when === b.when && a.version === b.version && a.breakpoints === b.breakpoints;

/** Checks the repository at `repo` (its working tree against its history). */
export function checkMigrations(repo: string): MigrationsCheck {
  const problems: string[] = [];
  let inside: string;
  try {
    inside = git(repo, ["rev-parse", "--is-inside-work-tree"]).trim();
  } catch {
    inside = "false";
  }
  if (inside !== "true") {
    return { ok: false, checked: 0, problems: [`${repo} is not a git working tree: the check needs the repository's history.`] };
  }
  if (git(repo, ["rev-parse", "--is-shallow-repository"]).trim() === "true") {
    return {
      ok: false,
      checked: 0,
      problems: ["This clone is shallow, so the commit that first added each migration may be missing: run `git fetch --unshallow` (or clone without --depth) and check again."],
    };
  }
  let hasHead = true;
  try {
    git(repo, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  } catch {
    hasHead = false;
  }
  if (!hasHead) return { ok: true, checked: 0, problems: [] }; // nothing committed yet

  // The commit that first added each SQL file, oldest first (merges compared to their first parent).
  const log = git(repo, ["log", "--first-parent", "-m", "--diff-filter=A", "--name-only", "--format=@%H", "--reverse", "HEAD", "--", "drizzle/*.sql"]);
  const firstAdded = new Map<string, string>();
  let commit = "";
  for (const line of log.split("\n")) {
    if (line.startsWith("@")) commit = line.slice(1);
    else if (line.trim() !== "" && !firstAdded.has(line.trim())) firstAdded.set(line.trim(), commit);
  }
  // Only files HEAD still holds (a file removed in an earlier commit shows up as a missing journal entry).
  const tracked = new Set(git(repo, ["ls-tree", "-r", "--name-only", "HEAD", "--", "drizzle/"]).split("\n").filter((p) => p.endsWith(".sql")));
  let checked = 0;
  for (const [path, sha] of firstAdded) {
    if (!tracked.has(path)) continue;
    checked++;
    const first = git(repo, ["show", `${sha}:${path}`]);
    const file = join(repo, path);
    if (!existsSync(file)) {
      problems.push(`${path} was deleted; it was committed in ${sha.slice(0, 7)} and databases have applied it.`);
      continue;
    }
    if (readFileSync(file, "utf8") !== first) {
      problems.push(
        `${path} differs from the version first committed in ${sha.slice(0, 7)} (\`git diff ${sha.slice(0, 7)} -- ${path}\`). ` +
          "Restore it and make the change a new migration: databases that applied it never see an edit.",
      );
    }
  }

  // Each journal entry as first committed.
  const journalCommits = git(repo, ["log", "--first-parent", "-m", "--format=%H", "--reverse", "HEAD", "--", JOURNAL]).split("\n").filter(Boolean);
  const firstEntries = new Map<string, { entry: JournalEntry; sha: string }>();
  for (const sha of [...new Set(journalCommits)]) {
    let text: string;
    try {
      text = git(repo, ["show", `${sha}:${JOURNAL}`]);
    } catch {
      continue; // deleted in this commit
    }
    for (const entry of journalEntries(text)) if (!firstEntries.has(entry.tag)) firstEntries.set(entry.tag, { entry, sha });
  }
  if (firstEntries.size > 0) {
    const journalFile = join(repo, JOURNAL);
    const current = existsSync(journalFile) ? journalEntries(readFileSync(journalFile, "utf8")) : [];
    const byTag = new Map(current.map((e) => [e.tag, e]));
    for (const [tag, { entry, sha }] of firstEntries) {
      const now = byTag.get(tag);
      if (!now) problems.push(`${JOURNAL} no longer lists ${tag}, committed in ${sha.slice(0, 7)}: databases have applied it.`);
      else if (!sameEntry(now, entry)) {
        problems.push(
          `${JOURNAL}: the entry for ${tag} differs from the one first committed in ${sha.slice(0, 7)} ` +
            `(was ${JSON.stringify(entry)}, is ${JSON.stringify(now)}).`,
        );
      }
    }
    // The migrator applies only migrations whose `when` is later than the last one a database
    // applied, so a new entry with an earlier `when` would be skipped where the later ones ran.
    for (let i = 1; i < current.length; i++) {
      const [prev, e] = [current[i - 1]!, current[i]!];
      if (e.when <= prev.when) {
        problems.push(`${JOURNAL}: ${e.tag} has "when" ${e.when}, not after ${prev.tag}'s (${prev.when}); databases that applied ${prev.tag} would skip it.`);
      }
    }
  }
  return { ok: problems.length === 0, problems, checked };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = checkMigrations(fileURLToPath(new URL("..", import.meta.url)));
  if (!result.ok) {
    for (const p of result.problems) console.error(p);
    console.error("A committed migration never changes: see docs/operations.md (Upgrades).");
    process.exit(1);
  }
  console.log(`Committed migrations unchanged (${result.checked} checked).`);
}
