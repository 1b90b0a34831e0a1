/** True for a Postgres unique violation (23505), from PGlite or postgres-js, wrapped by drizzle or not. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown; message?: unknown };
    if (pg.code === "23505") {
      if (!constraint) return true;
      const name = pg.constraint ?? pg.constraint_name;
      return name === constraint || (typeof pg.message === "string" && pg.message.includes(constraint));
    }
  }
  return false;
}
