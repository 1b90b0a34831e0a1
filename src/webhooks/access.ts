import type { Context } from "hono";
import { requireMember, roleAllows, roleError, roleInTeam, type Permission } from "../http/auth.js";
import type { AppEnv } from "../http/context.js";
import { badRequest, encryptionMissing503 as missingKey503, notFound } from "../http/errors.js";
import { checkTarget, checkUrlShape } from "./address.js";
import { findWebhook } from "./queries.js";
import type { WebhookRow } from "./schemas.js";

/** Why a secret cannot be stored without the encryption key (the 503 `encryption_key_missing`). */
export const ENCRYPTION_KEY_MISSING_TEXT =
  "Webhook signing secrets are stored encrypted and this server has no encryption key: set TOLLGATE_ENCRYPTION_KEY " +
  "(a 32-byte key as base64, e.g. from `openssl rand -base64 32`) and restart.";

/**
 * 400 unless `url` is an http(s) URL this server may send to: its host is resolved and a private,
 * loopback or link-local address is refused unless TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true.
 */
export async function checkWebhookUrl(text: string, allowPrivate: boolean): Promise<string> {
  const shape = checkUrlShape(text);
  if (!shape.ok) throw badRequest(`Invalid webhook URL: it ${shape.message}.`, [{ path: "url", message: shape.message }]);
  const refused = await checkTarget(shape.url, allowPrivate);
  if (refused) throw badRequest(`Webhook URL refused: ${refused}.`, [{ path: "url", message: refused }]);
  return shape.url.toString();
}

/**
 * An endpoint addressed by id, for the caller: 404 when it does not exist, belongs to a team the
 * caller cannot see, or to another team than `?teamId=`/`?slug=`; 403 when the role is too weak.
 */
export async function loadWebhookForCaller(
  c: Context<AppEnv>,
  id: string,
  q: { teamId?: string | undefined; slug?: string | undefined },
  need: Permission,
): Promise<WebhookRow> {
  requireMember(c);
  const row = await findWebhook(c.get("deps").db, id);
  const role = row ? await roleInTeam(c, row.teamId, q) : null;
  if (!row || !role) throw notFound("Webhook");
  if (!roleAllows(role, need)) throw roleError(role, need);
  return row;
}

/** The documented 503 of a route that stores this area's secret. */
export const encryptionMissing503 = missingKey503("the signing secret");
