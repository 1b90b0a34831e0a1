import { subjectOfCaller, type Authorized } from "../gateway/v1_gateway_authorize.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { PriceTable } from "./prices.js";
import type { UsageTally } from "./usage.js";

/**
 * What a gateway request cost, recorded through the usage path in-process (the same batcher as
 * `POST /v1/gateway/usage`): integer micro-dollars from the tokens the provider reported × the price
 * table, with the tokens and whether a BYOK credential served it. A model without a price is
 * recorded at cost 0, counted in `unpriced`, and logged once per model.
 */
export class Metering {
  readonly prices: PriceTable;
  /** Requests recorded at cost 0 because their model has no price, per model (for /metrics). */
  readonly unpriced = new Map<string, number>();

  constructor(private readonly deps: DataPlaneDeps) {
    this.prices = new PriceTable(deps.config.priceOverrides);
  }

  record(auth: Authorized, call: { model: string; upstreamModel: string; requestId: string; byok: boolean }, tally: UsageTally): void {
    const provider = call.model.slice(0, call.model.length - call.upstreamModel.length - 1);
    let micros = this.prices.costMicros(provider, call.upstreamModel, tally);
    if (micros === null) {
      micros = 0;
      const seen = this.unpriced.get(call.model);
      this.unpriced.set(call.model, (seen ?? 0) + 1);
      if (seen === undefined) this.deps.log.info("no price for this model: its requests are recorded at cost 0 (add it to TOLLGATE_PRICES)", { model: call.model });
    }
    const subject = subjectOfCaller(auth.caller);
    this.deps.usage
      .submit({
        subject,
        requestId: call.requestId,
        model: call.model,
        micros,
        byok: call.byok,
        inputTokens: tally.seen ? tally.inputTokens : null,
        outputTokens: tally.seen ? tally.outputTokens : null,
        createdAt: this.deps.clock.now(),
      })
      .then((result) => {
        // Tokens count towards the key's tokensPerMinute once the request is recorded (as usage reports do).
        if (result.recorded && subject.keyId !== null && tally.seen) this.deps.rateLimits.countTokens(subject.keyId, tally.inputTokens + tally.outputTokens);
      })
      .catch((err: unknown) => this.deps.log.error("gateway usage not recorded", { requestId: call.requestId, model: call.model, error: String(err) }));
  }
}
