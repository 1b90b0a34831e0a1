import { settleAuthorized, subjectOfCaller, type Authorized } from "../gateway/authorize.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { PriceTable } from "./prices.js";
import type { UsageTally } from "./usage.js";

/**
 * What a gateway request cost, recorded through the usage path in-process (the same batcher as
 * `POST /v1/gateway/usage`): integer micro-dollars from the tokens the provider reported, each kind
 * (uncached input, cache reads, cache writes, output, reasoning) × its price in the table, with the
 * tokens of each kind and whether a BYOK credential served it. A model without a price is
 * recorded at cost 0, counted in `unpriced`, and logged once per model.
 */
export class Metering {
  readonly prices: PriceTable;
  /** Requests recorded at cost 0 because their model has no price, per model (for /metrics). */
  readonly unpriced = new Map<string, number>();

  constructor(private readonly deps: DataPlaneDeps) {
    this.prices = new PriceTable(deps.config.priceOverrides, deps.clock);
  }

  /**
   * `counted`: for a request cut off (client gone, upstream timeout) or answered without usage, the
   * tokens counted with the tokenizer (its input, and the output delivered so far): the input when
   * the provider reported none, the output when it reported less, so a request that reached the
   * provider is never recorded at 0.
   * The request's reservations (hard budgets, tokensPerMinute) become what is recorded.
   * `call.endUser` and `call.tags` (the AI SDK's `providerOptions.gateway.user` and `tags`) are
   * stored with the usage when set.
   */
  record(
    auth: Authorized,
    call: { model: string; upstreamModel: string; requestId: string; byok: boolean; endUser?: string | null; tags?: string[] | null },
    tally: UsageTally,
    counted?: { input(): number; output(): number },
  ): void {
    if (counted) {
      if (!tally.seen) tally.inputTokens = counted.input();
      tally.outputTokens = Math.max(tally.outputTokens, counted.output());
      tally.seen = true;
    }
    const provider = call.model.slice(0, call.model.length - call.upstreamModel.length - 1);
    let micros = this.prices.costMicros(provider, call.upstreamModel, tally);
    if (micros === null) {
      micros = 0;
      const seen = this.unpriced.get(call.model);
      this.unpriced.set(call.model, (seen ?? 0) + 1);
      if (seen === undefined) this.deps.log.info("no price for this model: its requests are recorded at cost 0 (add it to TOLLGATE_PRICES)", { model: call.model });
    }
    const subject = subjectOfCaller(auth.caller);
    // Nobody waits for this report (the answer never waits for it): its batch may wait for others (HELD_REPORT_WAIT_MS).
    const submitted = this.deps.usage.submit(
      {
        subject,
        requestId: call.requestId,
        model: call.model,
        micros,
        byok: call.byok,
        inputTokens: tally.seen ? tally.inputTokens : null,
        outputTokens: tally.seen ? tally.outputTokens : null,
        cacheReadTokens: tally.seen ? tally.cacheReadTokens : null,
        cacheWriteTokens: tally.seen ? tally.cacheWriteTokens : null,
        reasoningTokens: tally.seen ? tally.reasoningTokens : null,
        endUser: call.endUser || null,
        tags: call.tags || null,
        createdAt: this.deps.clock.now(),
      },
      true,
    );
    const tokens = tally.seen ? tally.inputTokens + tally.outputTokens : 0;
    // Tokens count towards the key's tokensPerMinute once the request is recorded (as usage reports
    // do), unless reserved at admission. What the callbacks below need is copied out first: they
    // live until the held report's batch commits (20 ms or more), and a callback that read `call`
    // or `tally` would keep the whole request's objects alive that long (garbage the young
    // generation then copies instead of dropping).
    const tokensOf = subject.keyId !== null && tally.seen && auth.tokens == null ? subject.keyId : null;
    const { requestId, model } = call;
    settleAuthorized(this.deps, auth, micros, tokens, submitted);
    submitted.then(
      (result) => {
        if (result.recorded && tokensOf !== null) this.deps.rateLimits.countTokens(tokensOf, tokens);
      },
      (err: unknown) => this.deps.log.error("gateway usage not recorded", { requestId, model, error: String(err) }),
    );
  }
}
