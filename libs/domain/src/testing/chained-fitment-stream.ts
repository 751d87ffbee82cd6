import type { ChainedEvent } from '../fitment/verify-chain.js';
import { GENESIS_HASH, chainMetadata, hashFitmentEvent } from '../fitment/hash-chain.js';
import { MT07_ID, RIDER, SLIP_ON_ID, VERIFICATION_1 } from './catalog-fixtures.js';

const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };

/** Four fitment events as a handler would append them to a new stream. */
export const FITMENT_HISTORY = [
  { type: 'FitmentPublished', data: { ...pair, source: 'manufacturer' } },
  { type: 'VerificationSubmitted', data: { verificationId: VERIFICATION_1, ...pair, userId: RIDER, fits: true } },
  { type: 'VerificationRetracted', data: { verificationId: VERIFICATION_1, userId: RIDER } },
  { type: 'FitmentWithdrawn', data: { ...pair, source: 'staff', reason: 'Recalled' } },
];

export const HISTORY_OCCURRED_AT = '2026-11-02T09:30:00.000Z';

/**
 * FITMENT_HISTORY as the store returns it: revisions from 0, event ids `event-{revision}`, chained
 * metadata of the current hash version, appended in one command by RIDER at HISTORY_OCCURRED_AT.
 */
export function storedFitmentStream(): ChainedEvent[] {
  const envelope = { actor: RIDER, occurredAt: HISTORY_OCCURRED_AT };
  const links = chainMetadata(FITMENT_HISTORY, { lastHash: undefined, nextRevision: 0n }, envelope);
  return FITMENT_HISTORY.map((event, revision) => ({
    ...event,
    revision: BigInt(revision),
    eventId: `event-${revision}`,
    metadata: { ...envelope, ...links[revision]! },
  }));
}

/** FITMENT_HISTORY as written before hash version 2: no hashVersion, the hash over type, data, prevHash, revision. */
export function storedV1FitmentStream(): ChainedEvent[] {
  let prevHash = GENESIS_HASH;
  return FITMENT_HISTORY.map((event, revision) => {
    const hash = hashFitmentEvent({ ...event, prevHash, revision });
    const stored = { ...event, revision: BigInt(revision), eventId: `event-${revision}`, metadata: { actor: RIDER, occurredAt: HISTORY_OCCURRED_AT, prevHash, hash } };
    prevHash = hash;
    return stored;
  });
}
