import postgres from "postgres";

/** The `postgres` project's check (vitest.config.ts): its tests fail, all at once and saying why, when Postgres is not there. */
export default async function requirePostgres(): Promise<void> {
  const url = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (err) {
    throw new Error(
      `The Postgres-only tests (*.pg.test.ts) need Postgres at ${url.replace(/\/\/[^@]*@/, "//…@")}: ${(err as Error).message}. Start it (README: Services) or set DATABASE_URL.`,
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}
