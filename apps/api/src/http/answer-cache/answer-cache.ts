import { LRUCache } from 'lru-cache';

export interface CachedAnswer {
  /** The route family it answers (counters) and the route pattern (request logs). */
  family: string;
  route: string;
  /** JSON as sent without compression; sent compressed to a reader that asks when at least COMPRESSION_THRESHOLD_BYTES. */
  identity: Buffer;
  /** Compressed once, when a reader first asks for it (answer-encoding.ts withEncoding). */
  br?: Buffer;
  gzip?: Buffer;
  /** Strong ETag of the identity body, quoted; encoded bodies add a suffix. */
  etag: string;
  keys: readonly string[];
  /** Epoch ms after which the clock changes the body; Infinity when it never does. */
  validUntil: number;
}

export interface AnswerCacheCounters {
  hit(family: string): void;
  miss(family: string): void;
  /** A miss that waited for the same answer another request was already computing. */
  joined(family: string): void;
  /** A computed answer not kept because a key of it changed while it was computed. */
  refused(family: string): void;
  evicted(reason: 'budget' | 'changed' | 'expired' | 'flushed', count?: number): void;
}

/**
 * How many changed keys the cache remembers the last change of (about 150 bytes each). A
 * computation is checked against them however many changes it spans; one older than the oldest
 * forgotten change is refused.
 */
const REMEMBERED_KEYS = 50_000;

/** Computations one caller waits for before it computes its own: the one under way and one begun after it arrived. */
const MAX_JOINS = 2;

/**
 * Answers by route + normalised query, each indexed under the read-model keys it was derived from.
 * Entries are never stale by construction: a change notice evicts every entry of a changed key,
 * and an answer computed while a change to one of its keys was being applied is not stored (its
 * rows may predate the change). Bounded by bytes (LRU), not by count.
 */
export class AnswerCache {
  private readonly entries: LRUCache<string, CachedAnswer>;
  private readonly byKey = new Map<string, Set<string>>();
  /**
   * The invalidation round each key last changed in, oldest change first. Checked per key, an
   * answer is refused only for a change to one of its own keys. The first form of this check kept
   * the last 256 rounds: under a stream of commands every projection batch is a round, so an answer
   * that took longer than those rounds to compute (a busy machine) was refused whatever its keys.
   */
  private readonly changedIn = new Map<string, number>();
  /** The last round that flushed everything, and the newest round whose changes may be forgotten. */
  private flushedIn = 0;
  private forgottenUpTo = 0;
  private round = 0;
  private evicting: 'changed' | 'flushed' | undefined;
  /** Computations under way, by cache key, with the invalidation round each began in. */
  private readonly flights = new Map<string, { mark: number; answer: Promise<CachedAnswer | undefined> }>();

  constructor(
    readonly maxBytes: number,
    private readonly counters: AnswerCacheCounters,
    private readonly rememberedKeys = REMEMBERED_KEYS,
  ) {
    this.entries = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      sizeCalculation: sizeOf,
      dispose: (answer, cacheKey, reason) => {
        this.unindex(cacheKey, answer.keys);
        if (reason === 'evict') counters.evicted('budget');
        else if (reason === 'delete' && this.evicting) counters.evicted(this.evicting);
      },
    });
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The answer if held and not outdated by the clock; counts a hit or a miss for the family. */
  get(family: string, cacheKey: string, now: number): CachedAnswer | undefined {
    const answer = this.entries.get(cacheKey);
    if (answer && answer.validUntil <= now) {
      this.entries.delete(cacheKey);
      this.counters.evicted('expired');
    } else if (answer) {
      this.counters.hit(family);
      return answer;
    }
    this.counters.miss(family);
    return undefined;
  }

  /**
   * What `use` makes of the answer if held and current, for the front of the pipeline (undefined
   * when it cannot use the answer as it is): a hit is counted, a miss is not (the request goes on to
   * the route, which counts it).
   */
  peek<T>(cacheKey: string, now: number, use: (answer: CachedAnswer) => T | undefined): T | undefined {
    const answer = this.entries.get(cacheKey);
    if (!answer || answer.validUntil <= now) return undefined;
    const used = use(answer);
    if (used !== undefined) this.counters.hit(answer.family);
    return used;
  }

  /**
   * Single flight: the first miss on a key computes (`compute` gets the mark to store with); misses
   * on the same key while it runs wait for its answer instead of reading the same rows again, the
   * pile-up after an invalidation that made a hot answer's requests queue for connections.
   *
   * A joiner takes the shared answer when the computation began with no change noticed between its
   * start and the joiner's arrival (it read what the joiner's own computation would have: changes
   * noticed after the joiner arrived are not owed to it), or when none of the answer's keys changed
   * since the computation began. Otherwise the answer may predate a change this caller must see:
   * the joiner joins the computation another refused joiner began after it arrived, or begins one;
   * so the joiners of a refused answer compute it once more between them, not once each (under a
   * stream of commands, the herd that made search the soak's tail).
   *
   * Nothing outlives the computation: its failure reaches the callers that were waiting for it, and
   * the next miss computes afresh. An undefined answer (nothing to share) sends a joiner on as a
   * refused one.
   */
  async computeOnce(family: string, cacheKey: string, compute: (mark: number) => Promise<CachedAnswer | undefined>): Promise<CachedAnswer | undefined> {
    const arrived = this.round;
    let flight = this.flights.get(cacheKey);
    for (let joins = 0; flight && joins < MAX_JOINS; joins++) {
      this.counters.joined(family);
      const shared = await flight.answer;
      if (shared && (flight.mark >= arrived || this.unchangedSince(flight.mark, shared.keys))) return shared;
      const next = this.flights.get(cacheKey);
      flight = next !== flight && next !== undefined && next.mark >= arrived ? next : undefined;
    }
    return this.fly(cacheKey, compute);
  }

  private async fly(cacheKey: string, compute: (mark: number) => Promise<CachedAnswer | undefined>): Promise<CachedAnswer | undefined> {
    const started = { mark: this.round, answer: compute(this.round) };
    this.flights.set(cacheKey, started);
    try {
      return await started.answer;
    } finally {
      if (this.flights.get(cacheKey) === started) this.flights.delete(cacheKey);
    }
  }

  /** Mark taken before reading the rows of an answer; `store` refuses the answer if a key of it changed since. */
  mark(): number {
    return this.round;
  }

  store(cacheKey: string, answer: CachedAnswer, mark: number): boolean {
    if (!this.unchangedSince(mark, answer.keys)) {
      this.counters.refused(answer.family);
      return false;
    }
    return this.put(cacheKey, answer);
  }

  /**
   * Adds the compressed bodies of `encoded` (a copy of an answer with another encoding) to the answer
   * the key holds, if that is a copy of the same answer (it shares the identity body): an answer
   * evicted or recomputed meanwhile stays as it is. Merged rather than replaced, so readers of two
   * encodings compressing one fresh answer together leave it held with both. Stored anew, so the
   * byte budget counts the added bodies.
   */
  addEncodings(cacheKey: string, encoded: CachedAnswer): void {
    const held = this.entries.peek(cacheKey);
    if (held?.identity !== encoded.identity) return;
    const br = held.br ?? encoded.br;
    const gzip = held.gzip ?? encoded.gzip;
    if (br !== held.br || gzip !== held.gzip) this.put(cacheKey, { ...held, br, gzip });
  }

  private put(cacheKey: string, answer: CachedAnswer): boolean {
    if (sizeOf(answer) > this.maxBytes) return false;
    this.entries.set(cacheKey, answer);
    for (const key of answer.keys) {
      const held = this.byKey.get(key) ?? new Set<string>();
      held.add(cacheKey);
      this.byKey.set(key, held);
    }
    return true;
  }

  /** Evicts every answer derived from any of the keys. */
  invalidate(keys: Iterable<string>): void {
    const changed = new Set(keys);
    this.round += 1;
    for (const key of changed) {
      // Re-inserted, so the map stays in order of each key's last change.
      this.changedIn.delete(key);
      this.changedIn.set(key, this.round);
    }
    if (this.changedIn.size > this.rememberedKeys) this.forgetOldestChanges();
    this.evicting = 'changed';
    try {
      for (const key of changed) for (const cacheKey of [...(this.byKey.get(key) ?? [])]) this.entries.delete(cacheKey);
    } finally {
      this.evicting = undefined;
    }
  }

  /** Evicts everything, e.g. when change notices may have been missed. */
  flush(): void {
    this.round += 1;
    this.flushedIn = this.round;
    // Every answer begun before now is refused by the flush itself; older changes no longer matter.
    this.changedIn.clear();
    this.evicting = 'flushed';
    try {
      this.entries.clear();
    } finally {
      this.evicting = undefined;
    }
    this.byKey.clear();
  }

  /** Drops the older half of the remembered changes; a computation begun before the newest of them is then refused. */
  private forgetOldestChanges(): void {
    let drop = this.changedIn.size - Math.floor(this.rememberedKeys / 2);
    for (const [key, round] of this.changedIn) {
      if (drop-- <= 0) break;
      this.changedIn.delete(key);
      this.forgottenUpTo = round;
    }
  }

  private unchangedSince(mark: number, keys: readonly string[]): boolean {
    if (mark === this.round) return true;
    // A flush since the mark, or a change since it that may be forgotten: whether a key moved is unknown.
    if (mark < this.flushedIn || mark < this.forgottenUpTo) return false;
    return keys.every((key) => (this.changedIn.get(key) ?? 0) <= mark);
  }

  private unindex(cacheKey: string, keys: readonly string[]): void {
    for (const key of keys) {
      const held = this.byKey.get(key);
      if (!held) continue;
      held.delete(cacheKey);
      if (held.size === 0) this.byKey.delete(key);
    }
  }
}

/** Bytes an entry holds: its bodies, and a rough allowance for the key strings and bookkeeping. */
function sizeOf(answer: CachedAnswer): number {
  return answer.identity.length + (answer.br?.length ?? 0) + (answer.gzip?.length ?? 0) + answer.etag.length + answer.keys.reduce((sum, key) => sum + key.length * 2 + 64, 256);
}
