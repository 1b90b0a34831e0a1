import type { Change } from "../../events/changes.js";
import { BatchLoader, type BatchLoaderOptions } from "../../lib/batch-loader.js";
import { BoundedMap } from "../../lib/bounded-map.js";

/** How many recent changes a unit remembers by key (a read older than the oldest it forgot keeps nothing). */
const CHANGES_REMEMBERED = 4096;

/**
 * Whether what the caches hold may be served: one object shared by every unit of a GatewayState,
 * true while its change listener is connected (and its heartbeat comes back in time).
 */
export type Trust = { trusted: boolean };

/** For what stays true whatever the listener's state (a key's subject: fixed at its creation). */
export const ALWAYS_TRUSTED: Trust = { trusted: true };

/** The changes of the kinds in `T`. */
export type ChangeOf<T extends Change["t"]> = Extract<Change, { t: T }>;

/**
 * One cache of the gateway's (see GatewayState): a bounded map (least recently used out), filled
 * on a miss by one BatchLoader (the misses of one event-loop turn in one read), served only while
 * trusted, and emptied of what a change names (`apply`). Every change of the unit's kind moves its
 * generation on, and the unit remembers which key each recent change named: a value read before a
 * change of its key is then not stored (the cache never keeps a value older than the last change
 * it was told about), while a change of another key (another team's, say) costs the read nothing.
 * A new caller does not share a read that started before any change.
 */
export abstract class CacheUnit<K extends {}, V, C extends Change = never> {
  protected readonly map: BoundedMap<K, V>;
  /** Moves on with every change of this unit's kind (and every `clear`). */
  gen = 0;
  /** The keys recent changes named → the generation each change moved to. */
  private readonly changedAt: BoundedMap<K, number>;
  /** A read that started before this generation cannot tell which keys changed since (see `changedSince`). */
  private rememberedFrom = 0;

  constructor(
    protected readonly trust: Trust,
    max: number,
    onEvict?: (key: K) => void,
  ) {
    this.map = new BoundedMap(max, onEvict);
    this.changedAt = new BoundedMap(CHANGES_REMEMBERED, () => (this.rememberedFrom = this.gen));
  }

  /** The cached value, only while trusted (synchronous: the hot path). */
  get(key: K): V | undefined {
    return this.trust.trusted ? this.map.get(key) : undefined;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Applies a change of this unit's kind (from NOTIFY, any instance's): drops what it names, or keeps the value it carries. */
  abstract apply(change: C): void;

  /** Forgets `key`; reads under way are not stored. */
  protected forget(key: K): void {
    this.gen++;
    this.map.delete(key);
    this.changedAt.set(key, this.gen);
  }

  clear(): void {
    this.map.clear();
    this.gen++;
    this.changedAt.clear();
    this.rememberedFrom = this.gen;
  }

  /** Whether a change may have named `key` since generation `gen` (when unsure: yes). */
  protected changedSince(key: K, gen: number): boolean {
    return gen !== this.gen && (gen < this.rememberedFrom || (this.changedAt.get(key) ?? -1) > gen);
  }

  /** Keeps a value read at generation `gen`, unless a change of its key came meanwhile or the cache is not trusted. */
  protected store(key: K, value: V, gen: number): void {
    if (this.trust.trusted && !this.changedSince(key, gen)) this.map.set(key, value);
  }

  /**
   * This unit's loader: `fetch` reads the ids, and what it found is kept (`keep`, by default each
   * value under its id) when no change came during the read.
   */
  protected loader(fetch: (ids: K[]) => Promise<Map<K, V>>, opts?: BatchLoaderOptions): BatchLoader<K, V> {
    return new BatchLoader<K, V>(
      async (ids) => {
        const gen = this.gen;
        const found = await fetch(ids);
        this.keep(found, gen);
        return found;
      },
      () => this.gen,
      opts,
    );
  }

  protected keep(found: Map<K, V>, gen: number): void {
    for (const [k, v] of found) this.store(k, v, gen);
  }
}

/** A read of a unit's ids that nobody waits for: whoever needs it awaits the same read and sees its failure. */
export const ignore = (): void => {};
