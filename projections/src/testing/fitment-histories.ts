import fc from 'fast-check';
import { fitmentPublished, fitmentWithdrawn, verificationModerated, verificationRetracted, verificationSubmitted, type GivenEvent, type Pair } from './given-events.js';

/**
 * Random events of two fitment pairs of one part (the same pools as verification-lifecycle.property.spec.ts): each pair submits ids from a small pool of its
 * own, so ids are re-used within a pair often, while supersessions, retractions and moderations name
 * any id of either pair, or none.
 */
export const PAIRS: Pair[] = [
  { partId: '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', bikeId: '6f1e2d3c-4b5a-4968-8776-655443322110' },
  { partId: '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', bikeId: 'a3c5e7f9-1b2d-4f60-8a9c-0e1f2a3b4c5d' },
];
export const idOf = (pairIndex: number, n: number): string => `${pairIndex}${n}aaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa`;
export const IDS_PER_PAIR = 4;
const ANY_ID = [...PAIRS.flatMap((_, p) => Array.from({ length: IDS_PER_PAIR }, (_, n) => idOf(p, n))), '99999999-9999-4999-8999-999999999999'];
const RIDERS = ['rider-1', 'rider-2', 'rider-3'];

const pairIndex = fc.integer({ min: 0, max: PAIRS.length - 1 });
const anyId = fc.constantFrom(...ANY_ID);
export const fitmentHistoryEvent: fc.Arbitrary<GivenEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ p: pairIndex, n: fc.nat(IDS_PER_PAIR - 1), userId: fc.constantFrom(...RIDERS), fits: fc.boolean(), supersedes: fc.option(anyId, { nil: undefined }) })
      .map(({ p, n, userId, fits, supersedes }) => verificationSubmitted(PAIRS[p]!, { verificationId: idOf(p, n), userId, fits, ...(supersedes === undefined ? {} : { supersedes }) })),
  },
  { weight: 2, arbitrary: fc.record({ p: pairIndex, id: anyId, userId: fc.constantFrom(...RIDERS) }).map(({ p, id, userId }) => verificationRetracted(PAIRS[p]!, id, userId)) },
  { weight: 2, arbitrary: fc.record({ p: pairIndex, id: anyId, hidden: fc.boolean() }).map(({ p, id, hidden }) => verificationModerated(PAIRS[p]!, id, hidden ? 'hidden' : 'restored')) },
  { weight: 1, arbitrary: fc.record({ p: pairIndex, published: fc.boolean() }).map(({ p, published }) => (published ? fitmentPublished(PAIRS[p]!) : fitmentWithdrawn(PAIRS[p]!))) },
);
