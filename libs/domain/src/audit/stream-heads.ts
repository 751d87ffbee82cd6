import { isFitmentStream } from '../identity/stream-names.js';
import type { StreamHead } from './merkle-tree.js';

/** An event as any reader of the log has it (the port's RecordedEvent, a line of `mpp events export`). */
export interface LoggedEvent {
  streamId: string;
  position: bigint | number | string;
  revision: bigint | number | string;
  metadata: { hash?: unknown; [key: string]: unknown };
}

/**
 * The head of every fitment stream as of a log position: the hash of each stream's last event at
 * or before `position`. Events may come in any order (fed one at a time, so a reader of the whole
 * log holds one entry per stream, not the log); streams with no event by then are absent.
 */
export class FitmentHeads {
  private readonly last = new Map<string, { revision: bigint; hash: unknown }>();

  constructor(readonly position: bigint) {}

  add(event: LoggedEvent): void {
    if (!isFitmentStream(event.streamId) || BigInt(event.position) > this.position) return;
    const revision = BigInt(event.revision);
    const seen = this.last.get(event.streamId);
    if (!seen || revision > seen.revision) this.last.set(event.streamId, { revision, hash: event.metadata.hash });
  }

  /** A head without a hash string is kept as '' so that building a tree over it fails, naming the stream. */
  heads(): StreamHead[] {
    return [...this.last].map(([streamId, { hash }]) => ({ streamId, hash: typeof hash === 'string' ? hash : '' }));
  }
}

export function fitmentHeadsAt(events: Iterable<LoggedEvent>, position: bigint): StreamHead[] {
  const heads = new FitmentHeads(position);
  for (const event of events) heads.add(event);
  return heads.heads();
}
