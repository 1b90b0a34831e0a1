import { createKeyFx, createProjectFx, createRuleFx, createUserFx, freshModel } from "./helpers/fixtures.js";
import type { RouteCase } from "./helpers/auth-matrix.js";
import { createCredentialFx, freshSecret } from "./byok/helpers.js";
import { call, uniq } from "./helpers/harness.js";
import { sharedGateway } from "./proxy/setup.js";
import { WEBHOOK_ROUTES } from "./webhooks/helpers.js";
import { AI_SDK_ROUTES } from "./ai-sdk/setup.js";

/**
 * Every route of the API with a valid request builder. The auth matrix runs over this table,
 * and a test fails when the app has a route that is missing here.
 */
export const ROUTES: RouteCase[] = [
  {
    method: "POST",
    route: "/v1/admin/users",
    scope: "admin",
    write: false,
    make: async () => ({ path: "/v1/admin/users", body: { email: `${uniq("adm")}@example.test` } }),
  },
  { method: "GET", route: "/v1/user", scope: "self", write: false, make: async () => ({ path: "/v1/user" }) },
  {
    method: "POST",
    route: "/v1/user/tokens",
    scope: "self",
    write: false,
    make: async () => ({ path: "/v1/user/tokens", body: { name: "ci" } }),
  },
  { method: "GET", route: "/v1/user/tokens", scope: "self", write: false, make: async () => ({ path: "/v1/user/tokens" }) },
  {
    method: "DELETE",
    route: "/v1/user/tokens/{id}",
    scope: "self",
    write: false,
    make: async (t) => {
      const r = await call("POST", "/v1/user/tokens", { token: t.owner.token, body: { name: "to-delete" } });
      return { path: `/v1/user/tokens/${r.body.token.id}` };
    },
  },
  {
    method: "POST",
    route: "/v1/teams",
    scope: "self",
    write: false,
    make: async () => ({ path: "/v1/teams", body: { slug: uniq("t"), name: "T" } }),
  },
  { method: "GET", route: "/v1/teams", scope: "self", write: false, make: async () => ({ path: "/v1/teams" }) },
  {
    method: "POST",
    route: "/v1/teams/{teamId}/members",
    scope: "team",
    write: "owner",
    make: async (t) => ({ path: `/v1/teams/${t.id}/members`, body: { email: (await createUserFx()).email, role: "DEVELOPER" } }),
  },
  { method: "GET", route: "/v1/teams/{teamId}/members", scope: "team", write: false, make: async (t) => ({ path: `/v1/teams/${t.id}/members` }) },
  {
    method: "PATCH",
    route: "/v1/teams/{teamId}/members/{userId}",
    scope: "team",
    write: "owner",
    make: async (t) => ({ path: `/v1/teams/${t.id}/members/${t.developer.id}`, body: { role: "DEVELOPER" } }),
  },
  {
    method: "DELETE",
    route: "/v1/teams/{teamId}/members/{userId}",
    scope: "team",
    write: "owner",
    make: async (t) => ({ path: `/v1/teams/${t.id}/members/${t.developer.id}` }),
  },
  {
    method: "POST",
    route: "/v1/projects",
    scope: "team",
    write: true,
    make: async (t) => ({ path: `/v1/projects?teamId=${t.id}`, body: { name: uniq("p") } }),
  },
  { method: "GET", route: "/v1/projects", scope: "team", write: false, make: async (t) => ({ path: `/v1/projects?teamId=${t.id}` }) },
  {
    method: "DELETE",
    route: "/v1/projects/{id}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/projects/${(await createProjectFx(t)).id}` }),
  },
  {
    method: "POST",
    route: "/v1/api-keys",
    scope: "team",
    write: true,
    make: async (t) => ({ path: `/v1/api-keys?teamId=${t.id}`, body: { purpose: "ai-gateway" } }),
  },
  { method: "GET", route: "/v1/api-keys", scope: "team", write: false, make: async (t) => ({ path: `/v1/api-keys?teamId=${t.id}` }) },
  {
    method: "GET",
    route: "/v1/api-keys/{id}",
    scope: "resource",
    write: false,
    make: async (t) => ({ path: `/v1/api-keys/${(await createKeyFx(t)).apiKey.id}` }),
  },
  {
    method: "DELETE",
    route: "/v1/api-keys/{id}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/api-keys/${(await createKeyFx(t)).apiKey.id}` }),
  },
  {
    method: "PATCH",
    route: "/v1/api-keys/{id}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/api-keys/${(await createKeyFx(t)).apiKey.id}`, body: { name: "renamed" } }),
  },
  {
    method: "POST",
    route: "/v1/api-keys/{id}/roll",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/api-keys/${(await createKeyFx(t)).apiKey.id}/roll`, body: { gracePeriodMs: 1000 } }),
  },
  {
    method: "PATCH",
    route: "/v1/api-keys/{id}/quota",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/api-keys/${(await createKeyFx(t)).apiKey.id}/quota`, body: { limitAmount: 5 } }),
  },
  {
    method: "PUT",
    route: "/v1/ai-gateway/budgets",
    scope: "team",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/budgets?teamId=${t.id}`, body: { scopeType: "team", limitAmount: 10, refreshPeriod: "monthly" } }),
  },
  { method: "GET", route: "/v1/ai-gateway/budgets", scope: "team", write: false, make: async (t) => ({ path: `/v1/ai-gateway/budgets?teamId=${t.id}` }) },
  { method: "GET", route: "/v1/ai-gateway/usage", scope: "team", write: false, make: async (t) => ({ path: `/v1/ai-gateway/usage?teamId=${t.id}&groupBy=key` }) },
  {
    method: "DELETE",
    route: "/v1/ai-gateway/budgets",
    scope: "team",
    write: true,
    make: async (t) => {
      await call("PUT", `/v1/ai-gateway/budgets?teamId=${t.id}`, {
        token: t.owner.token,
        body: { scopeType: "user", limitAmount: 1, refreshPeriod: "daily" },
      });
      return { path: `/v1/ai-gateway/budgets?teamId=${t.id}&scopeType=user` };
    },
  },
  { method: "GET", route: "/v1/audit-log", scope: "team", write: false, make: async (t) => ({ path: `/v1/audit-log?teamId=${t.id}` }) },
  {
    method: "POST",
    route: "/v1/gateway/authorize",
    scope: "gateway",
    write: false,
    make: async (t) => ({ path: "/v1/gateway/authorize", body: { credential: (await createKeyFx(t)).apiKeyString, model: "openai/gpt-5" } }),
  },
  {
    method: "POST",
    route: "/v1/gateway/usage",
    scope: "gateway",
    write: false,
    make: async (t) => ({
      path: "/v1/gateway/usage",
      body: { keyId: (await createKeyFx(t)).apiKey.id, requestId: uniq("req"), model: "openai/gpt-5", costUsd: 0.01 },
    }),
  },
  {
    method: "POST",
    route: "/v1/ai-gateway/rules",
    scope: "team",
    write: true,
    make: async (t) => ({
      path: `/v1/ai-gateway/rules?teamId=${t.id}`,
      body: { type: "rewrite", match: { model: freshModel() }, action: { rewriteModel: "openai/gpt-5" } },
    }),
  },
  {
    method: "GET",
    route: "/v1/ai-gateway/rules",
    scope: "team",
    write: false,
    make: async (t) => ({ path: `/v1/ai-gateway/rules?teamId=${t.id}&includeDisabled=true` }),
  },
  {
    method: "PATCH",
    route: "/v1/ai-gateway/rules",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: "/v1/ai-gateway/rules", body: { ruleId: (await createRuleFx(t)).ruleId, enabled: false } }),
  },
  {
    method: "DELETE",
    route: "/v1/ai-gateway/rules",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/rules?ruleId=${(await createRuleFx(t)).ruleId}` }),
  },
  {
    method: "POST",
    route: "/v1/ai-gateway/rules/resolve",
    scope: "team",
    write: false,
    make: async (t) => {
      const rule = await createRuleFx(t);
      return { path: `/v1/ai-gateway/rules/resolve?teamId=${t.id}`, body: { model: rule.match.model } };
    },
  },
  {
    method: "GET",
    route: "/v1/ai-gateway/rules/{ruleId}",
    scope: "resource",
    write: false,
    make: async (t) => ({ path: `/v1/ai-gateway/rules/${(await createRuleFx(t)).ruleId}` }),
  },
  {
    method: "PATCH",
    route: "/v1/ai-gateway/rules/{ruleId}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/rules/${(await createRuleFx(t)).ruleId}`, body: { description: "edited" } }),
  },
  {
    method: "DELETE",
    route: "/v1/ai-gateway/rules/{ruleId}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/rules/${(await createRuleFx(t)).ruleId}` }),
  },
  {
    method: "POST",
    route: "/v1/ai-gateway/byok",
    scope: "team",
    write: true,
    make: async (t) => ({
      path: `/v1/ai-gateway/byok?teamId=${t.id}`,
      body: { provider: "openai", name: "prod", credentials: { apiKey: freshSecret() } },
    }),
  },
  { method: "GET", route: "/v1/ai-gateway/byok", scope: "team", write: false, make: async (t) => ({ path: `/v1/ai-gateway/byok?teamId=${t.id}` }) },
  {
    method: "GET",
    route: "/v1/ai-gateway/byok/{id}",
    scope: "resource",
    write: false,
    make: async (t) => ({ path: `/v1/ai-gateway/byok/${(await createCredentialFx(t)).id}` }),
  },
  {
    method: "PATCH",
    route: "/v1/ai-gateway/byok/{id}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/byok/${(await createCredentialFx(t)).id}`, body: { name: "renamed" } }),
  },
  {
    method: "DELETE",
    route: "/v1/ai-gateway/byok/{id}",
    scope: "resource",
    write: true,
    make: async (t) => ({ path: `/v1/ai-gateway/byok/${(await createCredentialFx(t)).id}` }),
  },
  {
    method: "POST",
    route: "/v1/projects/{id}/oidc-token",
    scope: "resource",
    write: false, // development tokens: any member (preview and production need OWNER or MEMBER: test/oidc)
    make: async (t) => ({ path: `/v1/projects/${(await createProjectFx(t)).id}/oidc-token`, body: {} }),
  },
  {
    method: "POST",
    route: "/v1/admin/oidc/rotate",
    scope: "admin",
    write: false,
    make: async () => ({ path: "/v1/admin/oidc/rotate", body: {} }),
  },
  {
    method: "POST",
    route: "/v1/chat/completions",
    scope: "key",
    write: false,
    make: async (t) => ({
      path: "/v1/chat/completions",
      body: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      token: (await createKeyFx(t)).apiKeyString,
      app: (await sharedGateway()).app,
    }),
  },
  {
    method: "POST",
    route: "/v1/embeddings",
    scope: "key",
    write: false,
    make: async (t) => ({
      path: "/v1/embeddings",
      body: { model: "openai/text-embedding-3-small", input: "hi" },
      token: (await createKeyFx(t)).apiKeyString,
      app: (await sharedGateway()).app,
    }),
  },
  {
    method: "POST",
    route: "/v1/messages",
    scope: "key",
    write: false,
    make: async (t) => ({
      path: "/v1/messages",
      body: { model: "anthropic/claude-haiku-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] },
      token: (await createKeyFx(t)).apiKeyString,
      app: (await sharedGateway()).app,
    }),
  },
  {
    method: "POST",
    route: "/v1/responses",
    scope: "key",
    write: false,
    make: async (t) => ({
      path: "/v1/responses",
      body: { model: "openai/gpt-4o-mini", input: "hi" },
      token: (await createKeyFx(t)).apiKeyString,
      app: (await sharedGateway()).app,
    }),
  },
  {
    method: "POST",
    route: "/v1/messages/count_tokens",
    scope: "key",
    write: false,
    make: async (t) => ({
      path: "/v1/messages/count_tokens",
      body: { model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "hi" }] },
      token: (await createKeyFx(t)).apiKeyString,
      app: (await sharedGateway()).app,
    }),
  },
  {
    method: "GET",
    route: "/v1/models",
    scope: "key",
    write: false,
    make: async (t) => ({ path: "/v1/models", token: (await createKeyFx(t)).apiKeyString }),
  },
  ...WEBHOOK_ROUTES,
  ...AI_SDK_ROUTES,
];
