/**
 * `tollgate keys reencrypt` (`npm run keys:reencrypt` runs it): re-seals every sealed value (every
 * column in src/sealed-columns.ts) with the newest key of TOLLGATE_ENCRYPTION_KEY (on the embedded
 * database without it: the key file in the data dir), one transaction per batch, so that an older
 * key can be removed. Runs only when called (src/cli).
 *
 * Returns the exit code: 1 when a value cannot be opened with any configured key (it is left as it
 * was), or when there is no key. On the embedded database, stop the server first (one process at a
 * time opens its data dir): a data dir held by a running server, or a Postgres that cannot be
 * reached, is one line on stderr and 1.
 */
import type { Config } from "../config.js";
import { DatabaseUnreachable, openDatabase, type Database } from "../db/client.js";
import { DataDirLocked } from "../db/data-dir-lock.js";
import { SEALED_COLUMNS } from "../sealed-columns.js";
import { loadKeyring } from "./keyring.js";
import { checkSealedColumn, reencryptColumn } from "./sealed-columns.js";

export async function reencryptSecrets(config: Config): Promise<number> {
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: "tollgate keys reencrypt" });
  } catch (err) {
    return cannotOpen(err);
  }
  let failed = false;
  try {
    try {
      await database.migrate();
    } catch (err) {
      return cannotOpen(err);
    }
    const { keyring } = loadKeyring({ configured: config.encryptionKeys, databaseKind: database.kind, dataDir: config.dataDir });
    if (!keyring) {
      console.error("TOLLGATE_ENCRYPTION_KEY is not set: give the new key first, then the old ones (comma-separated, newest first).");
      return 1;
    }
    console.log(`Re-encrypting with key "${keyring.currentKeyId}" (keys held: ${keyring.keys.map((k) => k.id).join(", ")}).`);
    for (const col of SEALED_COLUMNS) {
      const r = await reencryptColumn(database.db, keyring, col);
      console.log(`  ${col.label} (${col.table}.${col.column}): ${r.resealed} re-encrypted${r.failed.length ? `, ${r.failed.length} could not be opened` : ""}`);
      for (const f of r.failed) console.log(`    ${f.key}: ${f.message}`);
      if (r.failed.length) failed = true;
      const after = await checkSealedColumn(database.db, keyring, col);
      const inUse = Object.entries(after.byKeyId).map(([id, n]) => `"${id}" ${n}`);
      console.log(`    now stored under: ${inUse.length ? inUse.join(", ") : "(nothing stored)"}`);
    }
    console.log(
      failed
        ? "Some values could not be re-encrypted: keep the keys they need (see above)."
        : `Done. Every sealed value uses key "${keyring.currentKeyId}": older keys can be removed from TOLLGATE_ENCRYPTION_KEY.`,
    );
  } finally {
    await database.close();
  }
  return failed ? 1 : 0;
}

/** A data dir held by a running server, or a Postgres that cannot be reached: one line, exit code 1. */
function cannotOpen(err: unknown): number {
  if (err instanceof DataDirLocked) {
    console.error(err.describe("stop it first, run this again, then start it (see docs/byok.md, Rotating the encryption key)."));
    return 1;
  }
  if (err instanceof DatabaseUnreachable) {
    console.error(err.message);
    return 1;
  }
  throw err;
}
