import { hashVersionOf, verifyChain, type ChainVerification, type HashVersion } from '@mpp/domain';
import type { EventStore } from '../event-store.port.js';

/** A stream's chain as last found valid, up to and including its event at `revision`. */
interface VerifiedPrefix {
  revision: bigint;
  position: bigint;
  lastHash: string;
  hashVersion: HashVersion;
  eventCount: number;
  /** When (clock ms) the whole stream was last read and checked: the prefix is trusted until `+ recheckMs`. */
  checkedWholeAt: number;
}

export interface ChainTailsOptions {
  /** How long a verified prefix is trusted without reading and checking the whole stream again. */
  recheckMs: number;
  /** Streams remembered at most; the least recently checked one is forgotten first. */
  capacity: number;
  now?: () => number;
}

export interface ChainsUpTo {
  /** Each requested stream's chain over its events at positions up to the given one, as `verifyChain` says. */
  chains: Map<string, ChainVerification>;
  /** Clock ms by which these answers must be checked again in full: the oldest whole check they rest on, plus recheckMs. */
  recheckBy: number;
}

/**
 * Hash chains of fitment streams checked against the event store, remembering per stream the last
 * valid (revision, hash): a stream that grew is read from the event after it and its chain continued
 * from that hash (`verifyChain` from a revision), instead of every event read and hashed again.
 *
 * A row changed in the log under an already verified event is not seen by a tail; so a prefix is
 * trusted for `recheckMs` only, after which the whole stream is read and checked again, and
 * `recheckBy` tells a caller that holds answers how long they may live. A broken chain is never
 * remembered: it is checked whole on every call, so a repaired log shows at once.
 *
 * In memory, per process; bounded by `capacity` (a forgotten stream is simply checked whole again).
 */
export class ChainTails {
  private readonly prefixes = new Map<string, VerifiedPrefix>();
  private readonly now: () => number;

  constructor(
    private readonly store: EventStore,
    private readonly options: ChainTailsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The chains of `streams` over their events at positions up to `upTo` (events after it are left for a later call). */
  async verifyUpTo(streams: readonly string[], upTo: bigint): Promise<ChainsUpTo> {
    const now = this.now();
    const trusted = new Map<string, VerifiedPrefix>();
    for (const stream of new Set(streams)) {
      const prefix = this.prefixes.get(stream);
      // A prefix past `upTo` (a caller answering an older version) cannot be cut back: read whole.
      if (prefix && now - prefix.checkedWholeAt < this.options.recheckMs && prefix.position <= upTo) trusted.set(stream, prefix);
    }
    const read = await this.store.readStreams(streams, new Map([...trusted].map(([stream, prefix]) => [stream, prefix.revision + 1n])));
    const chains = new Map<string, ChainVerification>();
    let recheckBy = Number.POSITIVE_INFINITY;
    for (const [stream, all] of read) {
      const events = all.filter((event) => event.position <= upTo);
      const prefix = trusted.get(stream);
      const tail = verifyChain(events, prefix ? { firstRevision: prefix.revision + 1n, prevHash: prefix.lastHash, hashVersion: prefix.hashVersion } : {});
      const checkedWholeAt = prefix?.checkedWholeAt ?? now;
      recheckBy = Math.min(recheckBy, checkedWholeAt + this.options.recheckMs);
      if (!tail.valid) {
        this.prefixes.delete(stream);
        chains.set(stream, tail);
        continue;
      }
      const eventCount = (prefix?.eventCount ?? 0) + tail.eventCount;
      chains.set(stream, { valid: true, lastHash: tail.lastHash, eventCount });
      const last = events.at(-1);
      if (last) {
        this.remember(stream, {
          revision: last.revision,
          position: last.position,
          lastHash: tail.lastHash,
          hashVersion: hashVersionOf(last.metadata) ?? 1,
          eventCount,
          checkedWholeAt,
        });
      } else if (prefix) {
        this.remember(stream, prefix);
      }
    }
    return { chains, recheckBy: Number.isFinite(recheckBy) ? recheckBy : now + this.options.recheckMs };
  }

  /** A Map keeps insertion order: re-inserting makes a stream the most recent, the first key is the least. */
  private remember(stream: string, prefix: VerifiedPrefix): void {
    this.prefixes.delete(stream);
    this.prefixes.set(stream, prefix);
    if (this.prefixes.size > this.options.capacity) this.prefixes.delete(this.prefixes.keys().next().value!);
  }
}
