import { isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { oidcSigningKeys } from "../../db/schema.js";
import { BatchLoader } from "../../lib/batch-loader.js";
import type { ChangeOf, Trust } from "./unit.js";

/**
 * The kids of revoked OIDC signing keys (a rotation with `revokePrevious`), once read: one value,
 * not a map, so a unit of its own shape (generation, trusted gate, the one BatchLoader: the
 * misses of one turn share one read).
 */
export class OidcKeysCache {
  gen = 0;
  private revoked: Set<string> | undefined;
  private readonly reads = new BatchLoader<true, Set<string>>(async () => {
    const gen = this.gen;
    const rows = await this.db.select({ kid: oidcSigningKeys.kid }).from(oidcSigningKeys).where(isNotNull(oidcSigningKeys.revokedAt));
    const kids = new Set(rows.map((r) => r.kid));
    if (this.trust.trusted && gen === this.gen) this.revoked = kids;
    return new Map([[true, kids]]);
  }, () => this.gen);

  constructor(
    private readonly trust: Trust,
    private readonly db: Db,
  ) {}

  /** Whether the key was revoked; synchronous once read. */
  isRevoked(kid: string): boolean | Promise<boolean> {
    if (this.trust.trusted && this.revoked !== undefined) return this.revoked.has(kid);
    return this.reads.load(true).then((kids) => kids.has(kid));
  }

  apply(_change: ChangeOf<"oidc_keys">): void {
    this.clear();
  }

  clear(): void {
    this.gen++;
    this.revoked = undefined;
  }
}
