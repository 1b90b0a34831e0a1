import { defineConfig } from "vitest/config";

/**
 * Two projects, both run by `npm test`:
 * - `main`: everything but the Postgres-only tests, on PGlite (or on Postgres with DATABASE_URL).
 * - `postgres`: the tests that only mean something on Postgres (`*.pg.test.ts`: several instances
 *   on one database, a database cut through a proxy, a rolling upgrade), always on Postgres:
 *   DATABASE_URL, else the local one (README: Services). They fail, never skip, when it is down;
 *   so do the Redis tests of `main` when Redis is (test/helpers/services.ts).
 */
export const POSTGRES_TEST_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One migrated database per worker, shared by the test files that worker runs (PGlite's
    // first start costs seconds). Tests isolate themselves by creating fresh teams and users.
    isolate: false,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "main", include: ["test/**/*.test.ts"], exclude: ["test/**/*.pg.test.ts"] } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["test/**/*.pg.test.ts"],
          env: { DATABASE_URL: POSTGRES_TEST_URL },
          globalSetup: ["test/helpers/require-postgres.ts"],
        },
      },
    ],
  },
});
