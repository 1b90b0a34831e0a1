import { LRUCache } from "lru-cache";

/**
 * A Map-shaped least-recently-used cache holding at most `max` entries (lru-cache underneath).
 * Any value may be stored, null included; `get` returns the very value stored (by identity), and
 * counts as a use. `onEvict` is called for entries pushed out by the size bound (not for deletes).
 */
export class BoundedMap<K extends {}, V> {
  private readonly lru: LRUCache<K, { v: V }>;

  constructor(max: number, onEvict?: (key: K) => void) {
    this.lru = new LRUCache<K, { v: V }>({
      max: Math.max(1, max),
      dispose: onEvict ? (_v, k, reason) => void (reason === "evict" && onEvict(k)) : undefined,
    });
  }

  get size(): number {
    return this.lru.size;
  }
  get(key: K): V | undefined {
    return this.lru.get(key)?.v;
  }
  has(key: K): boolean {
    return this.lru.has(key);
  }
  set(key: K, value: V): this {
    this.lru.set(key, { v: value });
    return this;
  }
  delete(key: K): boolean {
    return this.lru.delete(key);
  }
  clear(): void {
    this.lru.clear();
  }
  /** The keys, most recently used first (a copy: the map may be changed while going through it). */
  keys(): K[] {
    return [...this.lru.keys()];
  }
}
