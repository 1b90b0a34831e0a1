import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One migrated database per worker, shared by the test files that worker runs (PGlite's
    // first start costs seconds). Tests isolate themselves by creating fresh teams and users.
    isolate: false,
    pool: "forks",
    maxWorkers: 2,
  },
});
