import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageEvents } from "../../src/db/schema.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { authorize, report } from "../helpers/gateway.js";
import { getHarness, uniq } from "../helpers/harness.js";

// Security review, Medium: usage idempotency was global, so another team's request id silently
// swallowed this team's report.
describe("usage requestId is idempotent per team", () => {
  it("the same requestId used by another team's key is recorded and charged for each team", async () => {
    const [a, b] = await Promise.all([createTeamFx(), createTeamFx()]);
    const ka = await createKeyFx(a, { aiGatewayQuota: { limitAmount: 1 } });
    const kb = await createKeyFx(b, { aiGatewayQuota: { limitAmount: 1 } });
    const requestId = uniq("shared");
    const rb = await report(kb.apiKey.id, 0.4, { requestId });
    expect(rb.status).toBe(202);
    expect(rb.body.recorded).toBe(true);
    const ra = await report(ka.apiKey.id, 1, { requestId });
    expect(ra.status).toBe(202);
    expect(ra.body.recorded).toBe(true);
    expect(ra.body.quotas[0]).toMatchObject({ scope: "api_key", currentSpend: 1 });
    expect((await authorize(ka.apiKeyString)).status).toBe(402);
    const { database } = await getHarness();
    const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId));
    expect(rows.map((r) => [r.teamId, r.costMicros]).sort()).toEqual([[a.id, 1_000_000], [b.id, 400_000]].sort());
  });

  it("a retry (same key, cost, byok) answers 202 recorded:false and adds nothing", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const requestId = uniq("req");
    expect((await report(k.apiKey.id, 0.5, { requestId })).body.recorded).toBe(true);
    const again = await report(k.apiKey.id, 0.5, { requestId });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ recorded: false, quotas: [{ scope: "api_key", currentSpend: 0.5 }] });
  });

  it("the same requestId with another key, cost or byok flag is 409 request_id_reused and adds nothing", async () => {
    const team = await createTeamFx();
    const k1 = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const k2 = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const requestId = uniq("req");
    expect((await report(k1.apiKey.id, 0.5, { requestId })).status).toBe(202);
    for (const r of [
      await report(k2.apiKey.id, 0.5, { requestId }),
      await report(k1.apiKey.id, 0.6, { requestId }),
      await report(k1.apiKey.id, 0.5, { requestId, byok: true }),
    ]) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("request_id_reused");
    }
    const { database } = await getHarness();
    const rows = await database.db.select().from(usageEvents).where(and(eq(usageEvents.teamId, team.id), eq(usageEvents.requestId, requestId)));
    expect(rows).toHaveLength(1);
    const q1 = (await report(k1.apiKey.id, 0.5, { requestId })).body.quotas[0];
    expect(q1).toMatchObject({ currentSpend: 0.5 });
    expect((await authorize(k2.apiKeyString)).body.quotas[0]).toMatchObject({ scope: "api_key", currentSpend: 0 });
  });

  it("within one batch, concurrent duplicates count once and a conflicting one is 409", async () => {
    const team = await createTeamFx();
    const k = await createKeyFx(team, { aiGatewayQuota: { limitAmount: 10 } });
    const requestId = uniq("req");
    const costs = [1, 1, 2];
    const results = await Promise.all(costs.map((cost) => report(k.apiKey.id, cost, { requestId })));
    // Whichever arrives first is recorded; a repeat of it is 202 recorded:false, a different one 409.
    const first = results.findIndex((r) => r.status === 202 && r.body.recorded === true);
    expect(first).toBeGreaterThanOrEqual(0);
    results.forEach((r, i) => {
      if (i === first) return;
      if (costs[i] === costs[first]) expect(r.body, String(i)).toMatchObject({ recorded: false });
      else expect(r.body.error?.code, String(i)).toBe("request_id_reused");
    });
    expect((await authorize(k.apiKeyString)).body.quotas[0]).toMatchObject({ currentSpend: costs[first] });
  });
});
