import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { Keyring, KeyringError } from "./keyring.js";

/**
 * A column holding values sealed with the keyring (`Keyring.seal`), described so that generic
 * tools can reach every one: `npm run keys:reencrypt` (re-seals with the newest key) and the
 * start-up check (is every stored value readable with the configured keys?). An area that stores
 * sealed values describes its column and adds it to `src/sealed-columns.ts`.
 */
export type SealedColumn = {
  /** For people: "BYOK credentials". */
  label: string;
  /** SQL names: the table, its primary key columns, the sealed column. */
  table: string;
  key: string[];
  column: string;
  /** The other columns `aad` reads (SQL names). */
  aadColumns: string[];
  /** The additional data the value was sealed with, from the row's key and `aadColumns`. */
  aad(row: Record<string, unknown>): string;
};

type Row = Record<string, unknown>;

const ident = (names: string[]) => sql.join(names.map((n) => sql.identifier(n)), sql`, `);
const keyOf = (col: SealedColumn, row: Row) => col.key.map((k) => String(row[k])).join("/");
const keyMatch = (col: SealedColumn, row: Row): SQL => sql.join(col.key.map((k) => sql`${sql.identifier(k)} = ${row[k]}`), sql` and `);

export type ReencryptReport = {
  label: string;
  table: string;
  column: string;
  /** Re-sealed with the newest key. */
  resealed: number;
  /** Could not be opened with any configured key (left as they were). */
  failed: { key: string; message: string }[];
};

/**
 * Re-seals every value of `col` not sealed with the keyring's newest key, `batchSize` rows per
 * transaction (rows locked while re-sealed; a row changed meanwhile is left to the change). Values
 * that cannot be opened are reported and left as they are.
 */
export async function reencryptColumn(db: Db, keyring: Keyring, col: SealedColumn, batchSize = 200): Promise<ReencryptReport> {
  const report: ReencryptReport = { label: col.label, table: col.table, column: col.column, resealed: 0, failed: [] };
  const columns = [...new Set([...col.key, ...col.aadColumns, col.column])];
  const current = keyring.currentKeyId;
  let after: Row | undefined;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const cursor = after ? sql`and (${ident(col.key)}) > (${sql.join(col.key.map((k) => sql`${after![k]}`), sql`, `)})` : sql``;
      const rows = rowsOf<Row>(
        await tx.execute(sql`
          select ${ident(columns)} from ${sql.identifier(col.table)}
          where ${sql.identifier(col.column)} is not null and split_part(${sql.identifier(col.column)}, '.', 2) <> ${current} ${cursor}
          order by ${ident(col.key)} limit ${batchSize} for update`),
      );
      for (const row of rows) {
        const sealed = row[col.column] as string;
        const aad = col.aad(row);
        let plain: string;
        try {
          plain = keyring.open(sealed, aad);
        } catch (err) {
          if (!(err instanceof KeyringError)) throw err;
          report.failed.push({ key: keyOf(col, row), message: err.message });
          continue;
        }
        await tx.execute(
          sql`update ${sql.identifier(col.table)} set ${sql.identifier(col.column)} = ${keyring.seal(plain, aad)}
              where ${keyMatch(col, row)} and ${sql.identifier(col.column)} = ${sealed}`,
        );
        report.resealed++;
      }
      return rows;
    });
    if (batch.length < batchSize) return report;
    after = batch[batch.length - 1];
  }
}

export type SealedCheck = {
  label: string;
  /** Stored values per key id. */
  byKeyId: Record<string, number>;
  /** What is wrong, in words (empty: every key id in use is configured and opens a sample value). */
  problems: string[];
};

/**
 * Start-up check of one sealed column: which key ids its values use, and whether the keyring holds
 * each and opens a sample value of each (a wrong key with a right id is caught here, not on first use).
 */
export async function checkSealedColumn(db: Db, keyring: Keyring | null, col: SealedColumn): Promise<SealedCheck> {
  const counted = rowsOf<{ key_id: string; n: number | string }>(
    await db.execute(sql`
      select split_part(${sql.identifier(col.column)}, '.', 2) as key_id, count(*) as n
      from ${sql.identifier(col.table)} where ${sql.identifier(col.column)} is not null group by 1`),
  );
  const out: SealedCheck = { label: col.label, byKeyId: {}, problems: [] };
  const columns = [...new Set([...col.key, ...col.aadColumns, col.column])];
  const values = (n: number) => `${n} stored value${n === 1 ? "" : "s"}`;
  for (const { key_id: id, n } of counted) out.byKeyId[id] = Number(n);
  if (!keyring) {
    const total = Object.values(out.byKeyId).reduce((a, b) => a + b, 0);
    if (total > 0) out.problems.push(`${col.label}: ${values(total)} cannot be read: TOLLGATE_ENCRYPTION_KEY is not set.`);
    return out;
  }
  for (const { key_id: id, n } of counted) {
    const [sample] = rowsOf<Row>(
      await db.execute(sql`
        select ${ident(columns)} from ${sql.identifier(col.table)}
        where split_part(${sql.identifier(col.column)}, '.', 2) = ${id} limit 1`),
    );
    if (!sample) continue;
    try {
      keyring.open(sample[col.column] as string, col.aad(sample));
    } catch (err) {
      if (!(err instanceof KeyringError)) throw err;
      out.problems.push(`${col.label}: ${values(Number(n))} under key id "${id}" cannot be read: ${err.message}`);
    }
  }
  return out;
}
