import { hashVersionOf, verifyChain, type ChainVerification, type HashVersion } from '@mpp/domain';
import type { EventStore, RecordedEvent } from '../event-store.port.js';

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

/** Streams being read before the position to check them up to is known (`ChainTails.readAhead`). */
export interface ChainsReadAhead {
  upTo(position: bigint): Promise<ChainsUpTo>;
}

/** What one read brought: each stream's events from the revision read from, and the prefix that revision continues. */
interface StreamsRead {
  startedAt: number;
  trusted: Map<string, VerifiedPrefix>;
  events: Map<string, RecordedEvent[]>;
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

  /**
   * The chains of `streams` over their events at positions up to `upTo` (events after it are left
   * for a later call). Read now, after the caller fixed `upTo`: every event up to it is committed.
   */
  async verifyUpTo(streams: readonly string[], upTo: bigint): Promise<ChainsUpTo> {
    return this.check(await this.read(streams, upTo), upTo);
  }

  /**
   * The same, the read begun before `upTo` is known (beside the read that fixes it), so it may have
   * missed events committed meanwhile. A stream is complete when the read reached an event at or
   * after `upTo` (a stream's events commit in order, so none before it is missing); the others are
   * read again from where the first read ended, which then covers `upTo`.
   */
  readAhead(streams: readonly string[]): ChainsReadAhead {
    const first = this.read(streams);
    // Awaited in upTo; until then a failed read must not count as unhandled.
    first.catch(() => undefined);
    return {
      upTo: async (upTo) => {
        const read = await first;
        const reached = (stream: string) => read.events.get(stream)!.at(-1)?.position ?? read.trusted.get(stream)?.position;
        const behind = [...read.events.keys()].filter((stream) => (reached(stream) ?? -1n) < upTo);
        if (behind.length > 0) {
          const from = new Map(behind.flatMap((stream) => fromRevision(stream, read.events.get(stream)!, read.trusted.get(stream))));
          const rest = await this.store.readStreams(behind, from);
          for (const [stream, events] of rest) read.events.get(stream)!.push(...events);
        }
        return this.check(read, upTo);
      },
    };
  }

  private async read(streams: readonly string[], upTo?: bigint): Promise<StreamsRead> {
    const startedAt = this.now();
    const trusted = new Map<string, VerifiedPrefix>();
    for (const stream of new Set(streams)) {
      const prefix = this.prefixes.get(stream);
      // A prefix past `upTo` (a caller answering an older version) cannot be cut back: read whole.
      if (prefix && startedAt - prefix.checkedWholeAt < this.options.recheckMs && (upTo === undefined || prefix.position <= upTo)) trusted.set(stream, prefix);
    }
    const events = await this.store.readStreams(streams, new Map([...trusted].map(([stream, prefix]) => [stream, prefix.revision + 1n])));
    return { startedAt, trusted, events };
  }

  private async check(read: StreamsRead, upTo: bigint): Promise<ChainsUpTo> {
    const whole = [...read.trusted].filter(([, prefix]) => prefix.position > upTo).map(([stream]) => stream);
    if (whole.length > 0) {
      // Read ahead of a version older than what is remembered (rare): those streams whole.
      const again = await this.store.readStreams(whole);
      for (const stream of whole) {
        read.trusted.delete(stream);
        read.events.set(stream, again.get(stream)!);
      }
    }
    const chains = new Map<string, ChainVerification>();
    let recheckBy = Number.POSITIVE_INFINITY;
    for (const [stream, all] of read.events) {
      const events = all.filter((event) => event.position <= upTo);
      const prefix = read.trusted.get(stream);
      const tail = verifyChain(events, prefix ? { firstRevision: prefix.revision + 1n, prevHash: prefix.lastHash, hashVersion: prefix.hashVersion } : {});
      const checkedWholeAt = prefix?.checkedWholeAt ?? read.startedAt;
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
        this.remember(stream, { revision: last.revision, position: last.position, lastHash: tail.lastHash, hashVersion: hashVersionOf(last.metadata) ?? 1, eventCount, checkedWholeAt });
      } else if (prefix) {
        this.remember(stream, prefix);
      }
    }
    return { chains, recheckBy: Number.isFinite(recheckBy) ? recheckBy : read.startedAt + this.options.recheckMs };
  }

  /** A Map keeps insertion order: re-inserting makes a stream the most recent, the first key is the least. */
  private remember(stream: string, prefix: VerifiedPrefix): void {
    this.prefixes.delete(stream);
    this.prefixes.set(stream, prefix);
    if (this.prefixes.size > this.options.capacity) this.prefixes.delete(this.prefixes.keys().next().value!);
  }
}

/** Where to read a stream on from: after what was read, else after the prefix, else whole (no entry). */
function fromRevision(stream: string, read: readonly RecordedEvent[], prefix: VerifiedPrefix | undefined): [string, bigint][] {
  const last = read.at(-1)?.revision ?? prefix?.revision;
  return last === undefined ? [] : [[stream, last + 1n]];
}
