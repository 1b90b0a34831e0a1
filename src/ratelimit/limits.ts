import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "../lib/logger.js";

/** A key's limits per minute (null: none of that kind). */
export type KeyLimits = { rateLimitRpm: number | null; rateLimitTpm: number | null; id: string };

/** Tokens reserved in a key's window by `admit`. */
export type TokenHold = { keyId: string; tokens: number; windowEnd: number; settled?: boolean };

/** Why a request is refused: which limit, and when its window ends. */
export type Refusal = { kind: "requestsPerMinute" | "tokensPerMinute"; limit: number; remaining: number; resetAt: number; retryAfterS: number };

const WINDOW_S = 60;
/** The counters never refuse by themselves: the limit is a key's, compared here. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Per-key request and token counters over fixed one-minute windows (rate-limiter-flexible). A
 * window starts at a key's first counted event and lasts 60 s. In memory each instance counts on
 * its own; with Redis (`REDIS_URL`) every instance counts in the same Redis keys (atomic INCRBY),
 * so a limit holds exactly across instances. While Redis is unreachable, each instance falls back
 * to its own in-memory counters (fail open per instance, never a 500).
 *
 * Requests are counted by authorize (refused ones included, as rate-limiter-flexible counts);
 * tokens by accepted usage reports (`inputTokens + outputTokens`), and authorize refuses once a
 * window's tokens reach the limit.
 */
export class RateLimits {
  private constructor(
    private readonly requests: RateLimiterAbstract,
    private readonly tokens: RateLimiterAbstract,
    private readonly log: Logger | undefined,
    private readonly closeStore: () => Promise<void>,
    private readonly isReady: () => boolean,
    /** "redis" or "memory" (shown in logs and the bench). */
    readonly store: "redis" | "memory",
  ) {}

  static memory(): RateLimits {
    return new RateLimits(
      new RateLimiterMemory({ keyPrefix: "rpm", points: UNBOUNDED, duration: WINDOW_S }),
      new RateLimiterMemory({ keyPrefix: "tpm", points: UNBOUNDED, duration: WINDOW_S }),
      undefined,
      async () => {},
      () => true,
      "memory",
    );
  }

  /**
   * Counters in Redis under `<prefix>:rpm:<keyId>` and `<prefix>:tpm:<keyId>`. Commands fail fast
   * while the connection is down (no offline queue) and fall back to in-memory counters.
   */
  static redis(url: string, opts: { prefix?: string; log?: Logger } = {}): RateLimits {
    // Auto-pipelining: the commands of every request in the same tick travel in one write.
    const client = new Redis(url, { enableOfflineQueue: false, enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: 1000 });
    let reported = false;
    client.on("error", (e: Error) => {
      if (!reported) opts.log?.error("redis unavailable; rate limits count per instance until it is back", { error: e.message });
      reported = true;
    });
    client.on("ready", () => {
      reported = false;
    });
    const prefix = opts.prefix ?? "tollgate";
    const make = (kind: string) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${prefix}:${kind}`,
        points: UNBOUNDED,
        duration: WINDOW_S,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${kind}`, points: UNBOUNDED, duration: WINDOW_S }),
      });
    return new RateLimits(
      make("rpm"),
      make("tpm"),
      opts.log,
      async () => void (await client.quit().catch(() => client.disconnect())),
      () => client.status === "ready",
      "redis",
    );
  }

  /** False while the Redis connection is not up (counts then go to the per-instance fallback). */
  get ready(): boolean {
    return this.isReady();
  }

  /** In Redis when a URL is given, else in memory. */
  static fromConfig(redisUrl: string | undefined, log?: Logger): RateLimits {
    return redisUrl ? RateLimits.redis(redisUrl, { log }) : RateLimits.memory();
  }

  /**
   * Counts one request for a key with a limit and says whether it is refused: over
   * `requestsPerMinute` in this window, or `tokensPerMinute` already used up.
   */
  async check(key: KeyLimits, now: number): Promise<Refusal | null> {
    const r = await this.admit(key, now, 0);
    return "kind" in r ? r : null;
  }

  /**
   * Like `check`, and reserves `reserveTokens` (a request's worst case) in the key's token window
   * when it has a `tokensPerMinute`: added at once (one atomic increment, in Redis shared by every
   * instance) and taken back when the total passes the limit, so concurrent requests are admitted
   * only as far as their worst cases fit (a refusal may be spurious under a race, an admission
   * never is). `settleTokens` later replaces the reservation by the tokens used.
   */
  async admit(key: KeyLimits, now: number, reserveTokens: number): Promise<Refusal | { reserved: TokenHold | null }> {
    const reserve = key.rateLimitTpm !== null && reserveTokens > 0 ? Math.ceil(reserveTokens) : 0;
    // Both counters at once (one round trip with Redis): a request refused for its tokens is
    // counted as a request too, as any refused request is.
    const [used, res] = await Promise.all([
      // Consuming 0 reads the count in one script call (a `get` is a MULTI of two commands).
      key.rateLimitTpm !== null ? this.tokens.consume(key.id, reserve) : null,
      key.rateLimitRpm !== null ? this.requests.consume(key.id, 1) : null,
    ]);
    // Taken back before the refusal is answered, so a refused request leaves nothing behind.
    const refund = async () => {
      if (reserve > 0) await this.tokens.reward(key.id, reserve).catch((e: unknown) => this.log?.error("token refund failed", { keyId: key.id, error: String(e) }));
    };
    if (used && key.rateLimitTpm !== null && (reserve > 0 ? used.consumedPoints > key.rateLimitTpm : used.consumedPoints >= key.rateLimitTpm)) {
      await refund();
      // What was in the window before this request's reservation.
      return refusal("tokensPerMinute", key.rateLimitTpm, used, now, used.consumedPoints - reserve);
    }
    if (res && key.rateLimitRpm !== null && res.consumedPoints > key.rateLimitRpm) {
      await refund();
      return refusal("requestsPerMinute", key.rateLimitRpm, res, now);
    }
    return { reserved: reserve > 0 && used ? { keyId: key.id, tokens: reserve, windowEnd: now + Math.max(0, used.msBeforeNext) } : null };
  }

  /**
   * Replaces a token reservation by the tokens the request used, in the window it was made in
   * (once that window has ended there is nothing to correct: a new window starts empty).
   */
  settleTokens(hold: TokenHold, used: number, now: number): void {
    if (hold.settled) return;
    hold.settled = true;
    if (now >= hold.windowEnd) return;
    const diff = Math.max(0, Math.ceil(used)) - hold.tokens;
    if (diff > 0) this.countTokens(hold.keyId, diff);
    else if (diff < 0) this.tokens.reward(hold.keyId, -diff).catch((e: unknown) => this.log?.error("token count failed", { keyId: hold.keyId, error: String(e) }));
  }

  /** The state of a key's windows, counting nothing (for tests and tools). */
  async peek(keyId: string): Promise<{ requests: number; tokens: number }> {
    const [r, t] = await Promise.all([this.requests.get(keyId), this.tokens.get(keyId)]);
    return { requests: r?.consumedPoints ?? 0, tokens: t?.consumedPoints ?? 0 };
  }

  /** Adds a usage report's tokens to its key's window (not awaited by the report: logged on failure). */
  countTokens(keyId: string, tokens: number): void {
    if (!(tokens > 0)) return;
    this.tokens.penalty(keyId, tokens).catch((e: unknown) => this.log?.error("token count failed", { keyId, error: String(e) }));
  }

  async close(): Promise<void> {
    await this.closeStore();
  }
}

function refusal(kind: Refusal["kind"], limit: number, res: RateLimiterRes, now: number, consumed = res.consumedPoints): Refusal {
  const ms = Math.max(0, res.msBeforeNext);
  return { kind, limit, remaining: Math.max(0, limit - consumed), resetAt: now + ms, retryAfterS: Math.max(1, Math.ceil(ms / 1000)) };
}
