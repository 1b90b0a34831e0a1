/**
 * The embedded database's thread: PGlite runs its statements on the thread that calls it, so it
 * runs here, and the thread that serves HTTP only posts statements and reads answers
 * (src/db/pglite-remote.ts). One message in, one message out, in order; notifications are posted
 * as they are delivered (before the answer of the statement that committed them).
 */
import { parentPort, workerData } from "node:worker_threads";
import { parse, PGlite, protocol, types, type Transaction } from "@electric-sql/pglite";
import type { Reply, Request, RowMode, WireError } from "./pglite-protocol.js";

const port = parentPort!;
const { dataDir, pgliteWasmModule, initdbWasmModule } = workerData as { dataDir: string; pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module };

// drizzle reads dates, times and intervals as the text Postgres sends (its pglite driver passes
// these parsers): the same here, by OID, since functions cannot cross threads.
const keepText = (value: string) => value;
const textParsers: Record<number, (value: string) => string> = {};
for (const oid of [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182]) textParsers[oid] = keepText;

const optionsOf = (mode: RowMode | undefined) => (mode === undefined ? undefined : { rowMode: mode, parsers: textParsers });

/** The open transactions, by id: each waits for its `end`. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
let nextTx = 1;

function errorOf(err: unknown): { ok: false; id: number; error: WireError } {
  const e = err as Record<string, unknown> & { message?: unknown; name?: unknown };
  const fields: Record<string, unknown> = {};
  if (e && typeof e === "object") {
    for (const [k, v] of Object.entries(e)) if (v === null || ["string", "number", "boolean"].includes(typeof v)) fields[k] = v;
  }
  return { ok: false, id: 0, error: { message: String(e?.message ?? err), name: typeof e?.name === "string" ? e.name : "Error", fields } };
}

/** The statements prepared on this database's one session, by text: their name and parameter types. */
const prepared = new Map<string, { name: string; paramTypes: number[] }>();

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

/**
 * `sql` as a named prepared statement: parsed and described once (PGlite's `query` parses and
 * plans on every call), then bound and executed; parameters serialized and rows parsed as `query`
 * does. It waits, as `query` does, for both of PGlite's locks: the transactions' (an open
 * transaction ends first: its one session would otherwise run this inside it) and the queries'.
 * (`runExclusive` alone takes only the second.)
 */
function queryPrepared(db: PGlite, sql: string, params: unknown[]) {
  return db._runExclusiveTransaction(() => db._runExclusiveQuery(async () => {
    let statement = prepared.get(sql);
    if (statement === undefined) {
      const name = `tollgate_${prepared.size + 1}`;
      const described = await db.execProtocol(concat([protocol.serialize.parse({ name, text: sql, types: [] }), protocol.serialize.describe({ type: "S", name }), protocol.serialize.sync()]));
      statement = { name, paramTypes: parse.parseDescribeStatementResults(described.messages) };
      prepared.set(sql, statement);
    }
    const { paramTypes } = statement;
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serialize = db.serializers[paramTypes[i]!];
      return serialize ? serialize(v as never) : String(v);
    });
    const { messages } = await db.execProtocol(
      concat([protocol.serialize.bind({ statement: statement.name, values }), protocol.serialize.describe({ type: "P" }), protocol.serialize.execute({}), protocol.serialize.sync()]),
    );
    const [r] = parse.parseResults(messages, db.parsers);
    return { rows: r?.rows ?? [], affectedRows: r?.affectedRows ?? 0, fields: r?.fields ?? [] };
  }));
}

function handle(req: Request, db: PGlite): Promise<unknown> {
  switch (req.op) {
    case "prepared":
      return queryPrepared(db, req.sql, req.params);
    case "query": {
      const on = req.tx === undefined ? db : open.get(req.tx)?.tx;
      if (!on) return Promise.reject(new Error("no such transaction"));
      return on.query(req.sql, req.params, optionsOf(req.mode)).then((r) => ({ rows: r.rows, affectedRows: r.affectedRows, fields: r.fields }));
    }
    case "exec": {
      const on = req.tx === undefined ? db : open.get(req.tx)?.tx;
      if (!on) return Promise.reject(new Error("no such transaction"));
      return on.exec(req.sql).then((rs) => rs.map((r) => ({ rows: r.rows, affectedRows: r.affectedRows, fields: r.fields })));
    }
    case "begin":
      return new Promise((started, failed) => {
        const id = nextTx++;
        let began = false;
        db.transaction(
          (tx) =>
            new Promise<void>((commit, rollback) => {
              began = true;
              open.set(id, { tx, end: (ok) => (ok ? commit() : rollback(new RolledBack())) });
              started(id);
            }),
        ).then(
          () => settle(id, null),
          (err) => (began ? settle(id, err) : failed(err)),
        );
      });
    case "end": {
      const t = open.get(req.tx);
      if (!t) return Promise.reject(new Error("no such transaction"));
      return new Promise((done, failed) => {
        ending.set(req.tx, (err) => (err === null || (err instanceof RolledBack && !req.commit) ? done(null) : failed(err)));
        open.delete(req.tx);
        t.end(req.commit);
      });
    }
    case "listen":
      return db
        .listen(req.channel, (payload) => port.postMessage({ notify: req.channel, payload } satisfies Reply))
        .then((unlisten) => {
          listeners.set(req.channel, unlisten);
          return null;
        });
    case "unlisten": {
      const unlisten = listeners.get(req.channel);
      listeners.delete(req.channel);
      return unlisten ? unlisten().then(() => null) : Promise.resolve(null);
    }
    case "close":
      return db.close().then(() => null);
  }
}

class RolledBack extends Error {}
const ending = new Map<number, (err: unknown) => void>();
const listeners = new Map<string, () => Promise<void>>();

function settle(id: number, err: unknown): void {
  const done = ending.get(id);
  ending.delete(id);
  done?.(err);
}

try {
  const db = await PGlite.create(dataDir, { pgliteWasmModule, initdbWasmModule });
  port.on("message", (req: Request) => {
    handle(req, db).then(
      (result) => port.postMessage({ ok: true, id: req.id, result } satisfies Reply),
      (err) => port.postMessage({ ...errorOf(err), id: req.id } satisfies Reply),
    );
  });
  port.postMessage({ ready: true } satisfies Reply);
} catch (err) {
  port.postMessage({ ready: false, error: errorOf(err).error } satisfies Reply);
}
