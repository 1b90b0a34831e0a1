/**
 * Reads of one kind for many ids: the ids asked for in one event-loop turn are read by ONE call of
 * `fetch` (one statement, one round trip), and a read already under way for an id is shared by
 * whoever asks for it meanwhile, within one generation (`generation()`): after a change is
 * announced the generation moves on, and a new caller gets a new read rather than one that
 * started before the change.
 */
export class BatchLoader<K, V> {
  private queued = new Map<K, { resolve(v: V): void; reject(e: unknown): void }>();
  private running = new Map<K, { generation: number; promise: Promise<V> }>();

  constructor(
    /** Reads the ids; every id asked for must be in the answer. */
    private readonly fetch: (ids: K[]) => Promise<Map<K, V>>,
    private readonly generation: () => number,
  ) {}

  load(id: K): Promise<V> {
    const generation = this.generation();
    const running = this.running.get(id);
    if (running !== undefined && running.generation === generation) return running.promise;
    const promise = new Promise<V>((resolve, reject) => {
      const earlier = this.queued.get(id);
      // Asked for again in the same turn after a change: both callers get the one (newer) read.
      this.queued.set(id, earlier ? { resolve: (v) => (earlier.resolve(v), resolve(v)), reject: (e) => (earlier.reject(e), reject(e)) } : { resolve, reject });
      if (this.queued.size === 1 && earlier === undefined) setImmediate(() => void this.run());
    });
    this.running.set(id, { generation, promise });
    const done = () => {
      if (this.running.get(id)?.promise === promise) this.running.delete(id);
    };
    promise.then(done, done);
    return promise;
  }

  private async run(): Promise<void> {
    const batch = this.queued;
    this.queued = new Map();
    try {
      const found = await this.fetch([...batch.keys()]);
      for (const [id, w] of batch) {
        if (found.has(id)) w.resolve(found.get(id)!);
        else w.reject(new Error(`BatchLoader: ${String(id)} missing from the answer`));
      }
    } catch (e) {
      for (const w of batch.values()) w.reject(e);
    }
  }
}
