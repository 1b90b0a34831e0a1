import { eq } from "drizzle-orm";
import { aiGatewayRuleFromJSON } from "@vercel/sdk/models/aigatewayrule.js";
import { aiGatewayRuleListFromJSON } from "@vercel/sdk/models/aigatewayrulelist.js";
import { apiKeyFromJSON } from "@vercel/sdk/models/apikey.js";
import { apiKeyQuotaFromJSON } from "@vercel/sdk/models/apikeyquota.js";
import { createApiKeysResponseBodyFromJSON } from "@vercel/sdk/models/createapikeysop.js";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../src/db/schema.js";
import { createKeyFx, createProjectFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

/** The official client's strict parsers, as it applies them to our answers. */
function parses<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`@vercel/sdk refused it: ${String(result.error)}`);
  return result.value as T;
}

describe("the official @vercel/sdk parses what we return", () => {
  it("every ApiKey shape: created, listed, fetched, with and without a quota, leaked, archived", async () => {
    const team = await createTeamFx();
    const project = await createProjectFx(team);
    const created = await call("POST", `/v1/api-keys?teamId=${team.id}`, {
      token: team.owner.token,
      body: { purpose: "ai-gateway", name: "sdk", projectId: project.id, expiresAt: Date.now() + 3_600_000, metadata: { env: "prod" }, aiGatewayQuota: { limitAmount: 50, refreshPeriod: "monthly" } },
    });
    const parsed = parses(createApiKeysResponseBodyFromJSON(created.text));
    expect(parsed.apiKey.id).toBe(created.body.apiKey.id);
    expect(parsed.apiKey.quota?.limitAmount).toBe(50);
    expect(parsed.apiKeyString).toBe(created.body.apiKeyString);

    const plain = await createKeyFx(team); // no quota: `quota: null`
    const { database } = await getHarness();
    await database.db.update(apiKeys).set({ leakedAt: Date.now(), leakedUrl: "https://github.com/x/y" }).where(eq(apiKeys.id, plain.apiKey.id));
    const archived = await call("PATCH", `/v1/api-keys/${created.body.apiKey.id}/quota`, { token: team.owner.token, body: { archived: true } });
    parses(apiKeyFromJSON(JSON.stringify(archived.body.apiKey)));
    parses(apiKeyQuotaFromJSON(JSON.stringify(archived.body.quota)));

    const list = await call("GET", `/v1/api-keys?teamId=${team.id}&purpose=ai-gateway`, { token: team.owner.token });
    expect(list.body.apiKeys).toHaveLength(2);
    for (const k of list.body.apiKeys) {
      const p = parses(apiKeyFromJSON(JSON.stringify(k)));
      expect(p.id).toBe(k.id);
      const got = await call("GET", `/v1/api-keys/${k.id}`, { token: team.owner.token });
      parses(apiKeyFromJSON(JSON.stringify(got.body.apiKey)));
    }
    const leaked = list.body.apiKeys.find((k: { id: string }) => k.id === plain.apiKey.id);
    expect(parses(apiKeyFromJSON(JSON.stringify(leaked))).leakedUrl).toBe("https://github.com/x/y");
  });

  it("every Rule shape: rewrite, deny, disabled, edited, and the list", async () => {
    const team = await createTeamFx();
    const rewrite = await call("POST", `/v1/ai-gateway/rules?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "rewrite", match: { model: "anthropic/*" }, action: { rewriteModel: "anthropic/claude-haiku-4.5" }, description: "cheaper" },
    });
    const deny = await call("POST", `/v1/ai-gateway/rules?teamId=${team.id}`, {
      token: team.owner.token,
      body: { type: "deny", match: { model: "openai/gpt-5.5" }, action: { reason: "too expensive" } },
    });
    expect([rewrite.status, deny.status]).toEqual([201, 201]);
    const edited = await call("PATCH", "/v1/ai-gateway/rules", { token: team.owner.token, body: { ruleId: deny.body.ruleId, enabled: false } });
    for (const r of [rewrite, deny, edited]) {
      const p = parses(aiGatewayRuleFromJSON(r.text));
      expect(p.ruleId).toBe(r.body.ruleId);
      expect(p.type).toBe(r.body.type);
    }
    const list = await call("GET", `/v1/ai-gateway/rules?teamId=${team.id}&includeDisabled=true`, { token: team.owner.token });
    expect(parses(aiGatewayRuleListFromJSON(list.text)).rules.map((r) => r.ruleId)).toEqual([rewrite.body.ruleId, deny.body.ruleId]);
  });
});
