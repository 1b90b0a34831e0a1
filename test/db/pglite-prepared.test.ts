import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, preparedStatement, type Database } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/rows.js";

/**
 * The embedded database runs hot statements (the usage batch) as named prepared statements on its
 * one session. That session is also every transaction's: a statement must wait for an open
 * transaction to end, as PGlite's own `query` does, and never run (and commit or roll back) inside it.
 */
describe("embedded database: prepared statements and open transactions", () => {
  let database: Database;
  const count = preparedStatement(1, (v) => sql`select count(*)::int as n from probe where v = ${v}`);
  const insert = preparedStatement(1, (v) => sql`insert into probe (v) values (${v}) returning v`);

  beforeAll(async () => {
    database = await openDatabase({ dataDir: "memory://" });
    await database.db.execute(sql`create table probe (v text not null)`);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("waits for another caller's transaction, so it neither sees its uncommitted rows nor is rolled back with it", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const tx = database.db
      .transaction(async (t) => {
        await t.execute(sql`insert into probe (v) values ('uncommitted')`);
        opened();
        await held;
        throw new Error("roll back");
      })
      .catch((e: Error) => e.message);
    await open;

    // Both issued while the transaction is open.
    const seen = count(database.db, "uncommitted");
    const written = insert(database.db, "mine");
    let settled = false;
    void Promise.all([seen, written]).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);

    release();
    expect(await tx).toBe("roll back");
    expect(rowsOf<{ n: number }>(await seen)).toEqual([{ n: 0 }]);
    expect(rowsOf<{ v: string }>(await written)).toEqual([{ v: "mine" }]);
    // The transaction's row went with its rollback; the prepared insert stayed.
    const rows = rowsOf<{ v: string }>(await database.db.execute(sql`select v from probe order by v`));
    expect(rows.map((r) => r.v)).toEqual(["mine"]);
  });

  it("runs the same text again from its prepared statement, with new values each time", async () => {
    for (const v of ["a", "b", "a"]) await insert(database.db, v);
    expect(rowsOf<{ n: number }>(await count(database.db, "a"))).toEqual([{ n: 2 }]);
    expect(rowsOf<{ n: number }>(await count(database.db, "b"))).toEqual([{ n: 1 }]);
    expect(rowsOf<{ n: number }>(await count(database.db, "none"))).toEqual([{ n: 0 }]);
  });
});
