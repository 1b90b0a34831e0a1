import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/postgres-js";
import { migrate as migratePg } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/client.js";

/**
 * The repair migration (0014) on a database left as the releases before it left it: migrated up
 * to 0010, with clear-text idempotent answers (0003 before its edit), usage recorded before the
 * rollups existed (0008) and team rollups that missed what older instances wrote (0009).
 */
const REPAIR = "0014_repair_upgrades";
const HOUR = 3_600_000;

type Journal = { entries: { tag: string }[] } & Record<string, unknown>;
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as Journal;

const dirs: string[] = [];
/** A migrations folder holding the real migrations whose tags `keep` accepts. */
function folderWith(keep: (tag: string) => boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-migrations-"));
  dirs.push(dir);
  mkdirSync(join(dir, "meta"));
  const entries = journal.entries.filter((e) => keep(e.tag));
  for (const e of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return dir;
}
const upTo0010 = () => folderWith((tag) => Number(tag.slice(0, 4)) <= 10);
const upTo0010AndRepair = () => folderWith((tag) => Number(tag.slice(0, 4)) <= 10 || tag === REPAIR);

type Conn = { query(text: string): Promise<Record<string, unknown>[]>; migrate(folder: string): Promise<void>; close(): Promise<void> };

async function openFresh(): Promise<Conn> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = await PGlite.create("memory://");
    const db = drizzlePglite({ client });
    return {
      query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
      migrate: (folder) => migratePglite(db, { migrationsFolder: folder }),
      close: () => client.close(),
    };
  }
  // A database of its own on the server, dropped afterwards.
  const name = `tollgate_repair_${process.pid}_${Date.now()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const sql = postgres(target.toString(), { max: 1, onnotice: () => {} });
  return {
    query: async (text) => [...(await sql.unsafe(text))] as Record<string, unknown>[],
    migrate: (folder) => migratePg(drizzlePg({ client: sql }), { migrationsFolder: folder }),
    close: async () => {
      await sql.end();
      await admin.unsafe(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** bigint columns as numbers (postgres-js reads them as strings, PGlite as bigint). */
const num = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" || (typeof v === "string" && /^\d+$/.test(v)) ? Number(v) : v])),
  );

describe("migration 0014 repairs what earlier upgrades left behind", () => {
  it("drops clear-text idempotent answers, backfills rollups of usage from before them, rebuilds the team rollups", async () => {
    const db = await openFresh();
    try {
      await db.migrate(upTo0010());
      const h0 = 1_800_000_000_000 - (1_800_000_000_000 % HOUR); // an hour before the upgrade
      const up = h0 + 5 * HOUR; // the hour of the first rollup (the upgrade's)
      await db.query(`
        insert into idempotency_keys (principal, key, request_hash, status, body, created_at) values
          ('p', 'clear', 'h', 201, '{"apiKeyString":"secret"}', ${up}),
          ('p', 'sealed', 'h', 201, 'tg1.replay.aaaa.bbbb', ${up}),
          ('p', 'pending', 'h', null, null, ${up}),
          ('p', 'empty', 'h', 204, null, ${up})`);
      // Team a: two reports before the upgrade (no rollup), one after (with its rollups).
      // Team b: only reports from before the upgrade. Team c: rollups whose team rollup missed a report.
      await db.query(`
        insert into usage_events (id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens, created_at) values
          ('e1', 'r1', 'team_a', 'k1', null, null, 'gpt', 100, false, 10, 1, ${h0 + 1000}),
          ('e2', 'r2', 'team_a', 'k1', null, null, 'gpt', 50, true, 5, null, ${h0 + 2000}),
          ('e3', 'r3', 'team_a', 'k1', null, null, 'gpt', 7, false, 1, 1, ${up + 10}),
          ('e4', 'r4', 'team_b', null, 'p1', 'u1', 'claude', 30, false, null, null, ${h0 + HOUR + 5})`);
      await db.query(`
        insert into usage_rollups (team_id, hour_start, key_id, model, project_id, user_id, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens) values
          ('team_a', ${up}, 'k1', 'gpt', '', '', 1, 7, 0, 1, 1),
          ('team_c', ${up}, 'k9', 'gpt', '', '', 3, 300, 0, 30, 3),
          ('team_c', ${up}, 'k8', 'gpt', '', '', 2, 200, 20, 20, 2)`);
      await db.query(`
        insert into usage_rollups_team (team_id, hour_start, model, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens) values
          ('team_a', ${up}, 'gpt', 1, 7, 0, 1, 1),
          ('team_c', ${up}, 'gpt', 3, 300, 0, 30, 3)`);

      await db.migrate(upTo0010AndRepair());

      expect(await db.query(`select key from idempotency_keys order by key`)).toEqual([{ key: "empty" }, { key: "pending" }, { key: "sealed" }]);
      expect(
        num(
          await db.query(
            `select team_id, hour_start, key_id, model, project_id, user_id, requests, cost_micros, byok_cost_micros, input_tokens, output_tokens
               from usage_rollups order by team_id, hour_start, key_id`,
          ),
        ),
      ).toEqual([
        { team_id: "team_a", hour_start: h0, key_id: "k1", model: "gpt", project_id: "", user_id: "", requests: 2, cost_micros: 100, byok_cost_micros: 50, input_tokens: 15, output_tokens: 1 },
        { team_id: "team_a", hour_start: up, key_id: "k1", model: "gpt", project_id: "", user_id: "", requests: 1, cost_micros: 7, byok_cost_micros: 0, input_tokens: 1, output_tokens: 1 },
        { team_id: "team_b", hour_start: h0 + HOUR, key_id: "", model: "claude", project_id: "p1", user_id: "u1", requests: 1, cost_micros: 30, byok_cost_micros: 0, input_tokens: 0, output_tokens: 0 },
        { team_id: "team_c", hour_start: up, key_id: "k8", model: "gpt", project_id: "", user_id: "", requests: 2, cost_micros: 200, byok_cost_micros: 20, input_tokens: 20, output_tokens: 2 },
        { team_id: "team_c", hour_start: up, key_id: "k9", model: "gpt", project_id: "", user_id: "", requests: 3, cost_micros: 300, byok_cost_micros: 0, input_tokens: 30, output_tokens: 3 },
      ]);
      expect(num(await db.query(`select * from usage_rollups_team order by team_id, hour_start`))).toEqual([
        { team_id: "team_a", hour_start: h0, model: "gpt", requests: 2, cost_micros: 100, byok_cost_micros: 50, input_tokens: 15, output_tokens: 1 },
        { team_id: "team_a", hour_start: up, model: "gpt", requests: 1, cost_micros: 7, byok_cost_micros: 0, input_tokens: 1, output_tokens: 1 },
        { team_id: "team_b", hour_start: h0 + HOUR, model: "claude", requests: 1, cost_micros: 30, byok_cost_micros: 0, input_tokens: 0, output_tokens: 0 },
        { team_id: "team_c", hour_start: up, model: "gpt", requests: 5, cost_micros: 500, byok_cost_micros: 20, input_tokens: 50, output_tokens: 5 },
      ]);
    } finally {
      await db.close();
    }
  });

  it("changes nothing on a database whose rollups are whole", async () => {
    const db = await openFresh();
    try {
      await db.migrate(upTo0010());
      const up = 1_800_000_000_000 - (1_800_000_000_000 % HOUR);
      // A report recorded a few seconds before its batch's hour began, counted in that hour.
      await db.query(`
        insert into usage_events (id, request_id, team_id, key_id, project_id, user_id, model, cost_micros, byok, input_tokens, output_tokens, created_at) values
          ('e1', 'r1', 'team_a', 'k1', null, null, 'gpt', 100, false, 10, 1, ${up - 2000})`);
      await db.query(`
        insert into usage_rollups values ('team_a', ${up}, 'k1', 'gpt', '', '', 1, 100, 0, 10, 1)`);
      await db.query(`insert into usage_rollups_team values ('team_a', ${up}, 'gpt', 1, 100, 0, 10, 1)`);
      await db.migrate(upTo0010AndRepair());
      expect(num(await db.query(`select hour_start, requests, cost_micros from usage_rollups`))).toEqual([{ hour_start: up, requests: 1, cost_micros: 100 }]);
      expect(num(await db.query(`select hour_start, requests, cost_micros from usage_rollups_team`))).toEqual([{ hour_start: up, requests: 1, cost_micros: 100 }]);
    } finally {
      await db.close();
    }
  });
});
