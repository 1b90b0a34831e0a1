import { eq } from "drizzle-orm";
import { aiGatewayRuleFromJSON } from "@vercel/sdk/models/aigatewayrule.js";
import { aiGatewayRuleListFromJSON } from "@vercel/sdk/models/aigatewayrulelist.js";
import { apiKeyFromJSON } from "@vercel/sdk/models/apikey.js";
import { apiKeyQuotaFromJSON } from "@vercel/sdk/models/apikeyquota.js";
import { createApiKeysResponseBodyFromJSON } from "@vercel/sdk/models/createapikeysop.js";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Vercel } from "@vercel/sdk";
import { afterAll, describe, expect, it } from "vitest";
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

  describe("the official client's calls, against a real server", () => {
    let server: ReturnType<typeof serve> | undefined;
    afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    async function sdkFor(token: string): Promise<Vercel> {
      if (!server) {
        const { app } = await getHarness();
        server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
        await new Promise((r) => server!.once("listening", r));
      }
      const { port } = server.address() as AddressInfo;
      return new Vercel({ bearerToken: token, serverURL: `http://127.0.0.1:${port}` });
    }

    it("aiGateway.deleteAiGatewayRule and listAiGatewayRules work: the 204 carries Content-Type application/json", async () => {
      const team = await createTeamFx();
      const sdk = await sdkFor(team.owner.token);
      const made = await Promise.all(
        ["a", "b"].map((m) =>
          call("POST", `/v1/ai-gateway/rules?teamId=${team.id}`, {
            token: team.owner.token,
            body: { type: "deny", match: { model: `openai/${m}-${team.id.slice(-6)}` }, action: { reason: "no" } },
          }),
        ),
      );
      const listed = await sdk.aiGateway.listAiGatewayRules({ teamId: team.id, includeDisabled: "true" as never });
      expect(listed.rules.map((r) => r.ruleId).sort()).toEqual(made.map((r) => r.body.ruleId).sort());
      // @vercel/sdk 1.28.35 matches the 204 on its Content-Type (the defect fixed here: without the
      // header it threw "Unexpected Status or Content-Type"), then JSON-parses the body, which a 204
      // cannot have (Node sends none): that parse throws a SyntaxError inside the client, whatever
      // any server answers. The rule is deleted all the same.
      const outcome = await sdk.aiGateway.deleteAiGatewayRule({ ruleId: made[0]!.body.ruleId, teamId: team.id }).then(
        () => null,
        (e: Error) => e,
      );
      expect(outcome?.message ?? "").not.toContain("Unexpected Status or Content-Type");
      if (outcome) expect(outcome).toBeInstanceOf(SyntaxError);
      const after = await sdk.aiGateway.listAiGatewayRules({ teamId: team.id });
      expect(after.rules.map((r) => r.ruleId)).toEqual([made[1]!.body.ruleId]);
      // A second delete is a 404, which the client reports as an error.
      await expect(sdk.aiGateway.deleteAiGatewayRule({ ruleId: made[0]!.body.ruleId, teamId: team.id })).rejects.toThrow();
    });

    it("every other 204 of ours (rule by id, API key) carries the same header", async () => {
      const team = await createTeamFx();
      const rule = await call("POST", `/v1/ai-gateway/rules?teamId=${team.id}`, {
        token: team.owner.token,
        body: { type: "deny", match: { model: "openai/x" }, action: { reason: "no" } },
      });
      const byId = await call("DELETE", `/v1/ai-gateway/rules/${rule.body.ruleId}`, { token: team.owner.token });
      const key = await createKeyFx(team);
      const keyDel = await call("DELETE", `/v1/api-keys/${key.apiKey.id}`, { token: team.owner.token });
      for (const r of [byId, keyDel]) {
        expect(r.status).toBe(204);
        expect(r.headers.get("content-type")).toBe("application/json");
        expect(r.text).toBe("");
      }
    });

    it("PATCH and roll answers parse as the client's ApiKey", async () => {
      const team = await createTeamFx();
      const k = await createKeyFx(team, { rateLimit: { requestsPerMinute: 5 } });
      const patched = await call("PATCH", `/v1/api-keys/${k.apiKey.id}`, { token: team.owner.token, body: { enabled: false, metadata: { b: 1, a: 2 } } });
      expect(patched.body.apiKey.status).toBe("deactivated");
      expect(parses(apiKeyFromJSON(JSON.stringify(patched.body.apiKey))).id).toBe(k.apiKey.id);
      const rolled = await call("POST", `/v1/api-keys/${k.apiKey.id}/roll`, { token: team.owner.token, body: { gracePeriodMs: 1000 } });
      const parsed = parses(createApiKeysResponseBodyFromJSON(rolled.text));
      expect(parsed.apiKeyString).toBe(rolled.body.apiKeyString);
    });
  });
});
