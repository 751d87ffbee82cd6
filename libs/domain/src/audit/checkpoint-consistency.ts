import type { StreamHead } from './merkle-tree.js';

/** A stream's events as far as the consistency check needs them: its chain hashes, in revision order. */
export type ChainHashes = readonly string[];

export type ConsistencyBreak = { streamId: string; reason: 'stream_missing' | 'head_not_in_chain' | 'chain_shrunk' };

/**
 * Whether a newer set of heads extends an older one: every stream of the old checkpoint must still
 * exist, and its old head must be one of the hashes on the way to its new head (so nothing the old
 * checkpoint covered was rewritten or dropped). `chains` gives each stream's hashes in revision
 * order up to its new head. Returns the breaks in stream id order; empty when consistent.
 */
export function checkConsistency(oldHeads: readonly StreamHead[], newHeads: readonly StreamHead[], chains: ReadonlyMap<string, ChainHashes>): ConsistencyBreak[] {
  const newHeadOf = new Map(newHeads.map((head) => [head.streamId, head.hash]));
  const breaks: ConsistencyBreak[] = [];
  for (const old of oldHeads) {
    const newHead = newHeadOf.get(old.streamId);
    const chain = chains.get(old.streamId);
    if (newHead === undefined || chain === undefined) {
      breaks.push({ streamId: old.streamId, reason: 'stream_missing' });
      continue;
    }
    const oldAt = chain.indexOf(old.hash);
    const newAt = chain.lastIndexOf(newHead);
    if (oldAt === -1) breaks.push({ streamId: old.streamId, reason: 'head_not_in_chain' });
    else if (newAt < oldAt) breaks.push({ streamId: old.streamId, reason: 'chain_shrunk' });
  }
  return breaks;
}
