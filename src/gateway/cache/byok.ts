import type { Db } from "../../db/client.js";
import { TeamByok } from "../../byok/cache.js";
import { loadTeamsGatewayCredentials, type CredentialOpener } from "../../byok/queries.js";
import { CacheUnit, ignore, type ChangeOf, type Trust } from "./unit.js";

/**
 * Each team's enabled BYOK credentials, decrypted: the only place decrypted secrets live. Read
 * for every team missed in one turn by one statement.
 */
export class ByokCache extends CacheUnit<string, TeamByok, ChangeOf<"byok">> {
  /** What reads decrypt with (the app's keyring and log), from the first caller. */
  private deps: CredentialOpener | undefined;
  private readonly reads = this.loader(async (teamIds) => {
    const loaded = await loadTeamsGatewayCredentials(this.db, this.deps!, teamIds);
    return new Map([...loaded].map(([teamId, list]) => [teamId, new TeamByok(list)]));
  });

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max);
  }

  load(deps: CredentialOpener, teamId: string): Promise<TeamByok> {
    this.deps = deps;
    return this.reads.load(teamId);
  }

  /** Starts the team's read if it is not cached (a key of the team was just read), once a caller gave the keyring. */
  prefetch(teamId: string): void {
    if (this.deps !== undefined && !this.map.has(teamId)) this.reads.load(teamId).catch(ignore);
  }

  apply(change: ChangeOf<"byok">): void {
    this.forget(change.teamId);
  }
}
