/** Messages between the HTTP thread and the embedded database's thread (src/db/pglite-worker.ts). */

/** `object` and `array` as PGlite's `rowMode`; absent: PGlite's defaults (objects, its own parsers). */
export type RowMode = "object" | "array";

export type Request =
  | { id: number; op: "query"; sql: string; params: unknown[] | undefined; mode: RowMode | undefined; tx: number | undefined }
  | { id: number; op: "exec"; sql: string; tx: number | undefined }
  /** A hot statement run as a named prepared statement (parsed and planned once per text), outside any transaction. */
  | { id: number; op: "prepared"; sql: string; params: unknown[] }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "listen"; channel: string }
  | { id: number; op: "unlisten"; channel: string }
  | { id: number; op: "close" };

/** A thrown value as it crosses: its message, name and plain fields (`code`, `constraint`, ...). */
export type WireError = { message: string; name: string; fields: Record<string, unknown> };

export type Reply =
  | { ok: true; id: number; result: unknown }
  | { ok: false; id: number; error: WireError }
  | { notify: string; payload: string }
  | { ready: true }
  | { ready: false; error: WireError };
