import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { anyOf } from "../db/any-of.js";
import { preparedPer, type Db } from "../db/client.js";
import { apiKeys, byokCredentials, teams } from "../db/schema.js";
import { KeyringError, type Keyring } from "../lib/keyring.js";
import type { Logger } from "../lib/logger.js";
import type { SealedColumn } from "../lib/sealed-columns.js";
import type { ProviderCredentials } from "./providers.js";
import type { CredentialRow } from "./schemas.js";

/** BYOK queries (no HTTP here: what maps them to answers is in ./access.ts). */

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

/** Serializes the BYOK writes of a team (positions are renumbered inside them). */
export async function lockTeam(tx: Db, teamId: string): Promise<void> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("no key update");
}

/** Which of `ids` (non-empty) are live (not deleted) keys of the team. */
export async function findLiveTeamKeyIds(tx: Db, teamId: string, ids: string[]): Promise<Set<string>> {
  const found = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), inArray(apiKeys.id, ids), isNull(apiKeys.deletedAt)));
  return new Set(found.map((k) => k.id));
}

/** A credential with its team's slug, or undefined. */
export async function findCredentialWithTeamSlug(db: Db, id: string): Promise<{ cred: CredentialRow; teamSlug: string } | undefined> {
  const [row] = await db
    .select({ cred: byokCredentials, teamSlug: teams.slug })
    .from(byokCredentials)
    .innerJoin(teams, eq(teams.id, byokCredentials.teamId))
    .where(eq(byokCredentials.id, id))
    .limit(1);
  return row;
}

/** A credential by id, or undefined. */
export async function findCredential(db: Db, id: string): Promise<CredentialRow | undefined> {
  const [row] = await db.select().from(byokCredentials).where(eq(byokCredentials.id, id));
  return row;
}

/** How many credentials the team holds. */
export async function countTeamCredentials(db: Db, teamId: string): Promise<number> {
  const [held] = await db.select({ n: count() }).from(byokCredentials).where(eq(byokCredentials.teamId, teamId));
  return Number(held?.n ?? 0);
}

/** The team's credentials (only `provider`'s when given), by provider, then position, then id. */
export async function listCredentials(db: Db, teamId: string, provider: string | undefined): Promise<CredentialRow[]> {
  return db
    .select()
    .from(byokCredentials)
    .where(and(eq(byokCredentials.teamId, teamId), provider ? eq(byokCredentials.provider, provider) : undefined))
    .orderBy(asc(byokCredentials.provider), asc(byokCredentials.position), asc(byokCredentials.id));
}

/** Inserts a credential. */
export async function insertCredential(db: Db, values: typeof byokCredentials.$inferInsert): Promise<void> {
  await db.insert(byokCredentials).values(values);
}

/** Changes credential `id`'s columns in `set`. */
export async function updateCredential(db: Db, id: string, set: Partial<CredentialRow>): Promise<void> {
  await db.update(byokCredentials).set(set).where(eq(byokCredentials.id, id));
}

/** Deletes credential `id` of team `teamId`; returns the deleted row, or undefined when there was none. */
export async function deleteCredential(tx: Db, teamId: string, id: string): Promise<CredentialRow | undefined> {
  const [deleted] = await tx
    .delete(byokCredentials)
    .where(and(eq(byokCredentials.id, id), eq(byokCredentials.teamId, teamId)))
    .returning();
  return deleted;
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
