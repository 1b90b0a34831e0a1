/**
 * Generated from openapi.yaml by `npm run client` (openapi-typescript). Do not edit by hand:
 * change the routes' zod schemas, run `npm run openapi` (which runs `npm run client`), and commit both.
 */
/* eslint-disable */
export interface paths {
  "/v1/admin/users": {
    /**
     * Create a user (instance admin)
     * @description Needs `TOLLGATE_ADMIN_TOKEN`. Creates a user and a first personal access token, returned once. 409 when the email is taken.
     */
    post: operations["createUser"];
  };
  "/v1/user": {
    /**
     * The authenticated user and their teams
     * @description With a team-scoped token, `teams` lists only that team.
     */
    get: operations["getUser"];
  };
  "/v1/user/tokens": {
    /**
     * List your personal access tokens
     * @description Newest first. Secrets are never returned. A team-scoped token lists only the tokens scoped to its team.
     */
    get: operations["listAuthTokens"];
    /**
     * Create a personal access token
     * @description A team-scoped token can only create tokens scoped to its own team. `teamId` must be a team you belong to (403 otherwise). A token with an expiry cannot create one that expires later (403); without `expiresAt`, the new token expires when the token creating it does.
     */
    post: operations["createAuthToken"];
  };
  "/v1/user/tokens/{id}": {
    /**
     * Revoke a personal access token
     * @description The token stops working at once. Another user's token is 404, and so is, for a team-scoped token, a token not scoped to its team.
     */
    delete: operations["deleteAuthToken"];
  };
  "/v1/teams": {
    /**
     * List your teams
     * @description Oldest first, with your role in each. A team-scoped token sees only its team.
     */
    get: operations["listTeams"];
    /**
     * Create a team
     * @description The caller becomes its OWNER. 409 when the slug is taken. A team-scoped token cannot create teams (403).
     */
    post: operations["createTeam"];
  };
  "/v1/teams/{teamId}/members": {
    /**
     * List members
     * @description Any member may read. Ordered by user id (oldest user first).
     */
    get: operations["listTeamMembers"];
    /**
     * Add a member
     * @description OWNER only. The user must already exist (an instance admin creates users with `POST /v1/admin/users`); an unknown email is 404. 409 when already a member.
     */
    post: operations["addTeamMember"];
  };
  "/v1/teams/{teamId}/members/{userId}": {
    /**
     * Remove a member
     * @description OWNER only. Every gateway key the member created in this team is deactivated in the same transaction (status `deactivated`; authorize refuses it), and every project OIDC token they minted for this team stops authorizing at once (401). Removing the last OWNER is 409.
     */
    delete: operations["removeTeamMember"];
    /**
     * Change a member's role
     * @description OWNER only. Demoting the last OWNER is 409. Lowering a role (OWNER → MEMBER → DEVELOPER) ends every project OIDC token the member minted for this team, at once (authorize answers 401); their gateway keys are not changed.
     */
    patch: operations["updateTeamMember"];
  };
  "/v1/projects": {
    /**
     * List projects
     * @description Newest first.
     */
    get: operations["listProjects"];
    /**
     * Create a project
     * @description OWNER or MEMBER. Names are unique within a team (409).
     */
    post: operations["createProject"];
  };
  "/v1/projects/{id}": {
    /**
     * Delete a project
     * @description OWNER or MEMBER. Keys scoped to the project keep working, with `projectId` null; the project's OIDC tokens stop authorizing (401). Another team's project is 404.
     */
    delete: operations["deleteProject"];
  };
  "/v1/api-keys": {
    /**
     * List gateway API keys
     * @description Newest first; deleted keys are not listed. Secrets are never returned.
     */
    get: operations["listApiKeys"];
    /**
     * Create a gateway API key
     * @description OWNER or MEMBER. Answers 200 (as Vercel's API does) with the plaintext key, shown only in this response.
     */
    post: operations["createApiKey"];
  };
  "/v1/api-keys/{id}": {
    /**
     * Get a gateway API key
     * @description Any member. A deleted key, or one of a team you cannot see, is 404.
     */
    get: operations["getApiKey"];
    /**
     * Delete a gateway API key
     * @description OWNER or MEMBER. The key fails authorization on the very next request; a second DELETE is 404. The 204 carries `Content-Type: application/json` (as Vercel's API answers).
     */
    delete: operations["deleteApiKey"];
    /**
     * Update, disable or re-enable a gateway API key
     * @description OWNER or MEMBER (DEVELOPER: 403). Only the fields given change; `metadata`, `models` and `rateLimit` are replaced as a whole.
     *
     * The change reaches authorize on every instance within 100 ms. A deleted key is 409 (it cannot come back); so is re-enabling a leaked key.
     *
     * Writes an audit event `api_key.update` (`api_key.disable` / `api_key.enable` when `enabled` changes).
     */
    patch: operations["updateApiKey"];
  };
  "/v1/api-keys/{id}/roll": {
    /**
     * Roll a key's secret, with a grace period for the old one
     * @description OWNER or MEMBER. A new secret for the same key: its id, budget and spend, project, models, metadata and rate limits stay. The previous secret is accepted until `apiKey.previousSecretExpiresAt` (now + `gracePeriodMs`) and refused (401) right after, on every instance; a secret kept from an earlier roll is refused at once. The body is optional (no body: no grace period). A leaked key cannot be rolled back into use (409: create a new key); a deleted key is 404. Audit event `api_key.roll` (never a secret).
     */
    post: operations["rollApiKey"];
  };
  "/external/compromised_secret": {
    /**
     * Report a leaked gateway key
     * @description No authentication: anyone who finds a Tollgate key (`tgk_…`) in the wild can report it. A live key becomes `leaked` at once (`leakedAt` set; `/v1/gateway/authorize` refuses it from the next request, on every instance), and an `api_key.leak` audit event (actor type `external`) is written for its team. A key already leaked keeps its first `leakedAt`; a deleted key stays deleted.
     *
     * **No oracle:** every well-formed request (`{"secret": {"api_key": "<string>"}}`) is answered 202 `{"status": "received"}` with the same headers, whether the key exists, is unknown, was already leaked or deleted, or is not a key at all. A string without a valid `tgk_` checksum is never looked up; every string with one costs the same single database statement, found or not. Input that is not that JSON shape (malformed JSON, missing or unknown fields, a non-string key) is 400.
     *
     * Rate-limited per client address (`TOLLGATE_COMPROMISED_RATE_LIMIT` requests a minute, default 60; the address is the socket's, or the first `X-Forwarded-For` hop when `TOLLGATE_TRUST_PROXY=true`). Every request counts, well-formed or not.
     */
    post: operations["reportCompromisedSecret"];
  };
  "/external/github/secret-scanning": {
    /**
     * GitHub secret scanning partner endpoint
     * @description Called by GitHub's secret scanning partner program when it finds strings matching Tollgate's key pattern in a public repository, gist, issue or comment. No bearer token: the request must carry GitHub's signature, verified over the raw body against the public keys in `TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` before the body is parsed. Unsigned or badly signed requests get 401 and revoke nothing.
     *
     * Every match that is a live key this instance issued is marked `leaked` and refused by authorize from then on (`leakedUrl` = the match's `url`, unless the key was already leaked: the first report wins), with an `api_key.leak` audit event (actor type `external`) per key; all marks of one request happen in one transaction. At most 100 matches per request (more: 400).
     *
     * Not configured (`TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` unset): 404, as if the route did not exist.
     */
    post: operations["githubSecretScanning"];
  };
  "/v1/api-keys/{id}/quota": {
    /**
     * Create, edit, archive or restore a key's budget
     * @description OWNER or MEMBER. The only editable property of a key. Upserts: `limitAmount` is required when the key has no budget. Editing keeps the spend counted in the current period (also when `refreshPeriod` changes).
     */
    patch: operations["updateApiKeyQuota"];
  };
  "/v1/ai-gateway/budgets": {
    /**
     * List team, project and user budgets
     * @description Any member. Oldest first, with the spend of the current period, paginated like every list (`limit`, and `until` = the `pagination.next` of the previous page, which continues after it). Key quotas are on the keys themselves.
     */
    get: operations["listBudgets"];
    /**
     * Set a team, project or user budget
     * @description OWNER or MEMBER. Creates or replaces the budget of one scope; editing keeps the spend counted in the current period. A request is refused (402) when any budget in its scope is spent: its key's, the team's, its project's and its creator's.
     */
    put: operations["putBudget"];
    /**
     * Remove a team, project or user budget
     * @description OWNER or MEMBER. Names the budget as `PUT` does (no projectId/userId: the default one). 404 when there is none.
     */
    delete: operations["deleteBudget"];
  };
  "/v1/audit-log": {
    /**
     * The team's audit log
     * @description Any member. Every mutation (keys, budgets, rules, members, projects, leaks) and every `quota.threshold` alert, newest first. Written in the same transaction as the change it records.
     */
    get: operations["listAuditEvents"];
  };
  "/v1/ai-gateway/usage": {
    /**
     * Spend report: who spent it, on which model, which day
     * @description Any member (DEVELOPER included). The team's spend per UTC hour, day or month, split by any of key, model, project and user; only this team's usage.
     *
     * Served from hourly rollups written in the same statement that adds the spend to the budget counters, so a period's `costUsd` and `byokCostUsd` equal the budget counters to the micro-dollar; a report grouped by nothing or by `model` only reads the team-level rollups (one row per hour and model, whatever the number of keys). A report's hour is the instant the usage was counted against budgets.
     *
     * Rows are ordered by period, then by the grouped values; empty periods are left out. Rollups are kept forever; raw usage reports are dropped after `TOLLGATE_USAGE_RETENTION_DAYS`.
     *
     * `groupBy` with `endUser` or `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`, which the rollups do not hold) reads raw usage reports instead, so it covers only the last `TOLLGATE_USAGE_RETENTION_DAYS`, and only the requests that carry an end user (for `endUser`) or tags (for `tag`): the others are left out. A request counts once under each of its tags, so a `tag` report's rows can add up to more than the spend. Its period is the hour the usage was recorded in.
     *
     * `Accept: text/csv` returns the same page as CSV (header row, then one line per row; money in dollars, times in ms), with the next page's cursor in the `X-Next-Cursor` header.
     */
    get: operations["getUsageReport"];
  };
  "/v1/ai-gateway/rules": {
    /**
     * List routing rules
     * @description Any member. Oldest first. Vercel's shape `{rules}`: every rule of the team in one answer, not paginated (a team holds at most 1000 rules). Enabled rules only, unless `includeDisabled=true`.
     */
    get: operations["listRules"];
    /**
     * Create a routing rule
     * @description OWNER or MEMBER. The new rule is enabled. A `rewrite` needs `action.rewriteModel` (a `provider/model` id); a `deny` must not have one and may carry a `reason`.
     *
     * An exact `match.model` wins over `provider/*`; a rewrite to a model the chain continues from is looked up again (at most 10 rewrites).
     *
     * 409 `conflict` (with `conflictingRuleId`) when an enabled rule of the team already has the same `match.model` (`openai/gpt-4o` and `openai/*` do not conflict); this is enforced by a unique index, so two concurrent creates cannot both win.
     *
     * 400 `rule_chain_invalid` when the new rule would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites for some model (checked at write time so configuration errors surface here, not on live traffic).
     *
     * A team holds at most 1000 rules (409 past that). The response is the bare Rule, as in Vercel's API. Writes an audit event `rule.create`.
     */
    post: operations["createRule"];
    /**
     * Delete a routing rule (Vercel style: `?ruleId=`)
     * @description OWNER or MEMBER. Deletes the rule for good (to keep it, disable it instead); a second DELETE is 404.
     *
     * Never refused for what it uncovers: if removing a deny (or an exact rule that shadowed a `provider/*` rewrite) exposes a rewrite cycle or a chain of more than 10 rewrites, resolve and authorize answer 400 `rule_chain_invalid` for the models on it until the rules are fixed.
     *
     * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Writes an audit event `rule.delete`.
     */
    delete: operations["deleteRule"];
    /**
     * Update a routing rule (Vercel style: `ruleId` in the body)
     * @description OWNER or MEMBER. Changes `enabled`, `description` and/or `action`; `type` and `match` cannot change (delete and create instead). At least one field is required (400 otherwise).
     *
     * `action` replaces the whole action (a field left out becomes null) and is re-validated against the rule's type: a rewrite without `rewriteModel`, or a deny with one, is 400.
     *
     * Enabling a rule is 409 `conflict` (with `conflictingRuleId`) when another enabled rule of the team has the same `match.model` (enforced by a unique index).
     *
     * 400 `rule_chain_invalid` when the change (a new target, or enabling a rule) would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites. Disabling is never refused: if it uncovers such a chain, resolve and authorize report it with 400 `rule_chain_invalid`.
     *
     * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Sets `updatedBy`/`updatedAt`; writes an audit event `rule.update` with the changes.
     */
    patch: operations["updateRule"];
  };
  "/v1/ai-gateway/rules/resolve": {
    /**
     * Dry-run the routing rules for a model
     * @description Any member (DEVELOPER included: nothing is written). Runs the same resolver the gateway's authorize uses, over the team's enabled rules (disabled rules are skipped).
     *
     * An exact `match.model` wins over `provider/*`; rewrites chain, at most 10 of them; a rewrite to the current model (e.g. `openai/*` -> `openai/gpt-5` seen from `openai/gpt-5`) ends the chain without counting. A deny anywhere on the chain refuses: reported here in `denied` with 200 (authorize answers 403 `forbidden` with `param.ruleId` and the reason).
     *
     * A rewrite cycle or an 11th rewrite is 400 `rule_chain_invalid` with `kind` and `chain` (normally caught when the rules are written).
     */
    post: operations["resolveRules"];
  };
  "/v1/ai-gateway/rules/{ruleId}": {
    /**
     * Get a routing rule
     * @description Any member (REST-style companion of the Vercel routes). A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.
     */
    get: operations["getRule"];
    /**
     * Delete a routing rule (REST style)
     * @description OWNER or MEMBER. Deletes the rule for good (to keep it, disable it instead); a second DELETE is 404.
     *
     * Never refused for what it uncovers: if removing a deny (or an exact rule that shadowed a `provider/*` rewrite) exposes a rewrite cycle or a chain of more than 10 rewrites, resolve and authorize answer 400 `rule_chain_invalid` for the models on it until the rules are fixed.
     *
     * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Writes an audit event `rule.delete`.
     */
    delete: operations["deleteRuleById"];
    /**
     * Update a routing rule (REST style)
     * @description OWNER or MEMBER. Changes `enabled`, `description` and/or `action`; `type` and `match` cannot change (delete and create instead). At least one field is required (400 otherwise).
     *
     * `action` replaces the whole action (a field left out becomes null) and is re-validated against the rule's type: a rewrite without `rewriteModel`, or a deny with one, is 400.
     *
     * Enabling a rule is 409 `conflict` (with `conflictingRuleId`) when another enabled rule of the team has the same `match.model` (enforced by a unique index).
     *
     * 400 `rule_chain_invalid` when the change (a new target, or enabling a rule) would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites. Disabling is never refused: if it uncovers such a chain, resolve and authorize report it with 400 `rule_chain_invalid`.
     *
     * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Sets `updatedBy`/`updatedAt`; writes an audit event `rule.update` with the changes.
     */
    patch: operations["updateRuleById"];
  };
  "/v1/ai-gateway/byok": {
    /**
     * List provider credentials (BYOK)
     * @description Any member (DEVELOPER included). Disabled credentials are listed too. No secret is ever returned: only `hint`.
     *
     * Sorted by provider, then in each provider's order. Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
     *
     * One page: a team holds at most 100 credentials, so `pagination.next` is always null.
     */
    get: operations["listByokCredentials"];
    /**
     * Store a provider credential (BYOK)
     * @description OWNER or MEMBER. Stores the team's own provider credentials, encrypted at rest (AES-256-GCM with the newest key of `TOLLGATE_ENCRYPTION_KEY`, bound to this team and credential).
     *
     * Shapes of `credentials` per provider: `openai`, `anthropic`, `xai`, `groq`, `mistral`, `deepseek`, `together`, `fireworks`, `openrouter`: `{apiKey}`; `azure`: `{apiKey, resourceName}`; `bedrock`: `{accessKeyId, secretAccessKey, region?}`; `vertex`: `{project, location, googleCredentials: {privateKey, clientEmail}}`. A missing, wrong or extra field is 400 with `params` naming `credentials.<field>`.
     *
     * The answer, the list and the audit log never show a secret: only `hint`, the last 4 characters of the main secret. Only `POST /v1/gateway/authorize` returns the secret, to the gateway service token.
     *
     * Several credentials per provider are allowed. Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
     *
     * A team holds at most 100 credentials (409 past that). Writes an audit event `byok.create`.
     *
     * 503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.
     */
    post: operations["createByokCredential"];
  };
  "/v1/ai-gateway/byok/{id}": {
    /**
     * Get a provider credential (BYOK)
     * @description Any member. No secret: only `hint`. A credential of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.
     */
    get: operations["getByokCredential"];
    /**
     * Delete a provider credential (BYOK)
     * @description OWNER or MEMBER. The encrypted secret is deleted with the row; authorize stops returning it on every instance within 100 ms. The provider's other credentials close the gap in the order. A second delete is 404. Writes an audit event `byok.delete`. Works without `TOLLGATE_ENCRYPTION_KEY`.
     */
    delete: operations["deleteByokCredential"];
    /**
     * Update a provider credential (BYOK)
     * @description OWNER or MEMBER. Changes any of `name`, `enabled`, `apiKeyIds`, `credentials` (re-encrypted with the newest key), `position`; the provider cannot change.
     *
     * Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
     *
     * Every instance's authorize answer reflects the change within 100 ms. Writes an audit event `byok.update` (no secret: a credentials change shows the old and new `hint`).
     *
     * 503 `encryption_key_missing` when `credentials` is given and the server has no `TOLLGATE_ENCRYPTION_KEY`.
     */
    patch: operations["updateByokCredential"];
  };
  "/v1/ai-gateway/webhooks": {
    /**
     * List webhook endpoints
     * @description Any member (DEVELOPER included). Oldest first, disabled ones too (with `disabledReason` when Tollgate disabled it). Never a signing secret. One page: a team holds at most 20 endpoints, so `pagination.next` is always null.
     */
    get: operations["listWebhooks"];
    /**
     * Create a webhook endpoint
     * @description OWNER only. Tollgate POSTs the team's chosen events to `url`; the answer holds the signing secret, shown this once (stored encrypted, never shown again, never in an event).
     *
     * Each event is POSTed as JSON `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's bytes), or `{text}` for `format: slack`. A 2xx answer within 5 s delivers it; anything else (another status, a redirect, which is never followed, a timeout) is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h, 15 attempts over 3 days. An endpoint whose every attempt failed for 3 days is disabled, with `disabledReason` saying why.
     *
     * A team holds at most 20 endpoints (409 past that). Writes an audit event `webhook.create`.
     *
     * 503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.
     */
    post: operations["createWebhook"];
  };
  "/v1/ai-gateway/webhooks/{id}": {
    /**
     * Delete a webhook endpoint
     * @description OWNER only. The endpoint, its secret and its deliveries (sent or waiting) are deleted: nothing more is sent to it, by any instance. A second delete is 404. Writes an audit event `webhook.delete`.
     */
    delete: operations["deleteWebhook"];
    /**
     * Update a webhook endpoint
     * @description OWNER only. Changes any of `url` (checked as on create), `events`, `format`, `description`, `enabled`; the secret stays. Deliveries already waiting go to the new URL and format. Writes an audit event `webhook.update`.
     */
    patch: operations["updateWebhook"];
  };
  "/v1/ai-gateway/webhooks/{id}/test": {
    /**
     * Send a test event
     * @description OWNER only. Queues a `webhook.test` event for this endpoint alone (whatever its `events`, and also when it is disabled: check a receiver before enabling it again), sent and retried like any event: follow it in `GET /v1/ai-gateway/webhooks/{id}/deliveries`. Its `data` is `{webhookId, message}`. It takes no body (an empty JSON object is accepted too); anything else is a 400.
     */
    post: operations["testWebhook"];
  };
  "/v1/ai-gateway/webhooks/{id}/deliveries": {
    /**
     * List an endpoint's deliveries
     * @description Any member (DEVELOPER included). The events sent or to be sent to this endpoint, newest first, each with its state, attempts (when, HTTP status, error) and next retry. Kept 30 days.
     *
     * Each event is POSTed as JSON `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's bytes), or `{text}` for `format: slack`. A 2xx answer within 5 s delivers it; anything else (another status, a redirect, which is never followed, a timeout) is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h, 15 attempts over 3 days. An endpoint whose every attempt failed for 3 days is disabled, with `disabledReason` saying why.
     */
    get: operations["listWebhookDeliveries"];
  };
  "/v1/projects/{id}/oidc-token": {
    /**
     * Issue an OIDC token for a project
     * @description A JWT signed by this instance (ES256, keys at `/.well-known/jwks.json`), valid 12 hours, that the gateway accepts as `credential` instead of an API key: no secret to store, nothing to rotate. Claims: `iss` (`TOLLGATE_PUBLIC_URL`), `aud` (`<iss>/<team slug>`), `sub` (`owner:<team slug>:project:<project name>:environment:<environment>`), `owner`, `owner_id`, `project`, `project_id`, `environment`, `iat`, `nbf`, `exp`, `jti`, and for a token a member minted `minted_by` (their user id) and `minted_by_epoch`. Requests authorized with it count against the team's and the project's budgets (there is no key budget). It stops authorizing when the project is deleted, when the member who minted it is removed from the team or their role is lowered, and when its signing key is revoked (`POST /v1/admin/oidc/rotate` with `revokePrevious`).
     *
     *  Roles: any member (DEVELOPER included) may mint `development` tokens; `preview` and `production` need OWNER or MEMBER. Another team's project is 404. Each issuance is in the audit log (`oidc_token.create`, with its `jti`, never the token). 503 `encryption_key_missing` on Postgres without `TOLLGATE_ENCRYPTION_KEY` (signing keys are stored encrypted).
     */
    post: operations["createProjectOidcToken"];
  };
  "/v1/admin/oidc/rotate": {
    /**
     * Rotate the OIDC signing key (instance admin)
     * @description Needs `TOLLGATE_ADMIN_TOKEN`. A new ES256 key signs every token from now on, on every instance; the previous key stays in `/.well-known/jwks.json` for 12 hours and 5 minutes (until every token it signed has expired), so rotation never breaks a live token. With `{"revokePrevious": true}` every older key is revoked instead: it leaves the JWKS at once and every token it signed stops authorizing at once on every instance (401; usage of requests admitted before still counts); use it when a key may have leaked or to end every token issued so far. Keys also rotate by themselves once older than `TOLLGATE_OIDC_KEY_MAX_AGE_DAYS` (default 30), never revoking. Body: `{}`, `{"reason": …}`, `{"revokePrevious": true}`. 503 `encryption_key_missing` without `TOLLGATE_ENCRYPTION_KEY` on Postgres.
     */
    post: operations["rotateOidcSigningKey"];
  };
  "/.well-known/jwks.json": {
    /**
     * This issuer's public keys
     * @description No authentication. The keys that verify the project tokens this instance issues: the signing key, and retired keys until every token they signed has expired. `Cache-Control: public, max-age=300`.
     */
    get: operations["getJwks"];
  };
  "/.well-known/openid-configuration": {
    /**
     * OIDC discovery document
     * @description No authentication. `issuer` is `TOLLGATE_PUBLIC_URL`; `jwks_uri` points at `/.well-known/jwks.json`. `Cache-Control: public, max-age=3600`.
     */
    get: operations["getOpenIdConfiguration"];
  };
  "/v1/gateway/authorize": {
    /**
     * May this credential call this model?
     * @description For the gateway service token only. Checks, in order: the key (401 `unauthorized` for an unknown, malformed, deleted or leaked key); its status (403 `API key is inactive` / `API key has expired`); the key's model allow-list, applied to the requested model (403 `Model '<m>' is not allowed for this API key`); the team's routing rules (403 `Request denied by a routing rule.` with `param.ruleId` and `param.reason`; 400 `rule_chain_invalid`); then every budget in scope (402 `quota_for_entity_exceeded` when any is spent; for a `hard` budget, also when the request's worst case does not fit in what is left: the message says so); then the key's rate limits (429 `rate_limit_exceeded` with `Retry-After` and `param {limit, remaining, resetAt}`; with an `estimate`, `tokensPerMinute` reserves its tokens). Soft budgets are soft caps: a request admitted here is always recorded by usage, even if it crosses the limit. Hard budgets reserve the request's worst case under `requestId` (400 without one), settled by the usage report with the same `requestId`. A project OIDC token is accepted as `credential` too: verified (ES256 signature, `iss`, `aud`, `nbf`, `exp`), its project must still exist, its signing key must not be revoked, and the member who minted it must still be a member whose role was not lowered since (else 401, as for any bad token, with no detail); the team's rules and the team's and project's budgets apply; `keyId` is null, and only BYOK credentials not restricted to particular keys are returned.
     */
    post: operations["gatewayAuthorize"];
  };
  "/v1/gateway/usage": {
    /**
     * Report what a request cost
     * @description For the gateway service token only. Adds the cost to every budget in the key's scope, exactly, in one transaction; a 202 means the spend is durable. Idempotent on `requestId` within the team: a retry (the same key, cost and byok flag) adds nothing and answers 202 `recorded: false`, so a report can be retried safely after a timeout or a 503; the same `requestId` with another key, cost or byok flag is 409 `request_id_reused` and adds nothing. Another team's request ids never affect this team's. Budgets are soft caps: spend is recorded even past the limit (the request was already admitted), and the next authorize is refused. Usage of a key deleted or revoked since its request was admitted is still recorded.
     */
    post: operations["gatewayUsage"];
  };
  "/v1/chat/completions": {
    /**
     * OpenAI chat completions through the gateway
     * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). For streams, Tollgate asks the provider for `stream_options.include_usage` and drops that extra chunk when the client did not ask for it. The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
     */
    post: operations["gatewayChatCompletions"];
  };
  "/v1/responses": {
    /**
     * OpenAI Responses API through the gateway
     * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). The usage is read from the answer's `usage` (`input_tokens` with `input_tokens_details.cached_tokens`, `output_tokens` with `output_tokens_details.reasoning_tokens`), or, streamed, from the `response.completed` event's `response.usage`. The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
     */
    post: operations["gatewayResponses"];
  };
  "/v1/embeddings": {
    /**
     * OpenAI embeddings through the gateway
     * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
     */
    post: operations["gatewayEmbeddings"];
  };
  "/v1/messages": {
    /**
     * Anthropic Messages through the gateway
     * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). Anthropic clients may send the key as `x-api-key`; `anthropic-version` and `anthropic-beta` are passed on.
     */
    post: operations["gatewayMessages"];
  };
  "/v1/messages/count_tokens": {
    /**
     * Anthropic token counting through the gateway (free)
     * @description Authorized as `POST /v1/messages` is for the key, its model allow-list and the routing rules (refusals in Anthropic's error shape), and passed to the provider's `/v1/messages/count_tokens` with the same credentials (BYOK first, then the system one). Free: no usage is recorded, a spent budget does not refuse it and it does not count toward the key's rate limits. Answers carry `x-tollgate-request-id` and `x-tollgate-model`.
     */
    post: operations["gatewayCountTokens"];
  };
  "/v1/models": {
    /**
     * Models this gateway key may call
     * @description OpenAI's model list, with `provider/model` ids: the key's model allow-list when it has one; otherwise every model the price table knows for the providers the caller has a credential for (a system `<PROVIDER>_API_KEY`, or a BYOK credential of its team), plus the exact models of `TOLLGATE_PRICES`. Models a routing rule denies are left out. The same list as the AI SDK's `GET /v4/ai/config`.
     */
    get: operations["gatewayModels"];
  };
  "/v4/ai/config": {
    /**
     * The models this caller may call, with prices
     * @description What `gateway.getAvailableModels()` reads. The key's allow-list when it has one; otherwise every model the price table knows for the providers with a credential (a system `<PROVIDER>_API_KEY`, or a BYOK credential of the team this caller may use), and the exact `TOLLGATE_PRICES` entries; minus the models a routing rule of the team denies. Prices are US dollars per token, as decimal strings.
     */
    get: operations["aiSdkConfigV4"];
  };
  "/v4/ai/language-model": {
    /**
     * Run a language model call (specification version 4: `ai` 7)
     * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. The body is the AI SDK's call options (`LanguageModelV4CallOptions`, file bytes base64). The answer is the generate result as JSON, or with `ai-language-model-streaming: true` an SSE stream of stream parts (`data: <part JSON>\n\n`). A client that disconnects aborts the provider call and is charged what the provider produced: its reported usage, else the input and the output delivered so far counted by tokenizer (never 0 once a provider was called). On a hard budget the call reserves its worst case (input by tokenizer, `maxOutputTokens` or the model's limit) and a call that does not fit is a 402.
     */
    post: operations["aiSdkLanguageModelV4"];
  };
  "/v4/ai/embedding-model": {
    /**
     * Embed values (specification version 4: `ai` 7)
     * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. Anthropic has no embeddings API (400).
     */
    post: operations["aiSdkEmbeddingModelV4"];
  };
  "/v3/ai/config": {
    /**
     * The models this caller may call, with prices
     * @description What `gateway.getAvailableModels()` reads. The key's allow-list when it has one; otherwise every model the price table knows for the providers with a credential (a system `<PROVIDER>_API_KEY`, or a BYOK credential of the team this caller may use), and the exact `TOLLGATE_PRICES` entries; minus the models a routing rule of the team denies. Prices are US dollars per token, as decimal strings.
     */
    get: operations["aiSdkConfigV3"];
  };
  "/v3/ai/language-model": {
    /**
     * Run a language model call (specification version 3: `ai` 6)
     * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. The body is the AI SDK's call options (`LanguageModelV3CallOptions`, file bytes base64). The answer is the generate result as JSON, or with `ai-language-model-streaming: true` an SSE stream of stream parts (`data: <part JSON>\n\n`). A client that disconnects aborts the provider call and is charged what the provider produced: its reported usage, else the input and the output delivered so far counted by tokenizer (never 0 once a provider was called). On a hard budget the call reserves its worst case (input by tokenizer, `maxOutputTokens` or the model's limit) and a call that does not fit is a 402.
     */
    post: operations["aiSdkLanguageModelV3"];
  };
  "/v3/ai/embedding-model": {
    /**
     * Embed values (specification version 3: `ai` 6)
     * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. Anthropic has no embeddings API (400).
     */
    post: operations["aiSdkEmbeddingModelV3"];
  };
  "/v1/credits": {
    /**
     * The caller's remaining budget and spend
     * @description What `gateway.getCredits()` reads (at the server's root, as the SDK resolves it from the base URL's origin). `balance`: the tightest remaining budget in the caller's scope (its key's, team's, project's, key creator's; enforced budgets only), and `total_used`: that budget's spend this period. With no budget in scope, `balance` is `Infinity` and `total_used` the caller's spend of all time (its key's, or for an OIDC token its project's, from the hourly rollups). US dollars, as decimal strings.
     */
    get: operations["aiSdkCredits"];
  };
  "/v1/report": {
    /**
     * The caller's spend report
     * @description What `gateway.getSpendReport()` reads (at the server's root), from the hourly rollups of `GET /v1/ai-gateway/usage`: a gateway key's own spend (an OIDC token: its project's) between `start_date` and `end_date` (UTC days, both included, at most 366 days), grouped by `day` (the default; `date_part=hour` for hours), `model`, `provider`, `user` or `tag`, filtered by `model`, `provider`, `user_id` (the end user) or `tags` (comma-separated, at most 100: the requests carrying any of them). The end user and tags are the AI SDK's `providerOptions.gateway.user` and `tags`, kept with each request's usage but not in the rollups: `group_by=user|tag` and the `user_id` and `tags` filters read raw usage reports, so they cover only the last `TOLLGATE_USAGE_RETENTION_DAYS` (default 30), and only the requests that carry an end user or tags: grouped by `user`, requests without one are left out; grouped by `tag`, a request counts once under each of its tags (rows can add up to more than the spend) and requests without tags are left out. Tollgate does not split tokens by credential type: `group_by=credential_type` and the `credential_type` filter are refused (400).
     */
    get: operations["aiSdkSpendReport"];
  };
  "/v1/generation": {
    /**
     * One request's model, cost and tokens
     * @description What `gateway.getGenerationInfo({ id })` reads: the usage recorded for a request, by its id (`x-tollgate-request-id`, also `providerMetadata.gateway.generationId`). A gateway key sees its own requests, an OIDC token its project's. Usage is recorded shortly after the answer (404 until then): the gateway's reports are written in batches, held up to 20 ms for others to join, then committed.
     */
    get: operations["aiSdkGeneration"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    CreateUserResponse: {
      user: components["schemas"]["User"];
      /** @description A personal access token (`tgp_…`) for the new user. Shown only here. */
      bearerToken: string;
    };
    User: {
      /** @example user_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      email: string;
      name: string | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
    };
    /** @description Every error: `{"error": {"code", "message", ...}}`. Extra fields by code: `params` (a list of `{path, message}`) on a 400 `bad_request` for invalid input; `param` (one object) on the refusals the gateway contract shapes: 402 `quota_for_entity_exceeded` (`scope`, `quotaEntityId`, `limitAmount`, ...), 403 `forbidden` by a routing rule (`ruleId`, `reason`), 429 `rate_limit_exceeded` for a key's limit (`limit`, `remaining`, `resetAt`, `limitType`); `kind` and `chain` on 400 `rule_chain_invalid`; `allowed` on 405 `method_not_allowed`; `conflictingRuleId` on a rule's 409 `conflict`. */
    Error: {
      error: {
        code: components["schemas"]["ErrorCode"];
        /** @example Invalid request body. */
        message: string;
        /** @description Validation failures, one per offending field (400 `bad_request` only). */
        params?: {
            path: string;
            message: string;
          }[];
        [key: string]: unknown;
      };
    };
    /**
     * @description Stable snake_case error code; each has one HTTP status: `bad_request` (400), `rule_chain_invalid` (400), `provider_not_configured` (400), `unauthorized` (401), `quota_for_entity_exceeded` (402), `forbidden` (403), `not_found` (404), `method_not_allowed` (405), `conflict` (409), `idempotency_key_in_use` (409), `request_id_reused` (409), `payload_too_large` (413), `idempotency_key_reused` (422), `rate_limit_exceeded` (429), `client_closed_request` (499), `internal_error` (500), `upstream_unavailable` (502), `service_unavailable` (503), `encryption_key_missing` (503), `upstream_timeout` (504). `client_closed_request` is only logged: its client has gone.
     * @example bad_request
     * @enum {string}
     */
    ErrorCode: "bad_request" | "rule_chain_invalid" | "provider_not_configured" | "unauthorized" | "quota_for_entity_exceeded" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "idempotency_key_in_use" | "request_id_reused" | "payload_too_large" | "idempotency_key_reused" | "rate_limit_exceeded" | "client_closed_request" | "internal_error" | "upstream_unavailable" | "service_unavailable" | "encryption_key_missing" | "upstream_timeout";
    CreateUserRequest: {
      /**
       * Format: email
       * @example ada@example.com
       */
      email: string;
      name?: string;
    };
    GetUserResponse: {
      user: components["schemas"]["User"];
      teams: components["schemas"]["TeamMembership"][];
    };
    TeamMembership: {
      id: string;
      slug: string;
      name: string;
      /**
       * @description OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.
       * @enum {string}
       */
      role: "OWNER" | "MEMBER" | "DEVELOPER";
    };
    CreateTokenResponse: {
      token: components["schemas"]["AuthToken"];
      /** @description The secret (`tgp_…`). Shown only here; stored hashed. */
      bearerToken: string;
    };
    AuthToken: {
      /** @example tok_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      name: string;
      /** @description The one team this token may act on; null for every team of its user. */
      teamId: string | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      expiresAt: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /**
       * @description Last use (updated at most once a minute).
       * @example 1767225600000
       */
      activeAt: number;
    };
    CreateTokenRequest: {
      name: string;
      /** @description Expiry in ms since the epoch; must be in the future. */
      expiresAt?: number;
      /** @description Scope the token to one team you belong to. */
      teamId?: string;
    };
    ListTokensResponse: {
      tokens: components["schemas"]["AuthToken"][];
      pagination: components["schemas"]["Pagination"];
    };
    Pagination: {
      /** @description Items in this page. */
      count: number;
      /** @description Pass as `?until=` for the next page; null on the last page. */
      next: string | null;
      /** @description Always null: pages are walked forwards. */
      prev: null;
    };
    CreateTeamResponse: {
      team: components["schemas"]["Team"];
    };
    Team: {
      /** @example team_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      /** @example acme */
      slug: string;
      /** @example Acme */
      name: string;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
    };
    CreateTeamRequest: {
      /** @example acme */
      slug: string;
      name: string;
    };
    ListTeamsResponse: {
      teams: components["schemas"]["TeamWithRole"][];
      pagination: components["schemas"]["Pagination"];
    };
    TeamWithRole: components["schemas"]["Team"] & ({
      /**
       * @description OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.
       * @enum {string}
       */
      role: "OWNER" | "MEMBER" | "DEVELOPER";
    });
    AddMemberResponse: {
      member: components["schemas"]["TeamMember"];
    };
    TeamMember: {
      userId: string;
      email: string;
      name: string | null;
      /**
       * @description OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.
       * @enum {string}
       */
      role: "OWNER" | "MEMBER" | "DEVELOPER";
      /**
       * @description When the user joined the team.
       * @example 1767225600000
       */
      createdAt: number;
    };
    AddMemberRequest: {
      /**
       * Format: email
       * @example ada@example.com
       */
      email: string;
      /**
       * @description OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.
       * @enum {string}
       */
      role: "OWNER" | "MEMBER" | "DEVELOPER";
    };
    ListMembersResponse: {
      members: components["schemas"]["TeamMember"][];
      pagination: components["schemas"]["Pagination"];
    };
    UpdateMemberResponse: {
      member: components["schemas"]["TeamMember"];
    };
    UpdateMemberRequest: {
      /**
       * @description OWNER: everything. MEMBER: keys, budgets, rules, BYOK, projects. DEVELOPER: read-only.
       * @enum {string}
       */
      role: "OWNER" | "MEMBER" | "DEVELOPER";
    };
    CreateProjectResponse: {
      project: components["schemas"]["Project"];
    };
    Project: {
      /** @example prj_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      teamId: string;
      /** @example storefront */
      name: string;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /** @description The user id that created it. */
      createdBy: string;
    };
    CreateProjectRequest: {
      name: string;
    };
    ListProjectsResponse: {
      projects: components["schemas"]["Project"][];
      pagination: components["schemas"]["Pagination"];
    };
    CreateApiKeyResponse: {
      /** @description The key (`tgk_…`, 256 random bits in base62 plus a 6-character CRC32 checksum). Returned only here; stored as a SHA-256 digest. */
      apiKeyString: string;
      apiKey: components["schemas"]["ApiKey"];
    };
    ApiKey: {
      /** @example key_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      /**
       * @description `default` when not given at creation.
       * @example default
       */
      name: string;
      teamId: string;
      /** @enum {string} */
      purpose: "ai-gateway";
      projectId: string | null;
      /**
       * @description The key's last 4 characters.
       * @example x9Qa
       */
      partialKey: string;
      /** @description The user id that created the key. */
      createdBy: string;
      /** @description Always null (no app integrations). */
      createdByAppId: null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      expiresAt: number | null;
      /**
       * @description Time of the last use; equals `createdAt` until the first use.
       * @example 1767225600000
       */
      activeAt: number;
      /**
       * @description `leaked` (reported compromised) wins over `deactivated` (its creator left the team), which wins over `expired`.
       * @enum {string}
       */
      status: "active" | "expired" | "deactivated" | "leaked";
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      leakedAt: number | null;
      leakedUrl: string | null;
      /** @description Allow-list of model ids; empty means every model. */
      models: string[];
      /** @description As sent: the same keys in the same order. */
      metadata: {
        [key: string]: unknown;
      };
      rateLimit: components["schemas"]["ApiKeyRateLimit"];
      /**
       * @description After `POST /v1/api-keys/{id}/roll` with a grace period: until when the previous secret is still accepted. Null when none is.
       * @example 1767225600000
       */
      previousSecretExpiresAt: number | null;
      quota: components["schemas"]["ApiKeyQuota"];
    };
    /** @description Per-key rate limits; null when the key has none. */
    ApiKeyRateLimit: {
      /** @description Authorize calls per minute (fixed 60 s windows). */
      requestsPerMinute?: number;
      /** @description Tokens per minute, counted from usage reports (`inputTokens + outputTokens`). */
      tokensPerMinute?: number;
    } | null;
    /** @description The key's budget; null when the key is unlimited. */
    ApiKeyQuota: ({
      /** @example api_key_id_key_01jd7y2m3n4p5q6r7s8t9v0w1x */
      quotaEntityId: string;
      /** @description Budget in US dollars. */
      limitAmount: number;
      /** @description Spend counted against the budget in the current period, in US dollars. */
      currentSpend: number;
      /** @description BYOK spend in the current period (counted only when `includeByokInQuota`). */
      currentByokSpend: number;
      includeByokInQuota: boolean;
      /** @enum {string} */
      refreshPeriod: "daily" | "weekly" | "monthly" | "none";
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      periodStart: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      periodEnd: number | null;
      active: boolean;
      archived: boolean;
      alertThresholds: number[];
      /**
       * @description `hard`: requests reserve their worst-case cost and the limit is a cap (see the budgets guide).
       * @enum {string}
       */
      enforcement: "soft" | "hard";
      /** @description US dollars held by gateway instances for requests in flight (hard budgets; 0 for soft ones). */
      reserved: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      updatedAt: number;
    }) | null;
    CreateApiKeyRequest: {
      /**
       * @description Required. Always `ai-gateway`.
       * @enum {string}
       */
      purpose: "ai-gateway";
      /** @description Human-readable name; `default` when absent. */
      name?: string;
      /** @description Scope the key to a project of this team. */
      projectId?: string;
      /** @description Expiry in ms since the epoch; must be in the future. */
      expiresAt?: number;
      /** @description Allow-list of model ids (`provider/model`). Empty or absent: every model. */
      models?: string[];
      aiGatewayQuota?: components["schemas"]["ApiKeyQuotaInput"];
      /** @description Free-form JSON object (at most 50 keys of 1 to 128 characters), returned exactly as sent (same keys, same order). */
      metadata?: {
        [key: string]: unknown;
      };
      rateLimit?: components["schemas"]["ApiKeyRateLimit"];
    };
    /** @description A spending budget for this key (see `PATCH /v1/api-keys/{id}/quota` to change it later). */
    ApiKeyQuotaInput: {
      /** @description Budget in US dollars, at least 1 (at most 6 decimals). */
      limitAmount: number;
      /**
       * @description When spend resets, at UTC boundaries: `daily` 00:00, `weekly` Monday 00:00, `monthly` the 1st 00:00; `none` never.
       * @default none
       * @enum {string}
       */
      refreshPeriod?: "daily" | "weekly" | "monthly" | "none";
      /** @description Count BYOK spend against this budget too (default false). */
      includeByokInQuota?: boolean;
      /** @description Percentages of the limit at which a `quota.threshold` audit event is written, once per threshold per period. Default: [50, 75, 100]. */
      alertThresholds?: (50 | 75 | 100)[];
      /**
       * @description `soft` (default): a request is refused once the budget is spent; requests admitted before may cross the limit. `hard`: each request reserves its worst-case cost (input counted by tokenizer, output at `max_tokens` or the model's output limit, × the price table) and is refused (402) when that does not fit, so the limit is a cap; the reservation becomes the real cost when the request ends.
       * @enum {string}
       */
      enforcement?: "soft" | "hard";
    };
    ListApiKeysResponse: {
      apiKeys: components["schemas"]["ApiKey"][];
      pagination: components["schemas"]["Pagination"];
    };
    GetApiKeyResponse: {
      apiKey: components["schemas"]["ApiKey"];
    };
    UpdateApiKeyResponse: {
      apiKey: components["schemas"]["ApiKey"];
    };
    UpdateApiKeyRequest: {
      name?: string;
      /** @description Replaces the allow-list; `[]` allows every model. */
      models?: string[];
      /** @description A future time in ms, or null for no expiry. */
      expiresAt?: number | null;
      /** @description Replaces the metadata (not merged); returned exactly as sent. */
      metadata?: {
        [key: string]: unknown;
      };
      /** @description `false` deactivates the key (status `deactivated`; authorize refuses it on every instance within 100 ms). `true` reactivates it; a key deactivated by its creator's removal from the team can be reactivated by an OWNER only. A leaked key cannot be re-enabled (409). */
      enabled?: boolean;
      /** @description Replaces the key's rate limits; null removes them. */
      rateLimit?: {
        /** @description Authorize calls per minute (fixed 60 s windows). */
        requestsPerMinute?: number;
        /** @description Tokens per minute, counted from usage reports (`inputTokens + outputTokens`). */
        tokensPerMinute?: number;
      } | null;
    };
    RollApiKeyRequest: {
      /** @description How long the previous secret keeps working, in ms (0 to 7 days; default 0: refused at once). */
      gracePeriodMs?: number;
    };
    CompromisedSecretResponse: {
      /** @enum {string} */
      status: "received";
    };
    CompromisedSecretRequest: {
      secret: {
        /**
         * @description The leaked gateway key (`tgk_[0-9A-Za-z]{49}`). Any string is accepted; one that is not a `tgk_` key with a valid checksum is answered the same way but never looked up.
         * @example tgk_3hQ9xV2mP8rT1wY6zK4nB7cD5fG0jL2sA9eR8uI3oP1qW7M4n
         */
        api_key: string;
      };
    };
    GithubSecretScanningResponse: ({
        /** @description The `token` as received. */
        token_raw: string;
        /** @description The `type` as received. */
        token_type: string;
        /**
         * @description `true_positive` when the token is a key this instance issued (live, already leaked or deleted); otherwise `false_positive`.
         * @enum {string}
         */
        label: "true_positive" | "false_positive";
      })[];
    GithubSecretScanningRequest: components["schemas"]["GithubSecretScanningMatch"][];
    /** @description One match, as GitHub sends it. Fields GitHub may add later are ignored rather than rejected. */
    GithubSecretScanningMatch: {
      /** @description The string GitHub found (our pattern: `tgk_[0-9A-Za-z]{49}`). */
      token: string;
      /**
       * @description The secret type registered with GitHub.
       * @example tollgate_api_key
       */
      type: string;
      /** @description Where it was found; becomes the key's `leakedUrl`. */
      url?: string | null;
      /** @description GitHub's source kind, e.g. `content`, `commit`, `issue_comment`. */
      source?: string | null;
    };
    UpdateApiKeyQuotaResponse: {
      apiKey: components["schemas"]["ApiKey"];
      quota: components["schemas"]["ApiKeyQuota"];
    };
    UpdateApiKeyQuotaRequest: {
      /** @description Budget in US dollars (≥ 1). Required when the key has no budget yet. */
      limitAmount?: number;
      /**
       * @description When spend resets, at UTC boundaries: `daily` 00:00, `weekly` Monday 00:00, `monthly` the 1st 00:00; `none` never.
       * @enum {string}
       */
      refreshPeriod?: "daily" | "weekly" | "monthly" | "none";
      includeByokInQuota?: boolean;
      /** @description `false` pauses enforcement; spend is still counted. */
      active?: boolean;
      /** @description `true` removes the budget (the key's `quota` becomes null: unlimited). Any later edit without `archived: true` restores it, with the spend of the current period. */
      archived?: boolean;
      /** @description Percentages of the limit at which a `quota.threshold` audit event is written, once per threshold per period. Default: [50, 75, 100]. */
      alertThresholds?: (50 | 75 | 100)[];
      /**
       * @description `soft` (default): a request is refused once the budget is spent; requests admitted before may cross the limit. `hard`: each request reserves its worst-case cost (input counted by tokenizer, output at `max_tokens` or the model's output limit, × the price table) and is refused (402) when that does not fit, so the limit is a cap; the reservation becomes the real cost when the request ends.
       * @enum {string}
       */
      enforcement?: "soft" | "hard";
    };
    PutBudgetResponse: {
      budget: components["schemas"]["Budget"];
    };
    Budget: {
      /** @example bdg_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      teamId: string;
      /**
       * @description `team`: all spend of the team. `project` with `projectId`: that project's keys; without: the default budget of every project that has none of its own. `user` with `userId`: keys created by that user; without: the default for every user.
       * @enum {string}
       */
      scopeType: "team" | "project" | "user";
      projectId: string | null;
      userId: string | null;
      /** @description A default budget (no projectId/userId) applies to each project/user separately. */
      isDefault: boolean;
      limitAmount: number;
      /**
       * @description When spend resets, at UTC boundaries: `daily` 00:00, `weekly` Monday 00:00, `monthly` the 1st 00:00; `none` never.
       * @enum {string}
       */
      refreshPeriod: "daily" | "weekly" | "monthly" | "none";
      includeByokInQuota: boolean;
      alertThresholds: number[];
      /**
       * @description `soft` (default): a request is refused once the budget is spent; requests admitted before may cross the limit. `hard`: each request reserves its worst-case cost (input counted by tokenizer, output at `max_tokens` or the model's output limit, × the price table) and is refused (402) when that does not fit, so the limit is a cap; the reservation becomes the real cost when the request ends.
       * @enum {string}
       */
      enforcement: "soft" | "hard";
      /** @description Spend counted in the current period (null for default budgets, which count per project/user). */
      currentSpend: number | null;
      /** @description US dollars held by gateway instances for requests in flight (hard budgets; 0 for soft ones; null for default budgets). */
      reserved: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      periodStart: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      periodEnd: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      updatedAt: number;
    };
    PutBudgetRequest: {
      /**
       * @description `team`: all spend of the team. `project` with `projectId`: that project's keys; without: the default budget of every project that has none of its own. `user` with `userId`: keys created by that user; without: the default for every user.
       * @enum {string}
       */
      scopeType: "team" | "project" | "user";
      projectId?: string;
      userId?: string;
      /** @description US dollars, ≥ 0 (0 refuses every request in scope). */
      limitAmount: number;
      /**
       * @description When spend resets, at UTC boundaries: `daily` 00:00, `weekly` Monday 00:00, `monthly` the 1st 00:00; `none` never.
       * @enum {string}
       */
      refreshPeriod: "daily" | "weekly" | "monthly" | "none";
      includeByokInQuota?: boolean;
      /** @description Percentages of the limit at which a `quota.threshold` audit event is written, once per threshold per period. Default: [50, 75, 100]. */
      alertThresholds?: (50 | 75 | 100)[];
      /**
       * @description `soft` (default) or `hard`.
       * @enum {string}
       */
      enforcement?: "soft" | "hard";
    };
    ListBudgetsResponse: {
      budgets: components["schemas"]["Budget"][];
      pagination: components["schemas"]["Pagination"];
    };
    ListAuditEventsResponse: {
      events: components["schemas"]["AuditEvent"][];
      pagination: components["schemas"]["Pagination"];
    };
    AuditEvent: {
      /** @example evt_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      actor: {
        /** @enum {string} */
        type: "user" | "admin" | "gateway" | "system" | "external";
        id: string;
        /** @description `external` actors (a trusted OIDC issuer's workload): the token's `iss`. */
        issuer?: string;
        /** @description `external` actors: the token's `sub`. */
        subject?: string;
      };
      /** @example api_key.create */
      action: string;
      target: {
        type: string;
        id: string;
      };
      /** @description Details of the change; never a secret. */
      data: {
        [key: string]: unknown;
      };
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
    };
    UsageReportResponse: {
      rows: components["schemas"]["UsageReportRow"][];
      pagination: components["schemas"]["Pagination"];
    };
    UsageReportRow: {
      /**
       * @description Start of the UTC hour, day or month (ms since the epoch).
       * @example 1767225600000
       */
      periodStart: number;
      /** @description With `groupBy=key`: the gateway key (null: usage reported by OIDC token, without a key). */
      keyId?: string | null;
      /**
       * @description With `groupBy=model`: the model actually called.
       * @example openai/gpt-5-mini
       */
      model?: string;
      /** @description With `groupBy=project`: the key's project (null: none). */
      projectId?: string | null;
      /** @description With `groupBy=user`: the key's creator, whose user budget the spend counts against (null: none). */
      userId?: string | null;
      /**
       * @description With `groupBy=endUser`: the app's end user, as the AI SDK sent it (`providerOptions.gateway.user`).
       * @example user-123
       */
      endUser?: string;
      /**
       * @description With `groupBy=tag`: one of the requests' tags (`providerOptions.gateway.tags`); a request counts under each of its tags.
       * @example feature:summaries
       */
      tag?: string;
      /** @description Usage reports recorded. */
      requests: number;
      /** @description Cost of the requests that used Tollgate's (system) provider credentials, in US dollars: what budgets count by default. Saturates at 2^53 − 1 micro-dollars (9007199254.740992), as the budget counters do. */
      costUsd: number;
      /** @description Cost of the requests made with the team's own provider credentials (BYOK). Saturates as `costUsd` does. */
      byokCostUsd: number;
      /** @description Every input token, cache reads and writes included. */
      inputTokens: number;
      /** @description Every output token, reasoning tokens included. */
      outputTokens: number;
      /** @description Of `inputTokens`: read from the provider's prompt cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`), priced at the cache-read rate: what the cache saved. */
      cacheReadTokens: number;
      /** @description Of `inputTokens`: written to the prompt cache (Anthropic `cache_creation_input_tokens`), priced at the cache-write rate. */
      cacheWriteTokens: number;
      /** @description Of `outputTokens`: reasoning tokens (OpenAI `reasoning_tokens`). */
      reasoningTokens: number;
    };
    Rule: {
      /** @example rule_01jd7y2m3n4p5q6r7s8t9v0w1x */
      ruleId: string;
      /**
       * @description The team id that owns the rule.
       * @example team_01jd7y2m3n4p5q6r7s8t9v0w1x
       */
      ownerId: string;
      /**
       * @description `rewrite` replaces the model; `deny` refuses the request.
       * @enum {string}
       */
      type: "rewrite" | "deny";
      match: components["schemas"]["RuleMatch"];
      action: components["schemas"]["RuleAction"];
      /** @description Disabled rules are kept and skipped by resolution. */
      enabled: boolean;
      description: string | null;
      /** @description The user id that created the rule. */
      createdBy: string;
      /** @description The user id that last changed the rule (the creator until the first change). */
      updatedBy: string;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      updatedAt: number;
    };
    RuleMatch: {
      /**
       * @description An exact model id (`provider/model`) or `provider/*`.
       * @example openai/gpt-4o
       */
      model: string;
    };
    RuleAction: {
      /**
       * @description The model a rewrite replaces the match with; null for a deny.
       * @example openai/gpt-5
       */
      rewriteModel: string | null;
      /** @description Why (a deny's reason is reported to the caller); null when not given. */
      reason: string | null;
    };
    CreateRuleRequest: {
      /**
       * @description `rewrite` replaces the model, `deny` refuses the request.
       * @enum {string}
       */
      type: "rewrite" | "deny";
      match: components["schemas"]["RuleMatchInput"];
      action?: components["schemas"]["RuleActionInput"];
      /** @description Up to 500 characters, returned as given. */
      description?: string | null;
    };
    /** @description `model`: an exact `provider/model` id, or `provider/*` for every model of a provider. */
    RuleMatchInput: {
      /** @description An exact model id (provider/model) or provider/* for every model of that provider */
      model: string;
    };
    /** @description Required for a rewrite (`rewriteModel`); optional for a deny (`reason`). */
    RuleActionInput: {
      /** @description Required for a rewrite (a `provider/model` id, never a wildcard); absent or null for a deny. */
      rewriteModel?: string | null;
      /** @description Optional; a deny's reason is reported when it refuses a request. */
      reason?: string | null;
    };
    ListRulesResponse: {
      rules: components["schemas"]["Rule"][];
    };
    UpdateRuleRequest: {
      /**
       * @description The `rule_…` id.
       * @example rule_01jd7y2m3n4p5q6r7s8t9v0w1x
       */
      ruleId: string;
      /** @description Enable or disable. Enabling is 409 when another enabled rule has the same `match.model`. */
      enabled?: boolean;
      /** @description New description; null clears it. */
      description?: string | null;
      action?: components["schemas"]["RuleActionInput"];
    };
    ResolveRulesResponse: {
      /** @example openai/gpt-4o */
      requestedModel: string;
      /**
       * @description The model after every rewrite; when denied, the model at which the deny matched.
       * @example openai/gpt-5
       */
      model: string;
      /** @description Rewrite rules applied, in order, then the deny rule last when denied. */
      appliedRuleIds: string[];
      /** @description The deny rule that would refuse the request, with its reason; null when allowed. */
      denied: ({
        ruleId: string;
        reason: string | null;
      }) | null;
    };
    ResolveRulesRequest: {
      /** @description The model a client would ask for (`provider/model`, not a wildcard). */
      model: string;
    };
    UpdateRuleByIdRequest: {
      /** @description Enable or disable. Enabling is 409 when another enabled rule has the same `match.model`. */
      enabled?: boolean;
      /** @description New description; null clears it. */
      description?: string | null;
      action?: components["schemas"]["RuleActionInput"];
    };
    ByokCredentialResponse: {
      credential: components["schemas"]["ByokCredential"];
    };
    /** @description A BYOK provider credential. Its secret fields are never returned here: only `hint`. */
    ByokCredential: {
      /** @example cred_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      teamId: string;
      /** @enum {string} */
      provider: "openai" | "anthropic" | "azure" | "bedrock" | "vertex" | "xai" | "groq" | "mistral" | "deepseek" | "together" | "fireworks" | "openrouter";
      name: string;
      /** @description Disabled credentials are kept and never returned by authorize. */
      enabled: boolean;
      /** @description 0-based place in the provider's list (see the list's description). */
      position: number;
      /**
       * @description The last 4 characters of the main secret (`apiKey`; bedrock `secretAccessKey`; vertex the private key).
       * @example x9Qa
       */
      hint: string;
      /** @description The gateway keys that may use it; empty: every key of the team. */
      apiKeyIds: string[];
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      createdBy: string;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      updatedAt: number;
      updatedBy: string;
    };
    CreateByokCredentialRequest: {
      /**
       * @description The provider these credentials are for.
       * @example openai
       * @enum {string}
       */
      provider: "openai" | "anthropic" | "azure" | "bedrock" | "vertex" | "xai" | "groq" | "mistral" | "deepseek" | "together" | "fireworks" | "openrouter";
      /**
       * @description 1-100 characters, for people (e.g. `prod-openai`).
       * @example prod-openai
       */
      name: string;
      credentials: components["schemas"]["ByokCredentialsInput"];
      /** @description Default true. */
      enabled?: boolean;
      /** @description Gateway key ids (`key_…`) of this team that may use the credential; empty or absent: every key. An OIDC token (no key) uses only credentials with none. */
      apiKeyIds?: string[];
      /** @description 0-based place in the provider's list; default: last. */
      position?: number;
    };
    /**
     * @description The provider's fields, checked against `provider`: `openai`, `anthropic`, `xai`, `groq`, `mistral`, `deepseek`, `together`, `fireworks`, `openrouter`: `{apiKey}`; `azure`: `{apiKey, resourceName}`; `bedrock`: `{accessKeyId, secretAccessKey, region?}`; `vertex`: `{project, location, googleCredentials: {privateKey, clientEmail}}`. A missing or extra field is 400 with `params` naming `credentials.<field>`.
     * @example {
     *   "apiKey": "sk-proj-…"
     * }
     */
    ByokCredentialsInput: {
      [key: string]: unknown;
    };
    ListByokCredentialsResponse: {
      credentials: components["schemas"]["ByokCredential"][];
      pagination: components["schemas"]["Pagination"];
    };
    UpdateByokCredentialRequest: {
      /**
       * @description 1-100 characters, for people (e.g. `prod-openai`).
       * @example prod-openai
       */
      name?: string;
      /** @description false: kept, but never returned by authorize. */
      enabled?: boolean;
      /** @description Replaces the list; `[]`: every key of the team may use it. */
      apiKeyIds?: string[];
      credentials?: components["schemas"]["ByokCredentialsInput"];
      /** @description Moves the credential to this 0-based place in its provider's list. */
      position?: number;
    };
    CreateWebhookResponse: {
      webhook: components["schemas"]["Webhook"];
      /**
       * @description The signing secret (`whsec_` and 32 bytes in base64), shown this once: verify each delivery's `webhook-signature` with it (any Standard Webhooks library).
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
    };
    /** @description A webhook endpoint. Its signing secret is shown once, when it is created. */
    Webhook: {
      /** @example wh_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      teamId: string;
      url: string;
      events: ("budget.threshold" | "api_key.leaked" | "api_key.expiring" | "byok.credential_failing" | "webhook.test")[];
      /**
       * @description `standard` (default): the Standard Webhooks JSON body. `slack`: `{text}`, for a Slack incoming webhook URL.
       * @enum {string}
       */
      format: "standard" | "slack";
      description: string | null;
      /** @description false: paused (by a PATCH, or by Tollgate after 3 days of failures): nothing is sent but test events. */
      enabled: boolean;
      /** @description Why Tollgate disabled it (3 days of failed deliveries); null otherwise. */
      disabledReason: string | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      disabledAt: number | null;
      /**
       * @description The first failed attempt since the last delivered one; null when the last attempt succeeded.
       * @example 1767225600000
       */
      failingSince: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      createdBy: string;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      updatedAt: number;
      updatedBy: string;
    };
    CreateWebhookRequest: {
      /**
       * @description Where events are POSTed: `http://` or `https://`, no user name or password. Its host is resolved when stored and on every delivery: a private, loopback or link-local address is refused (400) unless the server sets `TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true`.
       * @example https://hooks.example.com/tollgate
       */
      url: string;
      /**
       * @description The events to send (at least one). `budget.threshold`: a budget crossed one of its alert thresholds (50/75/100% by default), once per threshold per budget per period. `api_key.leaked`: a gateway key was reported leaked (it stopped authorizing). `api_key.expiring`: a gateway key expires in 7 days, and again in 1 day. `byok.credential_failing`: the provider refused a team's BYOK credential and the gateway fell back to the system credential (at most once an hour per credential). `webhook.test`: sent by `POST /v1/ai-gateway/webhooks/{id}/test` only.
       * @example [
       *   "budget.threshold",
       *   "api_key.leaked"
       * ]
       */
      events: ("budget.threshold" | "api_key.leaked" | "api_key.expiring" | "byok.credential_failing" | "webhook.test")[];
      /**
       * @description `standard` (default): the Standard Webhooks JSON body. `slack`: `{text}`, for a Slack incoming webhook URL.
       * @enum {string}
       */
      format?: "standard" | "slack";
      /** @description For people, up to 500 characters. */
      description?: string | null;
    };
    ListWebhooksResponse: {
      webhooks: components["schemas"]["Webhook"][];
      pagination: components["schemas"]["Pagination"];
    };
    WebhookResponse: {
      webhook: components["schemas"]["Webhook"];
    };
    UpdateWebhookRequest: {
      /**
       * @description Where events are POSTed: `http://` or `https://`, no user name or password. Its host is resolved when stored and on every delivery: a private, loopback or link-local address is refused (400) unless the server sets `TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true`.
       * @example https://hooks.example.com/tollgate
       */
      url?: string;
      /**
       * @description Replaces the list.
       * @example [
       *   "budget.threshold",
       *   "api_key.leaked"
       * ]
       */
      events?: ("budget.threshold" | "api_key.leaked" | "api_key.expiring" | "byok.credential_failing" | "webhook.test")[];
      /**
       * @description `standard` (default): the Standard Webhooks JSON body. `slack`: `{text}`, for a Slack incoming webhook URL.
       * @enum {string}
       */
      format?: "standard" | "slack";
      /** @description For people, up to 500 characters. */
      description?: string | null;
      /** @description false pauses the endpoint: events wait (test events excepted) until it is enabled again. true also clears `disabledReason` and `failingSince`. */
      enabled?: boolean;
    };
    TestWebhookResponse: {
      /**
       * @description The test event's id (`msg_…`): its `webhook-id` header, and its id in the deliveries list.
       * @example msg_01jd7y2m3n4p5q6r7s8t9v0w1x
       */
      id: string;
      /** @enum {string} */
      type: "webhook.test";
    };
    ListWebhookDeliveriesResponse: {
      deliveries: components["schemas"]["WebhookDelivery"][];
      pagination: components["schemas"]["Pagination"];
    };
    WebhookDelivery: {
      /**
       * @description The event's id (`msg_…`): the `webhook-id` header of every attempt, the same across retries.
       * @example msg_01jd7y2m3n4p5q6r7s8t9v0w1x
       */
      id: string;
      /** @enum {string} */
      type: "budget.threshold" | "api_key.leaked" | "api_key.expiring" | "byok.credential_failing" | "webhook.test";
      /**
       * @description `pending`: to be sent (again) at `nextAttemptAt`; `delivered`: a 2xx answer; `failed`: given up.
       * @enum {string}
       */
      state: "pending" | "delivered" | "failed";
      /** @description Attempts made so far. */
      attempts: number;
      /** @description The HTTP status of the last answer; null when there was none (timeout, connection refused, address refused). */
      lastStatus: number | null;
      lastError: string | null;
      /**
       * @description When it is tried next; null once delivered or failed.
       * @example 1767225600000
       */
      nextAttemptAt: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      deliveredAt: number | null;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      createdAt: number;
      /** @description Every attempt, oldest first: when, the HTTP status (null without an answer), and what went wrong. */
      log: ({
          /**
           * @description Milliseconds since the Unix epoch.
           * @example 1767225600000
           */
          at: number;
          status: number | null;
          error: string | null;
        })[];
    };
    CreateOidcTokenResponse: {
      /** @description The JWT (ES256). Present it to the gateway as the credential, like a `tgk_…` key. */
      token: string;
      /**
       * @description When it stops being accepted: 12 hours after it was issued.
       * @example 1767225600000
       */
      expiresAt: number;
    };
    CreateOidcTokenRequest: {
      /**
       * @description The environment the token is for (default `development`).
       * @enum {string}
       */
      environment?: "development" | "preview" | "production";
    };
    RotateOidcKeyResponse: {
      /** @description The new signing key's id. */
      kid: string;
      /** @description Older keys still published until every token they signed has expired (none after `revokePrevious`). */
      retiredKids: string[];
      /** @description Keys revoked by this rotation (`revokePrevious`): their tokens no longer authorize. Empty otherwise. */
      revokedKids: string[];
    };
    RotateOidcKeyRequest: {
      /** @description Why, for the audit log. */
      reason?: string;
      /** @description `true`: also revoke every older key (e.g. a key may have leaked): they leave the JWKS at once, and every token they signed stops authorizing at once, on every instance (401). Default `false`: older keys stay published until their tokens expire. */
      revokePrevious?: boolean;
    };
    Jwks: {
      /** @description Public JWKs (`kty`, `crv`, `x`, `y`, `kid`, `alg`, `use`), newest first. */
      keys: {
          [key: string]: unknown;
        }[];
    };
    OpenIdConfiguration: {
      issuer: string;
      jwks_uri: string;
      response_types_supported: string[];
      subject_types_supported: string[];
      id_token_signing_alg_values_supported: string[];
      claims_supported: string[];
    };
    AuthorizeResponse: {
      teamId: string;
      projectId: string | null;
      keyId: string | null;
      requestedModel: string;
      /** @description The model to call, after routing rules. */
      model: string;
      appliedRuleIds: string[];
      /** @description Every budget in scope: the key's, the team's, the project's, the key creator's. */
      quotas: components["schemas"]["QuotaSummary"][];
      /** @description The team's enabled BYOK credentials for the resolved model's provider (after routing rules) that this key may use (`apiKeyIds` empty, or naming the key), decrypted, in the team's order: try them first, then the system credentials. */
      credentials: components["schemas"]["GatewayByokCredential"][];
      /** @enum {boolean} */
      fallbackToSystem: true;
    };
    QuotaSummary: {
      /** @enum {string} */
      scope: "api_key" | "team" | "project" | "user";
      /** @description The key, team, project or user id the budget counts. */
      scopeId: string;
      /** @example api_key_id_key_01jd7y2m3n4p5q6r7s8t9v0w1x */
      quotaEntityId: string;
      /** @description US dollars. */
      limitAmount: number;
      /** @description Spend counted against the limit this period (BYOK included only when the budget says so). */
      currentSpend: number;
      /** @description max(0, limitAmount - currentSpend). */
      remaining: number;
      /** @description False for a paused (`active: false`) or archived key budget. */
      enforced: boolean;
      /**
       * @description `hard`: requests reserve their worst case and the limit is a cap.
       * @enum {string}
       */
      enforcement: "soft" | "hard";
      /** @description US dollars gateway instances hold of this hard budget (their leases: requests in flight and the unused rest), as of the last lease change this instance learned of; 0 for soft budgets. */
      reserved: number;
      /**
       * @description Milliseconds since the Unix epoch.
       * @example 1767225600000
       */
      periodEnd: number | null;
    };
    GatewayByokCredential: {
      /** @example cred_01jd7y2m3n4p5q6r7s8t9v0w1x */
      id: string;
      /** @example openai */
      provider: string;
      name: string;
      /**
       * @description The provider's fields, decrypted, e.g. `{"apiKey": "sk-…"}`.
       * @example {
       *   "apiKey": "sk-proj-…"
       * }
       */
      credentials: {
        [key: string]: unknown;
      };
    };
    AuthorizeRequest: {
      /** @description The gateway API key (`tgk_…`) or the project OIDC token (a JWT from `POST /v1/projects/{id}/oidc-token`) the end user presented. */
      credential: string;
      /**
       * @description The model requested, `provider/model`.
       * @example openai/gpt-5
       */
      model: string;
      /** @description The gateway's id for this request: required when a hard budget is in scope. The request's worst case is reserved under it until `POST /v1/gateway/usage` reports the same `requestId` (or the reservation expires). */
      requestId?: string;
      /** @description The request's worst case in tokens: reserved on hard budgets (× the price table) and on the key's `tokensPerMinute`. */
      estimate?: {
        /** @description The request's input tokens, as the gateway counted them (default 0). */
        inputTokens?: number;
        /** @description The most output tokens the request may produce (its `max_tokens`); default: the model's context window, else 32,768. */
        maxOutputTokens?: number;
      };
    };
    UsageResponse: {
      /** @description False when this `requestId` was already recorded (nothing was added again). */
      recorded: boolean;
      quotas: components["schemas"]["QuotaSummary"][];
    };
    UsageRequest: {
      /** @description The key authorize returned (`keyId`). Give this or `credential`. */
      keyId?: string;
      /** @description The presented `tgk_…` key or project OIDC token, instead of `keyId` (a token that expired less than an hour ago still counts). */
      credential?: string;
      /** @description The gateway's id for the request: reports are idempotent on it. */
      requestId: string;
      /** @description The model actually called. */
      model: string;
      /** @description What the request cost, in US dollars; rounded to the nearest micro-dollar (1e-6). */
      costUsd: number;
      /** @description True when the request used the team's own provider credentials (default false). */
      byok?: boolean;
      /** @description Every input token, cache reads and writes included. */
      inputTokens?: number;
      /** @description Every output token, reasoning tokens included. */
      outputTokens?: number;
      /** @description Of the input tokens: read from the provider's prompt cache (kept with the usage and in reports). */
      cacheReadTokens?: number;
      /** @description Of the input tokens: written to the provider's prompt cache. */
      cacheWriteTokens?: number;
      /** @description Of the output tokens: reasoning tokens. */
      reasoningTokens?: number;
    };
    OpenAIError: {
      error: {
        message: string;
        type: string;
        param: string | null;
        code: string | null;
      };
    };
    AnthropicError: {
      /** @enum {string} */
      type: "error";
      error: {
        type: string;
        message: string;
      };
    };
    GatewayModelList: {
      /** @enum {string} */
      object: "list";
      data: {
          /** @example openai/gpt-4o-mini */
          id: string;
          /** @enum {string} */
          object: "model";
          created: number;
          owned_by: string;
        }[];
    };
    AiGatewayError: {
      error: {
        message: string;
        /** @example forbidden */
        type: string;
        param?: unknown;
        code?: components["schemas"]["ErrorCode"];
      };
      generationId?: string;
    };
  };
  responses: {
    /** @description The database is unavailable (`service_unavailable`); retry after `Retry-After` seconds. On `POST /v1/gateway/usage`, retry with the same `requestId`: reports are idempotent. */
    ServiceUnavailable: {
      headers: {
        /** @description Seconds to wait before retrying. */
        "Retry-After"?: number;
      };
      content: {
        "application/json": components["schemas"]["Error"];
      };
    };
  };
  parameters: {
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /**
   * Create a user (instance admin)
   * @description Needs `TOLLGATE_ADMIN_TOKEN`. Creates a user and a first personal access token, returned once. 409 when the email is taken.
   */
  createUser: {
    parameters: {
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateUserRequest"];
      };
    };
    responses: {
      /** @description The user and its first token. */
      201: {
        content: {
          "application/json": components["schemas"]["CreateUserResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * The authenticated user and their teams
   * @description With a team-scoped token, `teams` lists only that team.
   */
  getUser: {
    responses: {
      /** @description The user and the teams it belongs to, with its role in each. */
      200: {
        content: {
          "application/json": components["schemas"]["GetUserResponse"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List your personal access tokens
   * @description Newest first. Secrets are never returned. A team-scoped token lists only the tokens scoped to its team.
   */
  listAuthTokens: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
    };
    responses: {
      /** @description A page of tokens. */
      200: {
        content: {
          "application/json": components["schemas"]["ListTokensResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a personal access token
   * @description A team-scoped token can only create tokens scoped to its own team. `teamId` must be a team you belong to (403 otherwise). A token with an expiry cannot create one that expires later (403); without `expiresAt`, the new token expires when the token creating it does.
   */
  createAuthToken: {
    parameters: {
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateTokenRequest"];
      };
    };
    responses: {
      /** @description The token and its secret. */
      201: {
        content: {
          "application/json": components["schemas"]["CreateTokenResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Revoke a personal access token
   * @description The token stops working at once. Another user's token is 404, and so is, for a team-scoped token, a token not scoped to its team.
   */
  deleteAuthToken: {
    parameters: {
      path: {
        /** @description The `tok_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Revoked. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List your teams
   * @description Oldest first, with your role in each. A team-scoped token sees only its team.
   */
  listTeams: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
    };
    responses: {
      /** @description A page of teams. */
      200: {
        content: {
          "application/json": components["schemas"]["ListTeamsResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a team
   * @description The caller becomes its OWNER. 409 when the slug is taken. A team-scoped token cannot create teams (403).
   */
  createTeam: {
    parameters: {
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateTeamRequest"];
      };
    };
    responses: {
      /** @description The new team. */
      201: {
        content: {
          "application/json": components["schemas"]["CreateTeamResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List members
   * @description Any member may read. Ordered by user id (oldest user first).
   */
  listTeamMembers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
      path: {
        /** @description The team's id (`team_…`) or slug. */
        teamId: string;
      };
    };
    responses: {
      /** @description A page of members. */
      200: {
        content: {
          "application/json": components["schemas"]["ListMembersResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Add a member
   * @description OWNER only. The user must already exist (an instance admin creates users with `POST /v1/admin/users`); an unknown email is 404. 409 when already a member.
   */
  addTeamMember: {
    parameters: {
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The team's id (`team_…`) or slug. */
        teamId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AddMemberRequest"];
      };
    };
    responses: {
      /** @description The new membership. */
      201: {
        content: {
          "application/json": components["schemas"]["AddMemberResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Remove a member
   * @description OWNER only. Every gateway key the member created in this team is deactivated in the same transaction (status `deactivated`; authorize refuses it), and every project OIDC token they minted for this team stops authorizing at once (401). Removing the last OWNER is 409.
   */
  removeTeamMember: {
    parameters: {
      path: {
        /** @description The team's id (`team_…`) or slug. */
        teamId: string;
        userId: string;
      };
    };
    responses: {
      /** @description Removed; their keys are deactivated. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Change a member's role
   * @description OWNER only. Demoting the last OWNER is 409. Lowering a role (OWNER → MEMBER → DEVELOPER) ends every project OIDC token the member minted for this team, at once (authorize answers 401); their gateway keys are not changed.
   */
  updateTeamMember: {
    parameters: {
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The team's id (`team_…`) or slug. */
        teamId: string;
        userId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateMemberRequest"];
      };
    };
    responses: {
      /** @description The updated membership. */
      200: {
        content: {
          "application/json": components["schemas"]["UpdateMemberResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List projects
   * @description Newest first.
   */
  listProjects: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
    };
    responses: {
      /** @description A page of projects. */
      200: {
        content: {
          "application/json": components["schemas"]["ListProjectsResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a project
   * @description OWNER or MEMBER. Names are unique within a team (409).
   */
  createProject: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateProjectRequest"];
      };
    };
    responses: {
      /** @description The new project. */
      201: {
        content: {
          "application/json": components["schemas"]["CreateProjectResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Delete a project
   * @description OWNER or MEMBER. Keys scoped to the project keep working, with `projectId` null; the project's OIDC tokens stop authorizing (401). Another team's project is 404.
   */
  deleteProject: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `prj_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List gateway API keys
   * @description Newest first; deleted keys are not listed. Secrets are never returned.
   */
  listApiKeys: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
        /** @description Only `ai-gateway` exists; accepted for Vercel compatibility. */
        purpose?: "ai-gateway";
      };
    };
    responses: {
      /** @description A page of keys. */
      200: {
        content: {
          "application/json": components["schemas"]["ListApiKeysResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a gateway API key
   * @description OWNER or MEMBER. Answers 200 (as Vercel's API does) with the plaintext key, shown only in this response.
   */
  createApiKey: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateApiKeyRequest"];
      };
    };
    responses: {
      /** @description The key and its secret. */
      200: {
        content: {
          "application/json": components["schemas"]["CreateApiKeyResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Get a gateway API key
   * @description Any member. A deleted key, or one of a team you cannot see, is 404.
   */
  getApiKey: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `key_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description The key (never its secret). */
      200: {
        content: {
          "application/json": components["schemas"]["GetApiKeyResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Delete a gateway API key
   * @description OWNER or MEMBER. The key fails authorization on the very next request; a second DELETE is 404. The 204 carries `Content-Type: application/json` (as Vercel's API answers).
   */
  deleteApiKey: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `key_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Update, disable or re-enable a gateway API key
   * @description OWNER or MEMBER (DEVELOPER: 403). Only the fields given change; `metadata`, `models` and `rateLimit` are replaced as a whole.
   *
   * The change reaches authorize on every instance within 100 ms. A deleted key is 409 (it cannot come back); so is re-enabling a leaked key.
   *
   * Writes an audit event `api_key.update` (`api_key.disable` / `api_key.enable` when `enabled` changes).
   */
  updateApiKey: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `key_…` id. */
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateApiKeyRequest"];
      };
    };
    responses: {
      /** @description The key as updated. */
      200: {
        content: {
          "application/json": components["schemas"]["UpdateApiKeyResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Roll a key's secret, with a grace period for the old one
   * @description OWNER or MEMBER. A new secret for the same key: its id, budget and spend, project, models, metadata and rate limits stay. The previous secret is accepted until `apiKey.previousSecretExpiresAt` (now + `gracePeriodMs`) and refused (401) right after, on every instance; a secret kept from an earlier roll is refused at once. The body is optional (no body: no grace period). A leaked key cannot be rolled back into use (409: create a new key); a deleted key is 404. Audit event `api_key.roll` (never a secret).
   */
  rollApiKey: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `key_…` id. */
        id: string;
      };
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["RollApiKeyRequest"];
      };
    };
    responses: {
      /** @description The new secret (shown only here) and the key. */
      200: {
        content: {
          "application/json": components["schemas"]["CreateApiKeyResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Report a leaked gateway key
   * @description No authentication: anyone who finds a Tollgate key (`tgk_…`) in the wild can report it. A live key becomes `leaked` at once (`leakedAt` set; `/v1/gateway/authorize` refuses it from the next request, on every instance), and an `api_key.leak` audit event (actor type `external`) is written for its team. A key already leaked keeps its first `leakedAt`; a deleted key stays deleted.
   *
   * **No oracle:** every well-formed request (`{"secret": {"api_key": "<string>"}}`) is answered 202 `{"status": "received"}` with the same headers, whether the key exists, is unknown, was already leaked or deleted, or is not a key at all. A string without a valid `tgk_` checksum is never looked up; every string with one costs the same single database statement, found or not. Input that is not that JSON shape (malformed JSON, missing or unknown fields, a non-string key) is 400.
   *
   * Rate-limited per client address (`TOLLGATE_COMPROMISED_RATE_LIMIT` requests a minute, default 60; the address is the socket's, or the first `X-Forwarded-For` hop when `TOLLGATE_TRUST_PROXY=true`). Every request counts, well-formed or not.
   */
  reportCompromisedSecret: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["CompromisedSecretRequest"];
      };
    };
    responses: {
      /** @description Received (whether or not the key exists). */
      202: {
        content: {
          "application/json": components["schemas"]["CompromisedSecretResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many reports from this client address (`rate_limit_exceeded`); retry after `Retry-After` seconds. */
      429: {
        headers: {
          /** @description Seconds until this address may report again. */
          "Retry-After"?: number;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * GitHub secret scanning partner endpoint
   * @description Called by GitHub's secret scanning partner program when it finds strings matching Tollgate's key pattern in a public repository, gist, issue or comment. No bearer token: the request must carry GitHub's signature, verified over the raw body against the public keys in `TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` before the body is parsed. Unsigned or badly signed requests get 401 and revoke nothing.
   *
   * Every match that is a live key this instance issued is marked `leaked` and refused by authorize from then on (`leakedUrl` = the match's `url`, unless the key was already leaked: the first report wins), with an `api_key.leak` audit event (actor type `external`) per key; all marks of one request happen in one transaction. At most 100 matches per request (more: 400).
   *
   * Not configured (`TOLLGATE_GITHUB_SECRET_SCANNING_KEYS` unset): 404, as if the route did not exist.
   */
  githubSecretScanning: {
    parameters: {
      header: {
        /** @description Which of GitHub's public keys signed the request. */
        "github-public-key-identifier": string;
        /** @description Base64 ASN.1 DER ECDSA P-256/SHA-256 signature over the raw request body. */
        "github-public-key-signature": string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["GithubSecretScanningRequest"];
      };
    };
    responses: {
      /** @description One label per match, in request order. */
      200: {
        content: {
          "application/json": components["schemas"]["GithubSecretScanningResponse"];
        };
      };
      /** @description A signed body that is not an array of matches, or more than 100 of them (`bad_request`, with `params`). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing signature headers, unknown key identifier or a signature that does not verify (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description GitHub secret scanning is not configured on this instance (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create, edit, archive or restore a key's budget
   * @description OWNER or MEMBER. The only editable property of a key. Upserts: `limitAmount` is required when the key has no budget. Editing keeps the spend counted in the current period (also when `refreshPeriod` changes).
   */
  updateApiKeyQuota: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `key_…` id. */
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateApiKeyQuotaRequest"];
      };
    };
    responses: {
      /** @description The key and its budget. */
      200: {
        content: {
          "application/json": components["schemas"]["UpdateApiKeyQuotaResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List team, project and user budgets
   * @description Any member. Oldest first, with the spend of the current period, paginated like every list (`limit`, and `until` = the `pagination.next` of the previous page, which continues after it). Key quotas are on the keys themselves.
   */
  listBudgets: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
    };
    responses: {
      /** @description The team's budgets. */
      200: {
        content: {
          "application/json": components["schemas"]["ListBudgetsResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Set a team, project or user budget
   * @description OWNER or MEMBER. Creates or replaces the budget of one scope; editing keeps the spend counted in the current period. A request is refused (402) when any budget in its scope is spent: its key's, the team's, its project's and its creator's.
   */
  putBudget: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PutBudgetRequest"];
      };
    };
    responses: {
      /** @description The budget. */
      200: {
        content: {
          "application/json": components["schemas"]["PutBudgetResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Remove a team, project or user budget
   * @description OWNER or MEMBER. Names the budget as `PUT` does (no projectId/userId: the default one). 404 when there is none.
   */
  deleteBudget: {
    parameters: {
      query: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description `team`: all spend of the team. `project` with `projectId`: that project's keys; without: the default budget of every project that has none of its own. `user` with `userId`: keys created by that user; without: the default for every user. */
        scopeType: "team" | "project" | "user";
        projectId?: string;
        userId?: string;
      };
    };
    responses: {
      /** @description Removed. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * The team's audit log
   * @description Any member. Every mutation (keys, budgets, rules, members, projects, leaks) and every `quota.threshold` alert, newest first. Written in the same transaction as the change it records.
   */
  listAuditEvents: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
    };
    responses: {
      /** @description A page of events. */
      200: {
        content: {
          "application/json": components["schemas"]["ListAuditEventsResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Spend report: who spent it, on which model, which day
   * @description Any member (DEVELOPER included). The team's spend per UTC hour, day or month, split by any of key, model, project and user; only this team's usage.
   *
   * Served from hourly rollups written in the same statement that adds the spend to the budget counters, so a period's `costUsd` and `byokCostUsd` equal the budget counters to the micro-dollar; a report grouped by nothing or by `model` only reads the team-level rollups (one row per hour and model, whatever the number of keys). A report's hour is the instant the usage was counted against budgets.
   *
   * Rows are ordered by period, then by the grouped values; empty periods are left out. Rollups are kept forever; raw usage reports are dropped after `TOLLGATE_USAGE_RETENTION_DAYS`.
   *
   * `groupBy` with `endUser` or `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`, which the rollups do not hold) reads raw usage reports instead, so it covers only the last `TOLLGATE_USAGE_RETENTION_DAYS`, and only the requests that carry an end user (for `endUser`) or tags (for `tag`): the others are left out. A request counts once under each of its tags, so a `tag` report's rows can add up to more than the spend. Its period is the hour the usage was recorded in.
   *
   * `Accept: text/csv` returns the same page as CSV (header row, then one line per row; money in dollars, times in ms), with the next page's cursor in the `X-Next-Cursor` header.
   */
  getUsageReport: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Start (ms since the epoch, UTC), inclusive, at hour precision: the hour holding it is the first one reported. Default: 30 days before `to`. */
        from?: number | null;
        /** @description End (ms since the epoch, UTC), exclusive: hours starting before it are reported. Default: now. */
        to?: number | null;
        /** @description One row per UTC hour, day or calendar month (and per group). Default `day`. */
        granularity?: "hour" | "day" | "month";
        /** @description Comma-separated dimensions to split each period by: any of `key`, `model`, `project`, `user`, `endUser`, `tag`. Default: none (one row per period). `endUser` and `tag` (the AI SDK's `providerOptions.gateway.user` and `tags`) are read from raw usage reports: see the description. */
        groupBy?: string;
        /** @description Rows per page, 1 to 1000 (reports allow larger pages than other lists). */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page (the same query otherwise). */
        until?: string;
      };
    };
    responses: {
      /** @description A page of report rows. */
      200: {
        headers: {
          /** @description CSV only: the cursor of the next page (absent on the last page). */
          "X-Next-Cursor"?: string;
        };
        content: {
          "application/json": components["schemas"]["UsageReportResponse"];
          "text/csv": string;
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List routing rules
   * @description Any member. Oldest first. Vercel's shape `{rules}`: every rule of the team in one answer, not paginated (a team holds at most 1000 rules). Enabled rules only, unless `includeDisabled=true`.
   */
  listRules: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description `true` lists disabled rules too; by default only enabled rules are listed. */
        includeDisabled?: "true" | "false";
      };
    };
    responses: {
      /** @description The team's rules. */
      200: {
        content: {
          "application/json": components["schemas"]["ListRulesResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a routing rule
   * @description OWNER or MEMBER. The new rule is enabled. A `rewrite` needs `action.rewriteModel` (a `provider/model` id); a `deny` must not have one and may carry a `reason`.
   *
   * An exact `match.model` wins over `provider/*`; a rewrite to a model the chain continues from is looked up again (at most 10 rewrites).
   *
   * 409 `conflict` (with `conflictingRuleId`) when an enabled rule of the team already has the same `match.model` (`openai/gpt-4o` and `openai/*` do not conflict); this is enforced by a unique index, so two concurrent creates cannot both win.
   *
   * 400 `rule_chain_invalid` when the new rule would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites for some model (checked at write time so configuration errors surface here, not on live traffic).
   *
   * A team holds at most 1000 rules (409 past that). The response is the bare Rule, as in Vercel's API. Writes an audit event `rule.create`.
   */
  createRule: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateRuleRequest"];
      };
    };
    responses: {
      /** @description The new rule. */
      201: {
        content: {
          "application/json": components["schemas"]["Rule"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field), or `rule_chain_invalid` (with `kind` `cycle`|`too_many_hops` and the `chain` of models): the new rule would form a rewrite cycle or a chain of more than 10 rewrites. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Delete a routing rule (Vercel style: `?ruleId=`)
   * @description OWNER or MEMBER. Deletes the rule for good (to keep it, disable it instead); a second DELETE is 404.
   *
   * Never refused for what it uncovers: if removing a deny (or an exact rule that shadowed a `provider/*` rewrite) exposes a rewrite cycle or a chain of more than 10 rewrites, resolve and authorize answer 400 `rule_chain_invalid` for the models on it until the rules are fixed.
   *
   * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Writes an audit event `rule.delete`.
   */
  deleteRule: {
    parameters: {
      query: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description The `rule_…` id to delete. */
        ruleId: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Update a routing rule (Vercel style: `ruleId` in the body)
   * @description OWNER or MEMBER. Changes `enabled`, `description` and/or `action`; `type` and `match` cannot change (delete and create instead). At least one field is required (400 otherwise).
   *
   * `action` replaces the whole action (a field left out becomes null) and is re-validated against the rule's type: a rewrite without `rewriteModel`, or a deny with one, is 400.
   *
   * Enabling a rule is 409 `conflict` (with `conflictingRuleId`) when another enabled rule of the team has the same `match.model` (enforced by a unique index).
   *
   * 400 `rule_chain_invalid` when the change (a new target, or enabling a rule) would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites. Disabling is never refused: if it uncovers such a chain, resolve and authorize report it with 400 `rule_chain_invalid`.
   *
   * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Sets `updatedBy`/`updatedAt`; writes an audit event `rule.update` with the changes.
   */
  updateRule: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateRuleRequest"];
      };
    };
    responses: {
      /** @description The updated rule. */
      200: {
        content: {
          "application/json": components["schemas"]["Rule"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field), or `rule_chain_invalid` (with `kind` `cycle`|`too_many_hops` and the `chain` of models): the change would form a rewrite cycle or a chain of more than 10 rewrites. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Dry-run the routing rules for a model
   * @description Any member (DEVELOPER included: nothing is written). Runs the same resolver the gateway's authorize uses, over the team's enabled rules (disabled rules are skipped).
   *
   * An exact `match.model` wins over `provider/*`; rewrites chain, at most 10 of them; a rewrite to the current model (e.g. `openai/*` -> `openai/gpt-5` seen from `openai/gpt-5`) ends the chain without counting. A deny anywhere on the chain refuses: reported here in `denied` with 200 (authorize answers 403 `forbidden` with `param.ruleId` and the reason).
   *
   * A rewrite cycle or an 11th rewrite is 400 `rule_chain_invalid` with `kind` and `chain` (normally caught when the rules are written).
   */
  resolveRules: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ResolveRulesRequest"];
      };
    };
    responses: {
      /** @description What the rules do to this model. */
      200: {
        content: {
          "application/json": components["schemas"]["ResolveRulesResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field), or `rule_chain_invalid` (with `kind` `cycle`|`too_many_hops` and the `chain` of models): the team's enabled rules form a rewrite cycle, or need more than 10 rewrites, for this model. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Get a routing rule
   * @description Any member (REST-style companion of the Vercel routes). A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.
   */
  getRule: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `rule_…` id. */
        ruleId: string;
      };
    };
    responses: {
      /** @description The rule. */
      200: {
        content: {
          "application/json": components["schemas"]["Rule"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Delete a routing rule (REST style)
   * @description OWNER or MEMBER. Deletes the rule for good (to keep it, disable it instead); a second DELETE is 404.
   *
   * Never refused for what it uncovers: if removing a deny (or an exact rule that shadowed a `provider/*` rewrite) exposes a rewrite cycle or a chain of more than 10 rewrites, resolve and authorize answer 400 `rule_chain_invalid` for the models on it until the rules are fixed.
   *
   * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Writes an audit event `rule.delete`.
   */
  deleteRuleById: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `rule_…` id. */
        ruleId: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Update a routing rule (REST style)
   * @description OWNER or MEMBER. Changes `enabled`, `description` and/or `action`; `type` and `match` cannot change (delete and create instead). At least one field is required (400 otherwise).
   *
   * `action` replaces the whole action (a field left out becomes null) and is re-validated against the rule's type: a rewrite without `rewriteModel`, or a deny with one, is 400.
   *
   * Enabling a rule is 409 `conflict` (with `conflictingRuleId`) when another enabled rule of the team has the same `match.model` (enforced by a unique index).
   *
   * 400 `rule_chain_invalid` when the change (a new target, or enabling a rule) would make the team's enabled rules form a rewrite cycle or a chain of more than 10 rewrites. Disabling is never refused: if it uncovers such a chain, resolve and authorize report it with 400 `rule_chain_invalid`.
   *
   * A rule of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404. Sets `updatedBy`/`updatedAt`; writes an audit event `rule.update` with the changes.
   */
  updateRuleById: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `rule_…` id. */
        ruleId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateRuleByIdRequest"];
      };
    };
    responses: {
      /** @description The updated rule. */
      200: {
        content: {
          "application/json": components["schemas"]["Rule"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field), or `rule_chain_invalid` (with `kind` `cycle`|`too_many_hops` and the `chain` of models): the change would form a rewrite cycle or a chain of more than 10 rewrites. */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List provider credentials (BYOK)
   * @description Any member (DEVELOPER included). Disabled credentials are listed too. No secret is ever returned: only `hint`.
   *
   * Sorted by provider, then in each provider's order. Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
   *
   * One page: a team holds at most 100 credentials, so `pagination.next` is always null.
   */
  listByokCredentials: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Only this provider's credentials. */
        provider?: "openai" | "anthropic" | "azure" | "bedrock" | "vertex" | "xai" | "groq" | "mistral" | "deepseek" | "together" | "fireworks" | "openrouter";
      };
    };
    responses: {
      /** @description The team's credentials, without secrets. */
      200: {
        content: {
          "application/json": components["schemas"]["ListByokCredentialsResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Store a provider credential (BYOK)
   * @description OWNER or MEMBER. Stores the team's own provider credentials, encrypted at rest (AES-256-GCM with the newest key of `TOLLGATE_ENCRYPTION_KEY`, bound to this team and credential).
   *
   * Shapes of `credentials` per provider: `openai`, `anthropic`, `xai`, `groq`, `mistral`, `deepseek`, `together`, `fireworks`, `openrouter`: `{apiKey}`; `azure`: `{apiKey, resourceName}`; `bedrock`: `{accessKeyId, secretAccessKey, region?}`; `vertex`: `{project, location, googleCredentials: {privateKey, clientEmail}}`. A missing, wrong or extra field is 400 with `params` naming `credentials.<field>`.
   *
   * The answer, the list and the audit log never show a secret: only `hint`, the last 4 characters of the main secret. Only `POST /v1/gateway/authorize` returns the secret, to the gateway service token.
   *
   * Several credentials per provider are allowed. Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
   *
   * A team holds at most 100 credentials (409 past that). Writes an audit event `byok.create`.
   *
   * 503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.
   */
  createByokCredential: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateByokCredentialRequest"];
      };
    };
    responses: {
      /** @description The new credential (no secret: `hint` only). */
      201: {
        content: {
          "application/json": components["schemas"]["ByokCredentialResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description `encryption_key_missing`: the server has no `TOLLGATE_ENCRYPTION_KEY` (Postgres without a key), so it cannot store a secret. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * Get a provider credential (BYOK)
   * @description Any member. No secret: only `hint`. A credential of a team you cannot see, or of another team than `teamId`/`slug` when given, is 404.
   */
  getByokCredential: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `cred_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description The credential, without secrets. */
      200: {
        content: {
          "application/json": components["schemas"]["ByokCredentialResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Delete a provider credential (BYOK)
   * @description OWNER or MEMBER. The encrypted secret is deleted with the row; authorize stops returning it on every instance within 100 ms. The provider's other credentials close the gap in the order. A second delete is 404. Writes an audit event `byok.delete`. Works without `TOLLGATE_ENCRYPTION_KEY`.
   */
  deleteByokCredential: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `cred_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Update a provider credential (BYOK)
   * @description OWNER or MEMBER. Changes any of `name`, `enabled`, `apiKeyIds`, `credentials` (re-encrypted with the newest key), `position`; the provider cannot change.
   *
   * Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.
   *
   * Every instance's authorize answer reflects the change within 100 ms. Writes an audit event `byok.update` (no secret: a credentials change shows the old and new `hint`).
   *
   * 503 `encryption_key_missing` when `credentials` is given and the server has no `TOLLGATE_ENCRYPTION_KEY`.
   */
  updateByokCredential: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `cred_…` id. */
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateByokCredentialRequest"];
      };
    };
    responses: {
      /** @description The updated credential (no secret). */
      200: {
        content: {
          "application/json": components["schemas"]["ByokCredentialResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description `encryption_key_missing`: the server has no `TOLLGATE_ENCRYPTION_KEY` (Postgres without a key), so it cannot store a secret. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * List webhook endpoints
   * @description Any member (DEVELOPER included). Oldest first, disabled ones too (with `disabledReason` when Tollgate disabled it). Never a signing secret. One page: a team holds at most 20 endpoints, so `pagination.next` is always null.
   */
  listWebhooks: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
    };
    responses: {
      /** @description The team's endpoints. */
      200: {
        content: {
          "application/json": components["schemas"]["ListWebhooksResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Create a webhook endpoint
   * @description OWNER only. Tollgate POSTs the team's chosen events to `url`; the answer holds the signing secret, shown this once (stored encrypted, never shown again, never in an event).
   *
   * Each event is POSTed as JSON `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's bytes), or `{text}` for `format: slack`. A 2xx answer within 5 s delivers it; anything else (another status, a redirect, which is never followed, a timeout) is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h, 15 attempts over 3 days. An endpoint whose every attempt failed for 3 days is disabled, with `disabledReason` saying why.
   *
   * A team holds at most 20 endpoints (409 past that). Writes an audit event `webhook.create`.
   *
   * 503 `encryption_key_missing` on Postgres when `TOLLGATE_ENCRYPTION_KEY` is not set.
   */
  createWebhook: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateWebhookRequest"];
      };
    };
    responses: {
      /** @description The new endpoint and its signing secret (shown once). */
      201: {
        content: {
          "application/json": components["schemas"]["CreateWebhookResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description `encryption_key_missing`: the server has no `TOLLGATE_ENCRYPTION_KEY` (Postgres without a key), so it cannot store the signing secret. */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * Delete a webhook endpoint
   * @description OWNER only. The endpoint, its secret and its deliveries (sent or waiting) are deleted: nothing more is sent to it, by any instance. A second delete is 404. Writes an audit event `webhook.delete`.
   */
  deleteWebhook: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `wh_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Deleted. */
      204: {
        content: never;
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Update a webhook endpoint
   * @description OWNER only. Changes any of `url` (checked as on create), `events`, `format`, `description`, `enabled`; the secret stays. Deliveries already waiting go to the new URL and format. Writes an audit event `webhook.update`.
   */
  updateWebhook: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      header?: {
        /** @description Repeat the same write safely: the same key and body within 24 h returns the first response without doing the work twice; the same key with another body is 422 `idempotency_key_reused`. Keys are per token. */
        "idempotency-key"?: string;
      };
      path: {
        /** @description The `wh_…` id. */
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateWebhookRequest"];
      };
    };
    responses: {
      /** @description The updated endpoint. */
      200: {
        content: {
          "application/json": components["schemas"]["WebhookResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). */
      422: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Send a test event
   * @description OWNER only. Queues a `webhook.test` event for this endpoint alone (whatever its `events`, and also when it is disabled: check a receiver before enabling it again), sent and retried like any event: follow it in `GET /v1/ai-gateway/webhooks/{id}/deliveries`. Its `data` is `{webhookId, message}`. It takes no body (an empty JSON object is accepted too); anything else is a 400.
   */
  testWebhook: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `wh_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description Queued. */
      202: {
        content: {
          "application/json": components["schemas"]["TestWebhookResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * List an endpoint's deliveries
   * @description Any member (DEVELOPER included). The events sent or to be sent to this endpoint, newest first, each with its state, attempts (when, HTTP status, error) and next retry. Kept 30 days.
   *
   * Each event is POSTed as JSON `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's bytes), or `{text}` for `format: slack`. A 2xx answer within 5 s delivers it; anything else (another status, a redirect, which is never followed, a timeout) is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h, 15 attempts over 3 days. An endpoint whose every attempt failed for 3 days is disabled, with `disabledReason` saying why.
   */
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Cursor from `pagination.next` of the previous page. */
        until?: string;
      };
      path: {
        /** @description The `wh_…` id. */
        id: string;
      };
    };
    responses: {
      /** @description A page of deliveries. */
      200: {
        content: {
          "application/json": components["schemas"]["ListWebhookDeliveriesResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Issue an OIDC token for a project
   * @description A JWT signed by this instance (ES256, keys at `/.well-known/jwks.json`), valid 12 hours, that the gateway accepts as `credential` instead of an API key: no secret to store, nothing to rotate. Claims: `iss` (`TOLLGATE_PUBLIC_URL`), `aud` (`<iss>/<team slug>`), `sub` (`owner:<team slug>:project:<project name>:environment:<environment>`), `owner`, `owner_id`, `project`, `project_id`, `environment`, `iat`, `nbf`, `exp`, `jti`, and for a token a member minted `minted_by` (their user id) and `minted_by_epoch`. Requests authorized with it count against the team's and the project's budgets (there is no key budget). It stops authorizing when the project is deleted, when the member who minted it is removed from the team or their role is lowered, and when its signing key is revoked (`POST /v1/admin/oidc/rotate` with `revokePrevious`).
   *
   *  Roles: any member (DEVELOPER included) may mint `development` tokens; `preview` and `production` need OWNER or MEMBER. Another team's project is 404. Each issuance is in the audit log (`oidc_token.create`, with its `jti`, never the token). 503 `encryption_key_missing` on Postgres without `TOLLGATE_ENCRYPTION_KEY` (signing keys are stored encrypted).
   */
  createProjectOidcToken: {
    parameters: {
      query?: {
        /** @description The team to act on. Optional when the token is scoped to exactly one team. */
        teamId?: string;
        /** @description The team's slug, instead of `teamId`. */
        slug?: string;
      };
      path: {
        /** @description The `prj_…` id. */
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateOidcTokenRequest"];
      };
    };
    responses: {
      /** @description The token. */
      201: {
        content: {
          "application/json": components["schemas"]["CreateOidcTokenResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This instance cannot sign: `TOLLGATE_ENCRYPTION_KEY` is not set (`encryption_key_missing`). */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * Rotate the OIDC signing key (instance admin)
   * @description Needs `TOLLGATE_ADMIN_TOKEN`. A new ES256 key signs every token from now on, on every instance; the previous key stays in `/.well-known/jwks.json` for 12 hours and 5 minutes (until every token it signed has expired), so rotation never breaks a live token. With `{"revokePrevious": true}` every older key is revoked instead: it leaves the JWKS at once and every token it signed stops authorizing at once on every instance (401; usage of requests admitted before still counts); use it when a key may have leaked or to end every token issued so far. Keys also rotate by themselves once older than `TOLLGATE_OIDC_KEY_MAX_AGE_DAYS` (default 30), never revoking. Body: `{}`, `{"reason": …}`, `{"revokePrevious": true}`. 503 `encryption_key_missing` without `TOLLGATE_ENCRYPTION_KEY` on Postgres.
   */
  rotateOidcSigningKey: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["RotateOidcKeyRequest"];
      };
    };
    responses: {
      /** @description Rotated. */
      200: {
        content: {
          "application/json": components["schemas"]["RotateOidcKeyResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This instance cannot sign: `TOLLGATE_ENCRYPTION_KEY` is not set (`encryption_key_missing`). */
      503: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  /**
   * This issuer's public keys
   * @description No authentication. The keys that verify the project tokens this instance issues: the signing key, and retired keys until every token they signed has expired. `Cache-Control: public, max-age=300`.
   */
  getJwks: {
    responses: {
      /** @description The JSON Web Key Set. */
      200: {
        content: {
          "application/json": components["schemas"]["Jwks"];
        };
      };
      /** @description Only GET (`method_not_allowed`). */
      405: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * OIDC discovery document
   * @description No authentication. `issuer` is `TOLLGATE_PUBLIC_URL`; `jwks_uri` points at `/.well-known/jwks.json`. `Cache-Control: public, max-age=3600`.
   */
  getOpenIdConfiguration: {
    responses: {
      /** @description The discovery document. */
      200: {
        content: {
          "application/json": components["schemas"]["OpenIdConfiguration"];
        };
      };
      /** @description Only GET (`method_not_allowed`). */
      405: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * May this credential call this model?
   * @description For the gateway service token only. Checks, in order: the key (401 `unauthorized` for an unknown, malformed, deleted or leaked key); its status (403 `API key is inactive` / `API key has expired`); the key's model allow-list, applied to the requested model (403 `Model '<m>' is not allowed for this API key`); the team's routing rules (403 `Request denied by a routing rule.` with `param.ruleId` and `param.reason`; 400 `rule_chain_invalid`); then every budget in scope (402 `quota_for_entity_exceeded` when any is spent; for a `hard` budget, also when the request's worst case does not fit in what is left: the message says so); then the key's rate limits (429 `rate_limit_exceeded` with `Retry-After` and `param {limit, remaining, resetAt}`; with an `estimate`, `tokensPerMinute` reserves its tokens). Soft budgets are soft caps: a request admitted here is always recorded by usage, even if it crosses the limit. Hard budgets reserve the request's worst case under `requestId` (400 without one), settled by the usage report with the same `requestId`. A project OIDC token is accepted as `credential` too: verified (ES256 signature, `iss`, `aud`, `nbf`, `exp`), its project must still exist, its signing key must not be revoked, and the member who minted it must still be a member whose role was not lowered since (else 401, as for any bad token, with no detail); the team's rules and the team's and project's budgets apply; `keyId` is null, and only BYOK credentials not restricted to particular keys are returned.
   */
  gatewayAuthorize: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["AuthorizeRequest"];
      };
    };
    responses: {
      /** @description Allowed: which model to call and with which credentials. */
      200: {
        content: {
          "application/json": components["schemas"]["AuthorizeResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A budget in scope is spent (`quota_for_entity_exceeded`). */
      402: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The key is over its `requestsPerMinute` or `tokensPerMinute` (`rate_limit_exceeded`, `param: {limit, remaining, resetAt, limitType}`; `resetAt` in ms). */
      429: {
        headers: {
          /** @description Seconds until the key's current one-minute window ends. */
          "Retry-After"?: number;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Report what a request cost
   * @description For the gateway service token only. Adds the cost to every budget in the key's scope, exactly, in one transaction; a 202 means the spend is durable. Idempotent on `requestId` within the team: a retry (the same key, cost and byok flag) adds nothing and answers 202 `recorded: false`, so a report can be retried safely after a timeout or a 503; the same `requestId` with another key, cost or byok flag is 409 `request_id_reused` and adds nothing. Another team's request ids never affect this team's. Budgets are soft caps: spend is recorded even past the limit (the request was already admitted), and the next authorize is refused. Usage of a key deleted or revoked since its request was admitted is still recorded.
   */
  gatewayUsage: {
    requestBody: {
      content: {
        "application/json": components["schemas"]["UsageRequest"];
      };
    };
    responses: {
      /** @description Recorded (or already recorded). */
      202: {
        content: {
          "application/json": components["schemas"]["UsageResponse"];
        };
      };
      /** @description Invalid input (`bad_request`, with `params` naming each offending field). */
      400: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid bearer token (`unauthorized`). */
      401: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Authenticated but not allowed: the token's role or team scope does not permit this (`forbidden`). */
      403: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or it belongs to a team the caller cannot see (`not_found`). */
      404: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflicts with the current state (`conflict`; `idempotency_key_in_use` while the first request with that key is still running; `request_id_reused` for a usage `requestId` reported before with another key or cost). */
      409: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Request body over 64 KiB (`payload_too_large`). */
      413: {
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * OpenAI chat completions through the gateway
   * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). For streams, Tollgate asks the provider for `stream_options.include_usage` and drops that extra chunk when the client did not ask for it. The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
   */
  gatewayChatCompletions: {
    /** @description OpenAI's chat completion request; `model` is `provider/model`. */
    requestBody: {
      content: {
        "application/json": {
          model: string;
          stream?: boolean;
          /** @description Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider. */
          models?: string[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The provider's answer, as it sent it (JSON, or `text/event-stream` when `stream` is true). */
      200: {
        content: never;
      };
      /** @description Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain. */
      400: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description A budget in the key's scope is spent (`quota_for_entity_exceeded`). */
      402: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description The provider could not be reached. */
      502: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`. */
      504: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
    };
  };
  /**
   * OpenAI Responses API through the gateway
   * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). The usage is read from the answer's `usage` (`input_tokens` with `input_tokens_details.cached_tokens`, `output_tokens` with `output_tokens_details.reasoning_tokens`), or, streamed, from the `response.completed` event's `response.usage`. The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
   */
  gatewayResponses: {
    /** @description OpenAI's Responses request; `model` is `provider/model`. */
    requestBody: {
      content: {
        "application/json": {
          model: string;
          stream?: boolean;
          /** @description Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider. */
          models?: string[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The provider's answer, as it sent it (JSON, or `text/event-stream` of `response.*` events when `stream` is true). */
      200: {
        content: never;
      };
      /** @description Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain. */
      400: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description A budget in the key's scope is spent (`quota_for_entity_exceeded`). */
      402: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description The provider could not be reached. */
      502: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`. */
      504: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
    };
  };
  /**
   * OpenAI embeddings through the gateway
   * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). The body's `user` (OpenAI's end-user id), when a string of 1 to 1000 characters, is stored with the usage as its end user, as the AI SDK's `providerOptions.gateway.user` is (`GET /v1/report?group_by=user`, `GET /v1/ai-gateway/usage?groupBy=endUser`); the provider gets it as sent.
   */
  gatewayEmbeddings: {
    /** @description OpenAI's embeddings request; `model` is `provider/model`. */
    requestBody: {
      content: {
        "application/json": {
          model: string;
          stream?: boolean;
          /** @description Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider. */
          models?: string[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The provider's answer. */
      200: {
        content: never;
      };
      /** @description Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain. */
      400: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description A budget in the key's scope is spent (`quota_for_entity_exceeded`). */
      402: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description The provider could not be reached. */
      502: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`. */
      504: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
    };
  };
  /**
   * Anthropic Messages through the gateway
   * @description Authenticated with a Tollgate gateway key (`tgk_…`) as `Authorization: Bearer`. Authorized in-process as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets); refusals come in the provider API's error shape. The resolved model is called without its `provider/` prefix, with the team's first enabled BYOK credential for the provider, falling back to the system credential `<PROVIDER>_API_KEY` when there is none or it fails with 401/403/429/5xx; base URLs are overridden by `<PROVIDER>_BASE_URL`. The provider's answer passes through with its status (streams chunk by chunk); the cost (the reported tokens, each kind at its price in the table: uncached input, cache reads, cache writes, output, reasoning) is recorded as usage, with the tokens of each kind. Optional `models: [...]`: fallbacks tried in order on 429, 5xx or a timeout. Answers carry `x-tollgate-request-id` and `x-tollgate-model` (the model called). Anthropic clients may send the key as `x-api-key`; `anthropic-version` and `anthropic-beta` are passed on.
   */
  gatewayMessages: {
    /** @description Anthropic's Messages request; `model` is `anthropic/<model>`. */
    requestBody: {
      content: {
        "application/json": {
          model: string;
          stream?: boolean;
          /** @description Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider. */
          models?: string[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The provider's answer (JSON, or `text/event-stream` when `stream` is true). */
      200: {
        content: never;
      };
      /** @description Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain. */
      400: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description A budget in the key's scope is spent (`quota_for_entity_exceeded`). */
      402: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description The provider could not be reached. */
      502: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`. */
      504: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
    };
  };
  /**
   * Anthropic token counting through the gateway (free)
   * @description Authorized as `POST /v1/messages` is for the key, its model allow-list and the routing rules (refusals in Anthropic's error shape), and passed to the provider's `/v1/messages/count_tokens` with the same credentials (BYOK first, then the system one). Free: no usage is recorded, a spent budget does not refuse it and it does not count toward the key's rate limits. Answers carry `x-tollgate-request-id` and `x-tollgate-model`.
   */
  gatewayCountTokens: {
    /** @description Anthropic's count_tokens request; `model` is `anthropic/<model>`. */
    requestBody: {
      content: {
        "application/json": {
          model: string;
          stream?: boolean;
          /** @description Fallbacks (OpenRouter's convention): `provider/model` ids tried in order after `model` when a model answers 429 or 5xx, times out or cannot be reached, before any byte reached the client. Each is checked against the key's allow-list and the team's rules (a refused one is skipped); the key, budgets and rate limits are checked once. Only the model that answered is metered; `x-tollgate-model` names it. Not sent to the provider. */
          models?: string[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The provider's answer: `{input_tokens}`. */
      200: {
        content: never;
      };
      /** @description Invalid body (`model` must be `provider/model`; JSON nested at most 64 levels deep), a provider that speaks the other API, an unknown or unconfigured provider (`provider_not_configured`, naming what to set), or a broken rule chain. */
      400: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      /** @description The provider could not be reached. */
      502: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS`. */
      504: {
        content: {
          "application/json": components["schemas"]["AnthropicError"];
        };
      };
    };
  };
  /**
   * Models this gateway key may call
   * @description OpenAI's model list, with `provider/model` ids: the key's model allow-list when it has one; otherwise every model the price table knows for the providers the caller has a credential for (a system `<PROVIDER>_API_KEY`, or a BYOK credential of its team), plus the exact models of `TOLLGATE_PRICES`. Models a routing rule denies are left out. The same list as the AI SDK's `GET /v4/ai/config`.
   */
  gatewayModels: {
    responses: {
      /** @description The models. */
      200: {
        content: {
          "application/json": components["schemas"]["GatewayModelList"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key. */
      401: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule. */
      403: {
        content: {
          "application/json": components["schemas"]["OpenAIError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * The models this caller may call, with prices
   * @description What `gateway.getAvailableModels()` reads. The key's allow-list when it has one; otherwise every model the price table knows for the providers with a credential (a system `<PROVIDER>_API_KEY`, or a BYOK credential of the team this caller may use), and the exact `TOLLGATE_PRICES` entries; minus the models a routing rule of the team denies. Prices are US dollars per token, as decimal strings.
   */
  aiSdkConfigV4: {
    responses: {
      /** @description The models. */
      200: {
        content: {
          "application/json": {
            models: ({
                /** @example openai/gpt-4o-mini */
                id: string;
                name: string;
                description?: string;
                /** @description From the price table (`TOLLGATE_PRICES` over the package's table); absent for a model without a price. */
                pricing?: {
                  /**
                   * @description US dollars per input token.
                   * @example 0.00000015
                   */
                  input: string;
                  /** @example 0.0000006 */
                  output: string;
                  input_cache_read?: string;
                  input_cache_write?: string;
                };
                specification: {
                  /** @enum {string} */
                  specificationVersion: "v3" | "v4";
                  provider: string;
                  modelId: string;
                };
                /** @enum {string} */
                modelType: "language" | "embedding";
              })[];
          };
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Run a language model call (specification version 4: `ai` 7)
   * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. The body is the AI SDK's call options (`LanguageModelV4CallOptions`, file bytes base64). The answer is the generate result as JSON, or with `ai-language-model-streaming: true` an SSE stream of stream parts (`data: <part JSON>\n\n`). A client that disconnects aborts the provider call and is charged what the provider produced: its reported usage, else the input and the output delivered so far counted by tokenizer (never 0 once a provider was called). On a hard budget the call reserves its worst case (input by tokenizer, `maxOutputTokens` or the model's limit) and a call that does not fit is a 402.
   */
  aiSdkLanguageModelV4: {
    parameters: {
      header: {
        /** @description The model, `provider/model`. */
        "ai-language-model-id": string;
        /** @description `true`: answer with an SSE stream of stream parts. */
        "ai-language-model-streaming"?: "true" | "false";
        "ai-language-model-specification-version"?: "4";
      };
    };
    requestBody: {
      content: {
        "application/json": {
          prompt: unknown[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The generate result (`content`, `finishReason`, `usage`, `providerMetadata`, `warnings`), or `text/event-stream` of stream parts. */
      200: {
        content: never;
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description A budget in the caller's scope is spent (`forbidden`, code `quota_for_entity_exceeded`, the message names the budget). */
      402: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`). */
      404: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The key's rate limit, or the provider's (`rate_limit_exceeded`). */
      429: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The provider could not be reached, failed, or refused Tollgate's credential (`internal_server_error`). */
      502: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS` (`internal_server_error`). */
      504: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
    };
  };
  /**
   * Embed values (specification version 4: `ai` 7)
   * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. Anthropic has no embeddings API (400).
   */
  aiSdkEmbeddingModelV4: {
    parameters: {
      header: {
        /** @description The model, `provider/model`. */
        "ai-model-id": string;
        "ai-embedding-model-specification-version"?: "4";
      };
    };
    requestBody: {
      content: {
        "application/json": {
          values: string[];
          dimensions?: number;
          providerOptions?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The embeddings, in the order of `values`. */
      200: {
        content: {
          "application/json": {
            embeddings: number[][];
            usage?: {
              tokens: number;
            };
            providerMetadata?: {
              [key: string]: unknown;
            };
            warnings: unknown[];
          };
        };
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description A budget in the caller's scope is spent (`forbidden`, code `quota_for_entity_exceeded`, the message names the budget). */
      402: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`). */
      404: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The key's rate limit, or the provider's (`rate_limit_exceeded`). */
      429: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The provider could not be reached, failed, or refused Tollgate's credential (`internal_server_error`). */
      502: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS` (`internal_server_error`). */
      504: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
    };
  };
  /**
   * The models this caller may call, with prices
   * @description What `gateway.getAvailableModels()` reads. The key's allow-list when it has one; otherwise every model the price table knows for the providers with a credential (a system `<PROVIDER>_API_KEY`, or a BYOK credential of the team this caller may use), and the exact `TOLLGATE_PRICES` entries; minus the models a routing rule of the team denies. Prices are US dollars per token, as decimal strings.
   */
  aiSdkConfigV3: {
    responses: {
      /** @description The models. */
      200: {
        content: {
          "application/json": {
            models: ({
                /** @example openai/gpt-4o-mini */
                id: string;
                name: string;
                description?: string;
                /** @description From the price table (`TOLLGATE_PRICES` over the package's table); absent for a model without a price. */
                pricing?: {
                  /**
                   * @description US dollars per input token.
                   * @example 0.00000015
                   */
                  input: string;
                  /** @example 0.0000006 */
                  output: string;
                  input_cache_read?: string;
                  input_cache_write?: string;
                };
                specification: {
                  /** @enum {string} */
                  specificationVersion: "v3" | "v4";
                  provider: string;
                  modelId: string;
                };
                /** @enum {string} */
                modelType: "language" | "embedding";
              })[];
          };
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * Run a language model call (specification version 3: `ai` 6)
   * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. The body is the AI SDK's call options (`LanguageModelV3CallOptions`, file bytes base64). The answer is the generate result as JSON, or with `ai-language-model-streaming: true` an SSE stream of stream parts (`data: <part JSON>\n\n`). A client that disconnects aborts the provider call and is charged what the provider produced: its reported usage, else the input and the output delivered so far counted by tokenizer (never 0 once a provider was called). On a hard budget the call reserves its worst case (input by tokenizer, `maxOutputTokens` or the model's limit) and a call that does not fit is a 402.
   */
  aiSdkLanguageModelV3: {
    parameters: {
      header: {
        /** @description The model, `provider/model`. */
        "ai-language-model-id": string;
        /** @description `true`: answer with an SSE stream of stream parts. */
        "ai-language-model-streaming"?: "true" | "false";
        "ai-language-model-specification-version"?: "3";
      };
    };
    requestBody: {
      content: {
        "application/json": {
          prompt: unknown[];
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The generate result (`content`, `finishReason`, `usage`, `providerMetadata`, `warnings`), or `text/event-stream` of stream parts. */
      200: {
        content: never;
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description A budget in the caller's scope is spent (`forbidden`, code `quota_for_entity_exceeded`, the message names the budget). */
      402: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`). */
      404: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The key's rate limit, or the provider's (`rate_limit_exceeded`). */
      429: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The provider could not be reached, failed, or refused Tollgate's credential (`internal_server_error`). */
      502: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS` (`internal_server_error`). */
      504: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
    };
  };
  /**
   * Embed values (specification version 3: `ai` 6)
   * @description The AI SDK's gateway protocol (`@ai-sdk/gateway`, what `createGateway({ baseURL })` calls), with a Tollgate gateway key or a project OIDC token as `Authorization: Bearer`. Authorized as `POST /v1/gateway/authorize` does (key, allow-list, routing rules, budgets, rate limits), then run on the server through the AI SDK's provider package for the resolved model's provider (`@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`) at `<PROVIDER>_BASE_URL`, with the request's `providerOptions.gateway.byok` credential first, then the team's BYOK credential, then `<PROVIDER>_API_KEY`. `providerOptions.gateway.models` are fallbacks tried in order on a 429, 5xx, timeout or unreachable provider (each authorized); `only` limits the providers; `order` is accepted; `user` (the app's end user, at most 1000 characters) and `tags` (at most 100, each at most 1000 characters) are stored with the usage, for `GET /v1/report?group_by=user|tag`. The cost (the reported tokens by kind × the price table) is recorded as usage. Answers carry `x-tollgate-request-id` (the generation id) and `x-tollgate-model`. Anthropic has no embeddings API (400).
   */
  aiSdkEmbeddingModelV3: {
    parameters: {
      header: {
        /** @description The model, `provider/model`. */
        "ai-model-id": string;
        "ai-embedding-model-specification-version"?: "3";
      };
    };
    requestBody: {
      content: {
        "application/json": {
          values: string[];
          dimensions?: number;
          providerOptions?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The embeddings, in the order of `values`. */
      200: {
        content: {
          "application/json": {
            embeddings: number[][];
            usage?: {
              tokens: number;
            };
            providerMetadata?: {
              [key: string]: unknown;
            };
            warnings: unknown[];
          };
        };
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description A budget in the caller's scope is spent (`forbidden`, code `quota_for_entity_exceeded`, the message names the budget). */
      402: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`). */
      404: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Request body over 10 MiB. */
      413: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The key's rate limit, or the provider's (`rate_limit_exceeded`). */
      429: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description The provider could not be reached, failed, or refused Tollgate's credential (`internal_server_error`). */
      502: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
      /** @description The provider did not answer within `TOLLGATE_UPSTREAM_TIMEOUT_MS` (`internal_server_error`). */
      504: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
    };
  };
  /**
   * The caller's remaining budget and spend
   * @description What `gateway.getCredits()` reads (at the server's root, as the SDK resolves it from the base URL's origin). `balance`: the tightest remaining budget in the caller's scope (its key's, team's, project's, key creator's; enforced budgets only), and `total_used`: that budget's spend this period. With no budget in scope, `balance` is `Infinity` and `total_used` the caller's spend of all time (its key's, or for an OIDC token its project's, from the hourly rollups). US dollars, as decimal strings.
   */
  aiSdkCredits: {
    responses: {
      /** @description The balance and spend. */
      200: {
        content: {
          "application/json": {
            /** @example 12.345678 */
            balance: string;
            /** @example 7.654322 */
            total_used: string;
          };
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * The caller's spend report
   * @description What `gateway.getSpendReport()` reads (at the server's root), from the hourly rollups of `GET /v1/ai-gateway/usage`: a gateway key's own spend (an OIDC token: its project's) between `start_date` and `end_date` (UTC days, both included, at most 366 days), grouped by `day` (the default; `date_part=hour` for hours), `model`, `provider`, `user` or `tag`, filtered by `model`, `provider`, `user_id` (the end user) or `tags` (comma-separated, at most 100: the requests carrying any of them). The end user and tags are the AI SDK's `providerOptions.gateway.user` and `tags`, kept with each request's usage but not in the rollups: `group_by=user|tag` and the `user_id` and `tags` filters read raw usage reports, so they cover only the last `TOLLGATE_USAGE_RETENTION_DAYS` (default 30), and only the requests that carry an end user or tags: grouped by `user`, requests without one are left out; grouped by `tag`, a request counts once under each of its tags (rows can add up to more than the spend) and requests without tags are left out. Tollgate does not split tokens by credential type: `group_by=credential_type` and the `credential_type` filter are refused (400).
   */
  aiSdkSpendReport: {
    parameters: {
      query: {
        start_date: string;
        end_date: string;
        group_by?: "day" | "model" | "provider" | "user" | "tag";
        date_part?: "day" | "hour";
        model?: string;
        provider?: string;
        /** @description Only this end user's requests (`providerOptions.gateway.user`). */
        user_id?: string;
        /** @description Comma-separated tags (at most 100, each at most 1000 characters): only the requests carrying any of them. */
        tags?: string;
      };
    };
    responses: {
      /** @description The report's rows, in order. */
      200: {
        content: {
          "application/json": {
            results: {
                day?: string;
                hour?: string;
                model?: string;
                provider?: string;
                /** @description With `group_by=user`: the end user (`providerOptions.gateway.user`). */
                user?: string;
                /** @description With `group_by=tag`: one tag (`providerOptions.gateway.tags`). */
                tag?: string;
                /** @description US dollars. */
                total_cost: number;
                input_tokens: number;
                output_tokens: number;
                cached_input_tokens: number;
                cache_creation_input_tokens: number;
                reasoning_tokens: number;
                request_count: number;
              }[];
          };
        };
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
  /**
   * One request's model, cost and tokens
   * @description What `gateway.getGenerationInfo({ id })` reads: the usage recorded for a request, by its id (`x-tollgate-request-id`, also `providerMetadata.gateway.generationId`). A gateway key sees its own requests, an OIDC token its project's. Usage is recorded shortly after the answer (404 until then): the gateway's reports are written in batches, held up to 20 ms for others to join, then committed.
   */
  aiSdkGeneration: {
    parameters: {
      query: {
        id: string;
      };
    };
    responses: {
      /** @description The request. */
      200: {
        content: {
          "application/json": {
            data: {
              id: string;
              /** @description US dollars. */
              total_cost: number;
              upstream_inference_cost: number;
              /** @description US dollars (the same as `total_cost`). */
              usage: number;
              created_at: string;
              model: string;
              is_byok: boolean;
              provider_name: string;
              /** @description Not recorded by Tollgate: always false. */
              streamed: boolean;
              /** @description Not recorded by Tollgate: always `unknown`. */
              finish_reason: string;
              /** @description Not recorded by Tollgate: always 0. */
              latency: number;
              /** @description Not recorded by Tollgate: always 0. */
              generation_time: number;
              native_tokens_prompt: number;
              native_tokens_completion: number;
              native_tokens_reasoning: number;
              native_tokens_cached: number;
              native_tokens_cache_creation: number;
              billable_web_search_calls: number;
            };
          };
        };
      };
      /** @description Invalid body or headers (`ai-language-model-id` must be `provider/model`), a provider without a credential (`provider_not_configured`), a broken rule chain, or a request the provider refused (`invalid_request_error`). */
      400: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Missing, unknown, deleted or leaked gateway key, or an invalid OIDC token (`authentication_error`). */
      401: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Key inactive or expired, model not in the key's allow-list, or denied by a routing rule (`forbidden`, `param.ruleId`). */
      403: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      /** @description Unknown provider, or a model the provider does not know (`model_not_found`, `param.modelId`). */
      404: {
        content: {
          "application/json": components["schemas"]["AiGatewayError"];
        };
      };
      503: components["responses"]["ServiceUnavailable"];
    };
  };
}
