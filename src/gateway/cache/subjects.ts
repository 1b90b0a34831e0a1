import { or } from "drizzle-orm";
import { BatchLoader } from "../../lib/batch-loader.js";
import { anyOf } from "../../db/any-of.js";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema.js";
import type { Subject } from "../../quotas/state.js";
import { ALWAYS_TRUSTED, CacheUnit, type ChangeOf } from "./unit.js";

/**
 * Whose spend a key's usage counts against (team, project, creator), by key id, deleted keys
 * included (usage of a request admitted before the key was deleted still counts). Fixed at the
 * key's creation, so served whatever the listener's state and kept by `clear`; only a project's
 * deletion changes one (its keys' project becomes null), and it publishes a key change naming each.
 */
export class SubjectsCache extends CacheUnit<string, Subject | undefined, ChangeOf<"key">> {
  private readonly byId = this.loader(async (keyIds) => {
    const rows = await this.db.select(SUBJECT).from(apiKeys).where(anyOf(apiKeys.id, JSON.stringify(keyIds)));
    const found = new Map<string, Subject | undefined>(keyIds.map((id) => [id, undefined]));
    for (const s of rows) found.set(s.keyId, s);
    return found;
  });
  /** By a presented credential's digest (current or previous): kept by key id, as `byId` keeps them. */
  private readonly byDigest = new BatchLoader<string, Subject | undefined>(
    async (digests) => {
      const gen = this.gen;
      const json = JSON.stringify(digests);
      const rows = await this.db
        .select({ ...SUBJECT, digest: apiKeys.digest, previousDigest: apiKeys.previousDigest })
        .from(apiKeys)
        .where(or(anyOf(apiKeys.digest, json), anyOf(apiKeys.previousDigest, json)));
      const found = new Map<string, Subject | undefined>(digests.map((d) => [d, undefined]));
      for (const { digest, previousDigest, ...s } of rows) {
        // The subject alone (a row with a digest would pass for a key row: see quota-view.ts subjectOf).
        if (previousDigest !== null && found.has(previousDigest) && found.get(previousDigest) === undefined) found.set(previousDigest, s);
        if (found.has(digest)) found.set(digest, s);
        this.store(s.keyId, s, gen);
      }
      return found;
    },
    () => this.gen,
  );

  constructor(
    max: number,
    private readonly db: Db,
  ) {
    super(ALWAYS_TRUSTED, max);
  }

  ofKey(keyId: string): Promise<Subject | undefined> {
    return this.byId.load(keyId);
  }

  ofDigest(digest: string): Promise<Subject | undefined> {
    return this.byDigest.load(digest);
  }

  protected override keep(found: Map<string, Subject | undefined>, gen: number): void {
    for (const [keyId, s] of found) if (s !== undefined) this.store(keyId, s, gen);
  }

  apply(change: ChangeOf<"key">): void {
    if (change.keyId !== undefined) this.forget(change.keyId);
  }
}

const SUBJECT = { keyId: apiKeys.id, teamId: apiKeys.teamId, projectId: apiKeys.projectId, userId: apiKeys.createdBy };
