import { adminCreateUserRoute } from "./admin/v1_admin_users_create.js";
import { registerAiSdk } from "./ai-sdk/routes.js";
import { createApiKeyRoute } from "./api-keys/v1_api_keys_create.js";
import { deleteApiKeyRoute } from "./api-keys/v1_api_keys_delete.js";
import { getApiKeyRoute } from "./api-keys/v1_api_keys_get.js";
import { listApiKeysRoute } from "./api-keys/v1_api_keys_list.js";
import { updateApiKeyQuotaRoute } from "./api-keys/v1_api_keys_quota_update.js";
import { rollApiKeyRoute } from "./api-keys/v1_api_keys_roll.js";
import { updateApiKeyRoute } from "./api-keys/v1_api_keys_update.js";
import { listAuditRoute } from "./audit/v1_audit_log_list.js";
import { createCredentialRoute } from "./byok/v1_byok_create.js";
import { deleteCredentialRoute } from "./byok/v1_byok_delete.js";
import { getCredentialRoute } from "./byok/v1_byok_get.js";
import { listCredentialsRoute } from "./byok/v1_byok_list.js";
import { updateCredentialRoute } from "./byok/v1_byok_update.js";
import { gatewayAuthorize } from "./gateway/v1_gateway_authorize.js";
import { gatewayUsage } from "./gateway/v1_gateway_usage.js";
import type { App } from "./http/context.js";
import type { DataPlane } from "./http/data-plane.js";
import type { ApiRoute } from "./http/route.js";
import { compromisedSecretRoute } from "./leaks/external_compromised_secret.js";
import { githubSecretScanningRoute } from "./leaks/external_github_secret_scanning.js";
import { rotateOidcKeyRoute } from "./oidc/v1_admin_oidc_rotate.js";
import { createOidcTokenRoute } from "./oidc/v1_projects_oidc_token.js";
import { discoveryGetRoute, jwksGetRoute } from "./oidc/well_known.js";
import { createProjectRoute } from "./projects/v1_projects_create.js";
import { deleteProjectRoute } from "./projects/v1_projects_delete.js";
import { listProjectsRoute } from "./projects/v1_projects_list.js";
import { registerProxy } from "./proxy/routes.js";
import { deleteBudgetRoute } from "./quotas/v1_budgets_delete.js";
import { listBudgetsRoute } from "./quotas/v1_budgets_list.js";
import { putBudgetRoute } from "./quotas/v1_budgets_put.js";
import { usageReportRoute } from "./reports/v1_usage_report.js";
import { createRuleRoute } from "./rules/v1_rules_create.js";
import { deleteRuleRoute } from "./rules/v1_rules_delete.js";
import { deleteRuleByIdRoute } from "./rules/v1_rules_delete_by_id.js";
import { getRuleRoute } from "./rules/v1_rules_get.js";
import { listRulesRoute } from "./rules/v1_rules_list.js";
import { resolveRulesRoute } from "./rules/v1_rules_resolve.js";
import { updateRuleRoute } from "./rules/v1_rules_update.js";
import { updateRuleByIdRoute } from "./rules/v1_rules_update_by_id.js";
import { addMemberRoute } from "./teams/v1_team_members_add.js";
import { listMembersRoute } from "./teams/v1_team_members_list.js";
import { removeMemberRoute } from "./teams/v1_team_members_remove.js";
import { updateMemberRoute } from "./teams/v1_team_members_update.js";
import { createTeamRoute } from "./teams/v1_teams_create.js";
import { listTeamsRoute } from "./teams/v1_teams_list.js";
import { getUserRoute } from "./users/v1_user_get.js";
import { createTokenRoute } from "./users/v1_user_tokens_create.js";
import { deleteTokenRoute } from "./users/v1_user_tokens_delete.js";
import { listTokensRoute } from "./users/v1_user_tokens_list.js";
import { createWebhookRoute } from "./webhooks/v1_webhooks_create.js";
import { deleteWebhookRoute } from "./webhooks/v1_webhooks_delete.js";
import { listWebhookDeliveriesRoute } from "./webhooks/v1_webhooks_deliveries.js";
import { listWebhooksRoute } from "./webhooks/v1_webhooks_list.js";
import { testWebhookRoute } from "./webhooks/v1_webhooks_test.js";
import { updateWebhookRoute } from "./webhooks/v1_webhooks_update.js";

/**
 * Every route of the management API, in the order the OpenAPI document lists them. A new route is
 * its file (`createRoute` and `apiRoute`, see src/http/route.ts) and one line here.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  adminCreateUserRoute,
  getUserRoute,
  createTokenRoute,
  listTokensRoute,
  deleteTokenRoute,
  createTeamRoute,
  listTeamsRoute,
  addMemberRoute,
  listMembersRoute,
  updateMemberRoute,
  removeMemberRoute,
  createProjectRoute,
  listProjectsRoute,
  deleteProjectRoute,
  createApiKeyRoute,
  listApiKeysRoute,
  getApiKeyRoute,
  deleteApiKeyRoute,
  updateApiKeyRoute,
  rollApiKeyRoute,
  compromisedSecretRoute,
  githubSecretScanningRoute,
  updateApiKeyQuotaRoute,
  putBudgetRoute,
  listBudgetsRoute,
  deleteBudgetRoute,
  listAuditRoute,
  usageReportRoute,
  createRuleRoute,
  listRulesRoute,
  updateRuleRoute,
  deleteRuleRoute,
  resolveRulesRoute,
  getRuleRoute,
  updateRuleByIdRoute,
  deleteRuleByIdRoute,
  createCredentialRoute,
  listCredentialsRoute,
  getCredentialRoute,
  updateCredentialRoute,
  deleteCredentialRoute,
  createWebhookRoute,
  listWebhooksRoute,
  updateWebhookRoute,
  deleteWebhookRoute,
  testWebhookRoute,
  listWebhookDeliveriesRoute,
  createOidcTokenRoute,
  rotateOidcKeyRoute,
  jwksGetRoute,
  discoveryGetRoute,
];

/**
 * Registers the management API's routes (one list, one way), then the data plane's: its routes
 * are served on their own lane ahead of the management middleware (see src/http/data-plane.ts).
 */
export function registerRoutes(app: App, dataPlane: DataPlane): void {
  app.openapiRoutes(API_ROUTES);
  dataPlane.add(gatewayAuthorize);
  dataPlane.add(gatewayUsage);
  registerProxy(app, dataPlane);
  registerAiSdk(app, dataPlane);
}
