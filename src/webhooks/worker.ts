import type { Db } from "../db/client.js";
import { systemClock, type Clock } from "../lib/clock.js";
import { KeyringError, type Keyring } from "../lib/keyring.js";
import type { Logger } from "../lib/logger.js";
import { claimDue, pruneEvents, recordDelivered, recordFailed, releaseClaim, sweepExpiringKeys, type Claimed, type TeamFilter } from "./deliveries.js";
import { bodyFor } from "./events.js";
import { bindWebhookQueue, countAttempt } from "./metrics.js";
import { aadOf } from "./secret.js";
import { DELIVERY_TIMEOUT_MS, postWebhook, signedHeaders, type SendResult } from "./send.js";

export type WorkerDeps = {
  db: Db;
  /** Schedules: when a delivery is due, backoff, the 3-day rule, the expiry notices. */
  clock: Clock;
  keyring: Keyring | null;
  log: Logger;
  config: { webhooksAllowPrivate: boolean };
};

export type WorkerOptions = {
  /** How often an idle worker looks for due deliveries. */
  pollMs?: number;
  /** Deliveries claimed (and sent concurrently) at a time. */
  batch?: number;
  /** How long a receiver has to answer. */
  timeoutMs?: number;
  /** How often the expiry notices are looked for (and old events dropped). */
  sweepEveryMs?: number;
  /** Only these teams' deliveries and keys (tests share one database between workers). */
  teamIds?: TeamFilter;
  /**
   * The time in `webhook-timestamp`: the moment of sending, which receivers compare with their own
   * clock (replay protection). The system clock, also when `clock` is a test's manual clock.
   */
  wallClock?: Clock;
};

/**
 * Sends the outbox (src/webhooks/outbox.ts). Every instance runs one: each claims due deliveries
 * in the database (`claimDue`), so a delivery is sent by one instance, and everything it knows is
 * in the database, so a restart loses nothing (an attempt in flight when an instance dies is tried
 * again after its lease). Also sweeps for keys about to expire, once a minute.
 */
/** How soon a delivery this instance could not make is offered again (to any instance). */
const NOT_HERE_RETRY_MS = 60_000;

export class WebhookWorker {
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly timeoutMs: number;
  private readonly sweepEveryMs: number;
  private readonly wallClock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastSweep = -Infinity;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly opts: WorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.batch = opts.batch ?? 20;
    this.timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.sweepEveryMs = opts.sweepEveryMs ?? 60_000;
    this.wallClock = opts.wallClock ?? systemClock;
  }

  /** Starts the loop (and reports its queue depth in /metrics). */
  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    bindWebhookQueue(this.deps.db);
    this.schedule(0);
    return this;
  }

  /** Stops the loop; resolves once the attempts in flight are recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.loop().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    let next = this.pollMs;
    try {
      if (performance.now() - this.lastSweep >= this.sweepEveryMs) {
        this.lastSweep = performance.now();
        await this.sweep();
      }
      if ((await this.tick()) >= this.batch) next = 0; // more may be due
    } catch (err) {
      // The database is unreachable, most likely: nothing is lost (the outbox is there), try again a little later.
      next = Math.min(30_000, this.pollMs * 5);
      this.deps.log.error("webhook worker: cannot read the outbox; retrying", { error: err instanceof Error ? err.message : String(err), retryInMs: next });
    }
    this.schedule(next);
  }

  /** Claims the deliveries due now and sends them; resolves once every result is recorded. Returns how many. */
  async tick(): Promise<number> {
    const claimed = await claimDue(this.deps.db, this.deps.clock.now(), this.batch, this.opts.teamIds);
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  /** Ticks until nothing is due now (for tests and scripts). Returns how many attempts were made. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.tick(); n > 0; n = await this.tick()) total += n;
    return total;
  }

  /** The expiry notices due now, and the pruning of old events. Returns the notices written. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    const written = await sweepExpiringKeys(this.deps.db, now, this.opts.teamIds);
    if (!this.opts.teamIds) await pruneEvents(this.deps.db, now);
    return written;
  }

  private async deliver(c: Claimed): Promise<void> {
    const { log } = this.deps;
    let result: SendResult;
    const secret = this.secretOf(c);
    if (!secret.ok && secret.notHere) {
      // Another instance (with the key) may send it: this one neither sends nor counts an attempt.
      log.error("webhook delivery skipped on this instance", { webhookId: c.endpointId, eventId: c.eventId, error: secret.error, retryInMs: NOT_HERE_RETRY_MS });
      await releaseClaim(this.deps.db, c, this.deps.clock.now(), NOT_HERE_RETRY_MS).catch(() => {});
      return;
    }
    if (!secret.ok) result = { ok: false, status: null, error: secret.error };
    else {
      const body = bodyFor(c.format, c.type, c.createdAt, c.data);
      const headers = signedHeaders(secret.secret, c.eventId, new Date(this.wallClock.now()), body);
      result = await postWebhook(c.url, body, headers, { timeoutMs: this.timeoutMs, allowPrivate: this.deps.config.webhooksAllowPrivate });
    }
    const now = this.deps.clock.now();
    try {
      if (result.ok) {
        if (await recordDelivered(this.deps.db, c, result.status, now)) countAttempt("delivered");
        return;
      }
      const { outcome, disabled } = await recordFailed(this.deps.db, c, { status: result.status, error: result.error }, now);
      if (outcome === "stale") return;
      countAttempt(outcome);
      log.info("webhook delivery failed", { webhookId: c.endpointId, eventId: c.eventId, type: c.type, attempt: c.attempt, outcome, error: result.error });
      if (disabled) log.error("webhook endpoint disabled", { webhookId: c.endpointId, teamId: c.teamId, reason: disabled });
    } catch (err) {
      // Not recorded: the attempt is tried again after its lease.
      log.error("webhook worker: cannot record an attempt", { webhookId: c.endpointId, eventId: c.eventId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The endpoint's secret; `notHere` when this instance lacks the key it was sealed with (another may have it). */
  private secretOf(c: Claimed): { ok: true; secret: string } | { ok: false; error: string; notHere: boolean } {
    if (!this.deps.keyring) return { ok: false, error: "the signing secret cannot be read: this server has no TOLLGATE_ENCRYPTION_KEY", notHere: true };
    try {
      return { ok: true, secret: this.deps.keyring.open(c.sealedSecret, aadOf(c.teamId, c.endpointId)) };
    } catch (err) {
      if (!(err instanceof KeyringError)) throw err;
      return { ok: false, error: `the signing secret cannot be decrypted (${err.reason})`, notHere: err.reason === "unknown_key" };
    }
  }
}
