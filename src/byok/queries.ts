import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { anyOf } from "../db/any-of.js";
import { preparedPer, type Db } from "../db/client.js";
import { apiKeys, byokCredentials, teams } from "../db/schema.js";
import { ApiError, badRequest, errorResponse } from "../http/errors.js";
import { KeyringError, type Keyring } from "../lib/keyring.js";
import type { Logger } from "../lib/logger.js";
import type { SealedColumn } from "../lib/sealed-columns.js";
import type { ProviderCredentials } from "./providers.js";

/** What opening the teams' sealed credentials needs (a subset of the app's dependencies). */
export type CredentialOpener = { keyring: Keyring | null; log: Logger };

/** The additional data a credential's secret is sealed with: a ciphertext opens only in its own row of its own team. */
export const aadOf = (teamId: string, credentialId: string) => `byok:${teamId}:${credentialId}`;

/** The sealed column, for `npm run keys:reencrypt` and the start-up check. */
export const byokSealedColumn: SealedColumn = {
  label: "BYOK credentials",
  table: "byok_credentials",
  key: ["id"],
  column: "sealed",
  aadColumns: ["team_id"],
  aad: (row) => aadOf(String(row.team_id), String(row.id)),
};

export const ENCRYPTION_KEY_MISSING_TEXT =
  "BYOK credentials are stored encrypted and this server has no encryption key: set TOLLGATE_ENCRYPTION_KEY " +
  "(a 32-byte key as base64, e.g. from `openssl rand -base64 32`) and restart. Everything else works without it.";

/** The keyring, or 503 `encryption_key_missing` naming the variable (Postgres without TOLLGATE_ENCRYPTION_KEY). */
export function requireKeyring(keyring: Keyring | null): Keyring {
  if (!keyring) throw new ApiError("encryption_key_missing", ENCRYPTION_KEY_MISSING_TEXT);
  return keyring;
}

export const encryptionMissing503 = {
  503: errorResponse("`encryption_key_missing`: the server has no `TOLLGATE_ENCRYPTION_KEY` (Postgres without a key), so it cannot store a secret."),
};

/** Serializes the BYOK writes of a team (positions are renumbered inside them). */
export async function lockTeam(tx: Db, teamId: string): Promise<void> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("no key update");
}

/** 400 naming each id of `apiKeyIds` that is not a live key of the team; the ids, deduplicated, in order. */
export async function checkApiKeyIds(tx: Db, teamId: string, ids: string[], path = "apiKeyIds"): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), inArray(apiKeys.id, unique), isNull(apiKeys.deletedAt)));
  const known = new Set(found.map((k) => k.id));
  const params = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}.${i}`, message: `'${id}' is not a gateway key of this team` }]));
  if (params.length > 0) throw badRequest("apiKeyIds names keys that are not gateway keys of this team.", params);
  return unique;
}

/**
 * Puts credential `id` at `position` (0-based, clamped) in its provider's list and renumbers the
 * list 0..n-1 (only rows whose position changes are written). Run inside the team's lock.
 */
export async function placeAt(tx: Db, teamId: string, provider: string, id: string, position: number | undefined): Promise<void> {
  const list = await tx
    .select({ id: byokCredentials.id, position: byokCredentials.position })
    .from(byokCredentials)
    .where(and(eq(byokCredentials.teamId, teamId), eq(byokCredentials.provider, provider)))
    .orderBy(asc(byokCredentials.position), asc(byokCredentials.id));
  const order = list.filter((r) => r.id !== id);
  const self = list.find((r) => r.id === id);
  if (self) order.splice(Math.min(position ?? self.position, order.length), 0, self);
  for (let i = 0; i < order.length; i++) {
    if (order[i]!.position !== i) await tx.update(byokCredentials).set({ position: i }).where(eq(byokCredentials.id, order[i]!.id));
  }
}

/** A credential as authorize hands it to the gateway (decrypted). */
export type GatewayCredential = { id: string; provider: string; name: string; credentials: ProviderCredentials };
export type LoadedCredential = { answer: GatewayCredential; apiKeyIds: string[] };

const teamsCredentials = preparedPer((db) =>
  db
    .select()
    .from(byokCredentials)
    .where(and(anyOf(byokCredentials.teamId, sql.placeholder("teams")), eq(byokCredentials.enabled, true)))
    .orderBy(asc(byokCredentials.teamId), asc(byokCredentials.provider), asc(byokCredentials.position), asc(byokCredentials.id))
    .prepare("tollgate_teams_byok"),
);

/**
 * Teams' enabled credentials, decrypted, in order (provider, position), read for several teams in
 * one statement (the gateway cache's batched first touch of teams); every team asked for is in the
 * answer. One that cannot be decrypted (no key, wrong key, data moved) is left out and reported in
 * words through `log`: the gateway then falls back to the system credentials rather than failing
 * the request.
 */
export async function loadTeamsGatewayCredentials(
  db: Db,
  deps: CredentialOpener,
  teamIds: string[],
): Promise<Map<string, LoadedCredential[]>> {
  const rows = await teamsCredentials(db).execute({ teams: JSON.stringify(teamIds) });
  const out = new Map<string, LoadedCredential[]>(teamIds.map((t) => [t, []]));
  for (const r of rows) {
    let credentials: ProviderCredentials;
    try {
      if (!deps.keyring) throw new KeyringError("TOLLGATE_ENCRYPTION_KEY is not set.", "unknown_key");
      credentials = JSON.parse(deps.keyring.open(r.sealed, aadOf(r.teamId, r.id))) as ProviderCredentials;
    } catch (err) {
      if (!(err instanceof KeyringError)) throw err;
      deps.log.error("BYOK credential cannot be decrypted; authorize leaves it out (the gateway falls back to system credentials)", {
        teamId: r.teamId,
        credentialId: r.id,
        reason: err.message,
      });
      continue;
    }
    out.get(r.teamId)?.push({ answer: { id: r.id, provider: r.provider, name: r.name, credentials }, apiKeyIds: r.apiKeyIds });
  }
  return out;
}
