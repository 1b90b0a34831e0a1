type Level = "silent" | "error" | "info" | "debug";
const ORDER: Record<Level, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export type Logger = {
  /** Whether `level` is written (skip building fields that would be dropped). */
  enabled(level: Exclude<Level, "silent">): boolean;
  error(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
};

/**
 * One JSON line per event on stdout. Callers pass only non-secret fields: request logs carry
 * method, path (never the query string or a body) and status.
 */
export function createLogger(level: Level, write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Logger {
  const at = (l: Exclude<Level, "silent">) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] >= ORDER[l]) write(JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...fields }));
  };
  return { enabled: (l) => ORDER[level] >= ORDER[l], error: at("error"), info: at("info"), debug: at("debug") };
}
