import { registerAdminCreateUser } from "./admin/v1_admin_users_create.js";
import { registerCreateApiKey } from "./api-keys/v1_api_keys_create.js";
import { registerDeleteApiKey } from "./api-keys/v1_api_keys_delete.js";
import { registerGetApiKey } from "./api-keys/v1_api_keys_get.js";
import { registerListApiKeys } from "./api-keys/v1_api_keys_list.js";
import type { App, Deps } from "./http/context.js";
import { registerCompromisedSecret } from "./leaks/external_compromised_secret.js";
import { registerGithubSecretScanning } from "./leaks/external_github_secret_scanning.js";
import { registerCreateProject } from "./projects/v1_projects_create.js";
import { registerDeleteProject } from "./projects/v1_projects_delete.js";
import { registerListProjects } from "./projects/v1_projects_list.js";
import { registerAddMember } from "./teams/v1_team_members_add.js";
import { registerListMembers } from "./teams/v1_team_members_list.js";
import { registerRemoveMember } from "./teams/v1_team_members_remove.js";
import { registerUpdateMember } from "./teams/v1_team_members_update.js";
import { registerCreateTeam } from "./teams/v1_teams_create.js";
import { registerListTeams } from "./teams/v1_teams_list.js";
import { registerCreateToken } from "./users/v1_user_tokens_create.js";
import { registerDeleteToken } from "./users/v1_user_tokens_delete.js";
import { registerListTokens } from "./users/v1_user_tokens_list.js";
import { registerGetUser } from "./users/v1_user_get.js";

/** Every route of the API, in the order the OpenAPI document lists them. */
export function registerRoutes(app: App, deps: Deps): void {
  registerAdminCreateUser(app);
  registerGetUser(app);
  registerCreateToken(app);
  registerListTokens(app);
  registerDeleteToken(app);
  registerCreateTeam(app);
  registerListTeams(app);
  registerAddMember(app);
  registerListMembers(app);
  registerUpdateMember(app);
  registerRemoveMember(app);
  registerCreateProject(app);
  registerListProjects(app);
  registerDeleteProject(app);
  registerCreateApiKey(app);
  registerListApiKeys(app);
  registerGetApiKey(app);
  registerDeleteApiKey(app);
  registerCompromisedSecret(app, deps.config);
  registerGithubSecretScanning(app, deps.config);
}
