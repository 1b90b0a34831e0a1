export type LogLevel = "silent" | "error" | "info" | "debug";
/** `notice` is not a setting: the start-up lines an operator must see, written at every level but `silent`. */
type LineLevel = Exclude<LogLevel, "silent"> | "notice";
const ORDER: Record<LogLevel | "notice", number> = { silent: 0, notice: 1, error: 1, info: 2, debug: 3 };

/** `json`: one JSON object per line (for log collectors); `text`: one readable line (for a terminal). */
export type LogFormat = "json" | "text";

export type Logger = {
  /** Whether `level` is written (skip building fields that would be dropped). */
  enabled(level: LineLevel): boolean;
  error(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** What the operator must see at start (the first user's token, an API that is off): written at every level but `silent`. */
  notice(msg: string, fields?: Record<string, unknown>): void;
  /**
   * The same logger, every line of which also carries `fields` (e.g. a request's `requestId`, so
   * that what one request caused is found by its id). Cheap: build it when there is a line to write.
   */
  child(fields: Record<string, unknown>): Logger;
};

export type LoggerOptions = {
  /** Default: `text` when stdout is a terminal, `json` otherwise. */
  format?: LogFormat;
  /** Where each line goes (default: stdout). */
  write?: (line: string) => void;
};

/**
 * The one logger: every line the server writes, the start-up banner included, goes through it.
 * Callers pass only non-secret fields: request logs carry method, path (never the query string or
 * a body), status and the request id.
 */
export function createLogger(level: LogLevel, opts: LoggerOptions | ((line: string) => void) = {}): Logger {
  const o: LoggerOptions = typeof opts === "function" ? { write: opts } : opts;
  const write = o.write ?? ((l: string) => void process.stdout.write(l + "\n"));
  const format = o.format ?? (process.stdout.isTTY ? "text" : "json");
  const line = format === "json" ? jsonLine : textLine;
  const make = (bound: Record<string, unknown> | undefined): Logger => {
    const at = (l: LineLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] >= ORDER[l]) write(line(l, msg, bound === undefined ? fields : fields === undefined ? bound : { ...bound, ...fields }));
    };
    return {
      enabled: (l) => ORDER[level] >= ORDER[l],
      error: at("error"),
      info: at("info"),
      debug: at("debug"),
      notice: at("notice"),
      child: (fields) => make(bound === undefined ? fields : { ...bound, ...fields }),
    };
  };
  return make(undefined);
}

function jsonLine(level: string, msg: string, fields: Record<string, unknown> | undefined): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
}

/** `12:00:00.000 INFO  listening url=http://localhost:3000 …` (strings with spaces quoted). */
function textLine(level: string, msg: string, fields: Record<string, unknown> | undefined): string {
  let out = `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${msg}`;
  if (fields !== undefined) {
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      const s = typeof v === "string" ? v : JSON.stringify(v);
      out += ` ${k}=${typeof v === "string" && /[\s"=]/.test(s) ? JSON.stringify(s) : s}`;
    }
  }
  return out;
}
