import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { RateLimits } from "../../src/ratelimit/limits.js";

/** The tests' Redis (database index from REDIS_TEST_URL, default db 5): the Redis tests fail when it is down (`requireRedis`). */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL || process.env.REDIS_URL || "redis://127.0.0.1:6379/5";

export async function redisAvailable(): Promise<boolean> {
  const r = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Fails, saying why, when the tests' Redis is not there: Redis tests never skip (CI provides it; README: Services). */
export async function requireRedis(): Promise<void> {
  if (!(await redisAvailable())) throw new Error(`The Redis tests need Redis at ${REDIS_TEST_URL}: start it (README: Services) or set REDIS_TEST_URL.`);
}

/** A unique key prefix per test, so runs (and parallel workers) never share counters. */
export const testPrefix = () => `tollgate-test-${randomBytes(6).toString("hex")}`;

export async function redisLimits(prefix: string): Promise<RateLimits> {
  const limits = RateLimits.redis(REDIS_TEST_URL, { prefix });
  // Wait until connected: before that, counts go to the per-instance fallback.
  for (let i = 0; i < 100 && !limits.ready; i++) await new Promise((r) => setTimeout(r, 10));
  return limits;
}
