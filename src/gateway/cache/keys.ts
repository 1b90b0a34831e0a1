import { and, gt, isNull, or, sql } from "drizzle-orm";
import type { ApiKeyRow } from "../../api-keys/schemas.js";
import { anyOf } from "../../db/any-of.js";
import { preparedPer, type Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema.js";
import { BoundedMap } from "../../lib/bounded-map.js";
import { CacheUnit, type ChangeOf, type Trust } from "./unit.js";

/** Key reads by digest under way at once (see `KeysCache.load`); the misses arriving meanwhile wait for the next. */
export const KEY_READS_IN_FLIGHT = 1;
/** How long a key read may hold its place before the next one may start anyway. */
export const KEY_READ_SLOT_MS = 25;

/**
 * Live keys by digest (and by a rolled key's previous digest, within its grace period). A key's
 * first touch is one indexed read by digest, shared as commits share a group commit: the misses
 * of one event-loop turn go in one read (`digest = any(…)`), and while KEY_READS_IN_FLIGHT reads
 * are under way the next misses wait for one of them to finish and go together in the next (one
 * taking longer than KEY_READ_SLOT_MS gives up its place). Under a burst of new keys a read then
 * carries many keys, not one each.
 */
export class KeysCache extends CacheUnit<string, ApiKeyRow | undefined, ChangeOf<"key">> {
  /** A key's current digest → its previous secret's digest, for the keys cached under the latter (grace period of a roll). */
  private readonly previousOf: BoundedMap<string, string>;
  /** The earliest `now` of the misses waiting for the next read. */
  private readNow = Infinity;
  private readonly reads = this.loader((digests) => this.read(digests), { inFlight: KEY_READS_IN_FLIGHT, slotMs: KEY_READ_SLOT_MS });

  constructor(
    trust: Trust,
    max: number,
    private readonly db: Db,
    /** Told of the rows each read found, while trusted (their teams' reads start at once). */
    private readonly onRead: (rows: ApiKeyRow[]) => void,
  ) {
    super(trust, max);
    this.previousOf = new BoundedMap(max);
  }

  /** The live key for `digest` at `now` (the caller's clock), read from the database. */
  load(digest: string, now: number): Promise<ApiKeyRow | undefined> {
    if (now < this.readNow) this.readNow = now;
    return this.reads.load(digest).then((row) => (row && (row.digest === digest || row.previousDigestExpiresAt! > now) ? row : undefined));
  }

  private async read(digests: string[]): Promise<Map<string, ApiKeyRow | undefined>> {
    // A previous secret (kept after a roll) finds its key until its grace period ends, at each
    // caller's "now": the read takes the earliest, each caller then sees only what is live at its own.
    const now = this.readNow;
    this.readNow = Infinity;
    const rows = await keysByDigest(this.db).execute({ digests: JSON.stringify(digests), now });
    const byDigest = new Map<string, ApiKeyRow>();
    for (const r of rows) {
      if (r.previousDigest !== null && r.previousDigestExpiresAt !== null && r.previousDigestExpiresAt > now) byDigest.set(r.previousDigest, r);
      byDigest.set(r.digest, r);
    }
    if (this.trust.trusted) this.onRead(rows);
    return new Map(digests.map((d) => [d, byDigest.get(d)]));
  }

  /** Keeps what a read found, but not a key a change named since (by the digest looked up, its current or its previous). */
  protected override keep(found: Map<string, ApiKeyRow | undefined>, gen: number): void {
    if (!this.trust.trusted) return;
    for (const [digest, row] of found) {
      if (row === undefined) continue;
      if (this.changedSince(digest, gen) || this.changedSince(row.digest, gen) || (row.previousDigest !== null && this.changedSince(row.previousDigest, gen))) continue;
      this.map.set(digest, row);
      if (row.digest !== digest) this.previousOf.set(row.digest, digest);
    }
  }

  /** Every change of a key names its current digest: its previous secret's entry goes too. */
  apply(change: ChangeOf<"key">): void {
    this.forget(change.digest);
    const previous = this.previousOf.get(change.digest);
    if (previous !== undefined) {
      this.map.delete(previous);
      this.previousOf.delete(change.digest);
    }
  }

  override clear(): void {
    this.previousOf.clear();
    super.clear();
  }
}

/** Live keys by digest, or by a previous secret's digest within its grace period (`digests`: JSON text). */
const keysByDigest = preparedPer((db) =>
  db
    .select()
    .from(apiKeys)
    .where(
      and(
        or(
          anyOf(apiKeys.digest, sql.placeholder("digests")),
          and(anyOf(apiKeys.previousDigest, sql.placeholder("digests")), gt(apiKeys.previousDigestExpiresAt, sql.placeholder("now"))),
        ),
        isNull(apiKeys.deletedAt),
      ),
    )
    .prepare("tollgate_keys_by_digest"),
);
