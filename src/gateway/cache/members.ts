import { and, eq, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { memberships } from "../../db/schema.js";
import { CacheUnit, type ChangeOf, type Trust } from "./unit.js";

/** A membership's place in the cache. */
export const memberKey = (teamId: string, userId: string) => `${teamId}\u0000${userId}`;

/**
 * Each membership's `token_epoch` by `memberKey`, null for no membership: an OIDC token a member
 * minted authorizes only while its epoch is the membership's (a removal, a demotion or an
 * addition publishes a `member` change).
 */
export class MembersCache extends CacheUnit<string, string | null, ChangeOf<"member">> {
  private readonly reads = this.loader(async (keys) => {
    const wanted = keys.map((k) => k.split("\u0000") as [string, string]);
    const rows = await this.db
      .select({ teamId: memberships.teamId, userId: memberships.userId, epoch: memberships.tokenEpoch })
      .from(memberships)
      .where(or(...wanted.map(([teamId, userId]) => and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)))));
    const epochOf = new Map(rows.map((r) => [memberKey(r.teamId, r.userId), r.epoch]));
    return new Map(keys.map((k) => [k, epochOf.get(k) ?? null]));
  });

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
  ) {
    super(trust, max);
  }

  load(key: string): Promise<string | null> {
    return this.reads.load(key);
  }

  apply(change: ChangeOf<"member">): void {
    this.forget(memberKey(change.teamId, change.userId));
  }
}
