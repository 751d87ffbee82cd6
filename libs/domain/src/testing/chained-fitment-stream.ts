import type { ChainedEvent } from '../fitment/verify-chain.js';
import { chainMetadata } from '../fitment/hash-chain.js';
import { MT07_ID, RIDER, SLIP_ON_ID, VERIFICATION_1 } from './catalog-fixtures.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };

/** Four fitment events as a handler would append them to a new stream. */
export const FITMENT_HISTORY = [
  { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } },
  { type: 'VerificationSubmitted', data: { verificationId: VERIFICATION_1, ...pair, userId: RIDER, fits: true } },
  { type: 'VerificationRetracted', data: { verificationId: VERIFICATION_1, userId: RIDER } },
  { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Recalled' } },
];

/** FITMENT_HISTORY as the store returns it: revisions from 0, event ids `event-{revision}`, chained metadata. */
export function storedFitmentStream(): ChainedEvent[] {
  const links = chainMetadata(FITMENT_HISTORY, { lastHash: undefined, nextRevision: 0n });
  return FITMENT_HISTORY.map((event, revision) => ({
    ...event,
    revision: BigInt(revision),
    eventId: `event-${revision}`,
    metadata: { actor: RIDER, ...links[revision]! },
  }));
}
