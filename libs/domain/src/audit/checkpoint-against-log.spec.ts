import { describe, expect, it } from '@jest/globals';
import { chainMetadata } from '../fitment/hash-chain.js';
import { CheckpointAgainstLog, headDifferences } from './checkpoint-against-log.js';
import { fitmentHeadsAt } from './stream-heads.js';
import { StreamHeadTree } from './merkle-tree.js';

const PAIR_A = 'fitment-11111111-1111-4111-8111-111111111111_22222222-2222-4222-8222-222222222222';
const PAIR_B = 'fitment-33333333-3333-4333-8333-333333333333_22222222-2222-4222-8222-222222222222';
const ENVELOPE = { occurredAt: '2026-12-03T08:00:00.000Z', actor: 'user-1' };

interface LogEvent {
  streamId: string;
  position: bigint;
  revision: bigint;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A log of valid chains: `streams` in the order their events were appended. */
function logOf(streams: string[]): LogEvent[] {
  const lastHash = new Map<string, string>();
  const nextRevision = new Map<string, number>();
  return streams.map((streamId, index) => {
    const revision = nextRevision.get(streamId) ?? 0;
    const data = { verificationId: `v-${index}`, fits: true };
    const [link] = chainMetadata([{ type: 'VerificationSubmitted', data }], { lastHash: lastHash.get(streamId), nextRevision: revision }, ENVELOPE);
    lastHash.set(streamId, link!.hash);
    nextRevision.set(streamId, revision + 1);
    return { streamId, position: BigInt(index + 1), revision: BigInt(revision), eventId: `e-${index}`, type: 'VerificationSubmitted', data, metadata: { ...ENVELOPE, ...link } };
  });
}

function against(log: LogEvent[], position: bigint, heads?: ReturnType<typeof fitmentHeadsAt>) {
  const check = new CheckpointAgainstLog(position, heads);
  for (const event of log) check.add(event);
  return check.result();
}

describe('a checkpoint against the log as it is now', () => {
  const log = logOf([PAIR_A, PAIR_B, PAIR_A, PAIR_B, PAIR_A]);
  const publishedAt3 = fitmentHeadsAt(log, 3n);
  const root = new StreamHeadTree(publishedAt3).rootHex;

  it('given an untouched log that grew since, then the heads at the position give the root and nothing diverges', () => {
    expect(against(log, 3n, publishedAt3)).toEqual({ rootNow: root, divergences: [] });
    expect(against(log, 3n)).toEqual({ rootNow: root, divergences: [] });
  });

  it('given a chain re-hashed consistently after an edit, then the root differs and the published heads name the stream', () => {
    const rewritten = logOf([PAIR_A, PAIR_B, PAIR_A, PAIR_B, PAIR_A]).map((e) => ({ ...e }));
    // Rebuild B's chain with other words in its first event, hashed consistently from there.
    const b = rewritten.filter((e) => e.streamId === PAIR_B);
    b[0]!.data = { ...b[0]!.data, fits: false };
    let last: string | undefined;
    b.forEach((event, revision) => {
      const [link] = chainMetadata([event], { lastHash: last, nextRevision: revision }, ENVELOPE);
      event.metadata = { ...ENVELOPE, ...link };
      last = link!.hash;
    });
    const result = against(rewritten, 3n, publishedAt3);
    expect(result.rootNow).not.toBe(root);
    expect(result.divergences).toEqual([{ streamId: PAIR_B, reason: 'head_differs' }]);
    // Without the heads the root still differs, but no stream can be named: every chain verifies.
    expect(against(rewritten, 3n).divergences).toEqual([]);
  });

  it('given an edit without re-hashing after the position, then the broken chain is named with its revision', () => {
    const edited = log.map((e) => ({ ...e }));
    edited[4] = { ...edited[4]!, data: { ...edited[4]!.data, fits: false } };
    const result = against(edited, 3n, publishedAt3);
    expect(result.rootNow).toBe(root);
    expect(result.divergences).toEqual([{ streamId: PAIR_A, reason: 'chain_broken', revision: 2, eventId: 'e-4', break: 'hash_mismatch' }]);
  });

  it('given a removed stream and an inserted one, then both are named in stream id order', () => {
    const withoutA = log.filter((e) => e.streamId !== PAIR_A);
    expect(against(withoutA, 3n, publishedAt3).divergences).toEqual([{ streamId: PAIR_A, reason: 'stream_missing' }]);
    expect(headDifferences([{ streamId: PAIR_B, hash: 'b' }], [{ streamId: PAIR_A, hash: 'a' }, { streamId: PAIR_B, hash: 'b' }])).toEqual([{ stream: PAIR_A, reason: 'stream_unlisted' }]);
  });
});
