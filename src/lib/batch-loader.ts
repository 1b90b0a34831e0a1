/** How many reads a loader runs at once, and how long one may hold its place. */
export type BatchLoaderOptions = {
  /**
   * Reads under way at once (default: no limit). The ids asked for while the limit is reached
   * wait for one of them to finish, and then go together in the next read: under a burst, a read
   * carries many ids rather than one each (as commits share a group commit).
   */
  inFlight?: number;
  /**
   * With `inFlight`: a read that takes longer than this gives up its place (it goes on, and its
   * callers still get its answer), so that one stuck on a dead connection does not hold every
   * other id behind it.
   */
  slotMs?: number;
};

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
  private readonly maxInFlight: number;
  private readonly slotMs: number | undefined;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Reads the ids; every id asked for must be in the answer. */
    private readonly fetch: (ids: K[]) => Promise<Map<K, V>>,
    private readonly generation: () => number,
    opts: BatchLoaderOptions = {},
  ) {
    this.maxInFlight = opts.inFlight ?? Infinity;
    this.slotMs = opts.slotMs;
  }

  load(id: K): Promise<V> {
    const generation = this.generation();
    const running = this.running.get(id);
    if (running !== undefined && running.generation === generation) return running.promise;
    const promise = new Promise<V>((resolve, reject) => {
      const earlier = this.queued.get(id);
      // Asked for again in the same turn after a change: both callers get the one (newer) read.
      this.queued.set(id, earlier ? { resolve: (v) => (earlier.resolve(v), resolve(v)), reject: (e) => (earlier.reject(e), reject(e)) } : { resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(this.turn);
      }
    });
    this.running.set(id, { generation, promise });
    const done = () => {
      if (this.running.get(id)?.promise === promise) this.running.delete(id);
    };
    promise.then(done, done);
    return promise;
  }

  /** The end of the turn the first of the queued ids was asked for in. */
  private readonly turn = (): void => {
    this.scheduled = false;
    this.next();
  };

  /** Starts a read of every queued id, if there is any and a place for it. */
  private next(): void {
    if (this.queued.size === 0 || this.inFlight >= this.maxInFlight) return;
    if (this.maxInFlight === Infinity) {
      void this.run();
      return;
    }
    this.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.inFlight--;
      this.next();
    };
    const timer = this.slotMs === undefined ? undefined : setTimeout(release, this.slotMs);
    void this.run().finally(release);
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
