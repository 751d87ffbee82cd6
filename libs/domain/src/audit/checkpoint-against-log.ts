import { isFitmentStream } from '../identity/stream-names.js';
import { hashVersionOf, verifyChain, type ChainBreak, type ChainedEvent } from '../fitment/verify-chain.js';
import { FitmentHeads, type LoggedEvent } from './stream-heads.js';
import { StreamHeadTree, type StreamHead } from './merkle-tree.js';

export type HeadDifference = { stream: string; reason: 'head_differs' | 'stream_missing' | 'stream_unlisted' };

/** Streams whose head now differs from the one a checkpoint published, in stream id (UTF-8 byte) order. */
export function headDifferences(published: readonly StreamHead[], now: readonly StreamHead[]): HeadDifference[] {
  const before = new Map(published.map((h) => [h.streamId, h.hash]));
  const after = new Map(now.map((h) => [h.streamId, h.hash]));
  const differences: HeadDifference[] = [];
  for (const stream of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(stream) === after.get(stream)) continue;
    differences.push({ stream, reason: !after.has(stream) ? 'stream_missing' : !before.has(stream) ? 'stream_unlisted' : 'head_differs' });
  }
  return differences.sort((a, b) => compareStreamIds(a.stream, b.stream));
}

/** One way the log no longer agrees with a published checkpoint. */
export type Divergence =
  | { streamId: string; reason: HeadDifference['reason'] }
  | { streamId: string; reason: 'chain_broken'; revision: number; eventId: string; break: ChainBreak };

export interface CheckpointAgainstLogResult {
  /** The root the log's heads at the checkpoint's position give now. */
  rootNow: string;
  /** Streams that diverge, in stream id order: the first one is the first diverging stream. */
  divergences: Divergence[];
}

interface ChainState {
  nextRevision: bigint;
  lastHash: string | undefined;
  hashVersion: 1 | 2;
  broken: boolean;
}

/**
 * Whether the log as it is now still agrees with a signed checkpoint, fed the whole log once in
 * order (memory: one entry per fitment stream). The log agrees when (a) its heads at the
 * checkpoint's position give the signed root, and (b) every fitment chain verifies up to its current
 * head, so each published head still leads, by valid links, to today's head. With the published
 * heads at hand, a different root is also pinned on its streams.
 */
export class CheckpointAgainstLog {
  private readonly headsAt: FitmentHeads;
  private readonly chains = new Map<string, ChainState>();
  private readonly breaks: Divergence[] = [];

  constructor(
    position: bigint,
    private readonly publishedHeads?: readonly StreamHead[],
  ) {
    this.headsAt = new FitmentHeads(position);
  }

  add(event: LoggedEvent & ChainedEvent): void {
    if (!isFitmentStream(event.streamId)) return;
    this.headsAt.add(event);
    const state = this.chains.get(event.streamId) ?? { nextRevision: 0n, lastHash: undefined, hashVersion: 1, broken: false };
    this.chains.set(event.streamId, state);
    if (state.broken) return;
    const verified = verifyChain([event], { firstRevision: state.nextRevision, prevHash: state.lastHash, hashVersion: state.hashVersion });
    if (!verified.valid) {
      state.broken = true;
      const { revision, eventId, reason } = verified.brokenAt;
      this.breaks.push({ streamId: event.streamId, reason: 'chain_broken', revision, eventId, break: reason });
      return;
    }
    state.nextRevision += 1n;
    state.lastHash = verified.lastHash;
    state.hashVersion = hashVersionOf(event.metadata) ?? state.hashVersion;
  }

  result(): CheckpointAgainstLogResult {
    const now = this.headsAt.heads();
    const rootNow = rootOrEmpty(now);
    const differences: Divergence[] = this.publishedHeads
      ? headDifferences(this.publishedHeads, now).map(({ stream, reason }) => ({ streamId: stream, reason }))
      : [];
    // One entry per stream: a rewritten head usually breaks its chain too; the head says more.
    const named = new Set(differences.map((d) => d.streamId));
    const divergences = [...differences, ...this.breaks.filter((b) => !named.has(b.streamId))];
    return { rootNow, divergences: divergences.sort((a, b) => compareStreamIds(a.streamId, b.streamId)) };
  }
}

/** A head without a hash string (see FitmentHeads) gives no tree: that log cannot match any root. */
function rootOrEmpty(heads: StreamHead[]): string {
  try {
    return new StreamHeadTree(heads).rootHex;
  } catch {
    return '';
  }
}

function compareStreamIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
