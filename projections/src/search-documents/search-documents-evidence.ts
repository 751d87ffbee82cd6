import {
  amendVerification,
  applyVerificationStep,
  compatibilityStatus,
  recountVerifications,
  verificationMovesByPair,
  sameStanding,
  type CompatibilityStatus,
  type VerificationLifecycle,
  type VerificationStep,
} from '@mpp/domain';

/** The official side of a pair as the search projection keeps it: never published, published, withdrawn. */
export type OfficialStatus = 'none' | 'published' | 'withdrawn';

/** One event of a fitment stream, reduced to what a pair's status depends on (ids in lower case). */
export type EvidenceEvent =
  | { kind: 'official'; partId: string; bikeId: string; official: 'published' | 'withdrawn' }
  | { kind: 'submitted'; partId: string; bikeId: string; verificationId: string; fits: boolean; supersedes?: string }
  | { kind: 'retracted'; partId: string; bikeId: string; verificationId: string }
  | { kind: 'moderated'; partId: string; bikeId: string; verificationId: string; hidden: boolean };

/** A row of `search_fitment`. */
export interface PairRow {
  partId: string;
  bikeId: string;
  official: OfficialStatus;
  status: CompatibilityStatus;
  confirmations: number;
  refutations: number;
}

/** A row of `search_verifications`. */
export interface VerificationRow {
  verificationId: string;
  partId: string;
  bikeId: string;
  fits: boolean;
  lifecycle: VerificationLifecycle;
  hidden: boolean;
}

export interface StoredEvidence {
  /** The stored rows of the pairs the events name. */
  pairs: readonly PairRow[];
  /** The stored verifications whose ids the events name (`verificationIdsOf`), whichever pair they are in. */
  verifications: readonly VerificationRow[];
}

export interface EvidenceChanges {
  /** Every pair the events named whose row is new or differs from the stored one. */
  pairs: PairRow[];
  /** Verifications that are new or changed. */
  verifications: VerificationRow[];
}

function stepOf(event: Exclude<EvidenceEvent, { kind: 'official' }>): VerificationStep {
  switch (event.kind) {
    case 'submitted':
      return { type: 'submitted', verificationId: event.verificationId, supersedes: event.supersedes };
    case 'retracted':
      return { type: 'retracted', verificationId: event.verificationId };
    case 'moderated':
      return { type: 'moderated', verificationId: event.verificationId, hidden: event.hidden };
  }
}

export const pairKey = (pair: { partId: string; bikeId: string }): string => `${pair.partId} ${pair.bikeId}`;

/** The verification ids the events name: submitted, superseded, retracted or moderated. */
export function verificationIdsOf(events: readonly EvidenceEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.kind === 'official') continue;
    ids.add(event.verificationId);
    if (event.kind === 'submitted' && event.supersedes !== undefined) ids.add(event.supersedes);
  }
  return [...ids];
}

/**
 * Folds a batch's fitment events into the stored pairs and verifications, as the tables take them
 * one event at a time. What each verification event does is the domain's lifecycle
 * (`applyVerificationStep`: a verification id belongs to the pair that first submitted it, and
 * supersession, retraction and moderation only reach a verification of the event's own pair); the
 * status and counts are the domain's rules, the counts recounted from the stored pair's with the
 * verifications the events moved (`recountVerifications`): a pair's history is never read again.
 */
export function foldEvidence(stored: StoredEvidence, events: readonly EvidenceEvent[]): EvidenceChanges {
  const storedPairs = new Map(stored.pairs.map((pair) => [pairKey(pair), pair]));
  const verifications = new Map(stored.verifications.map((verification) => [verification.verificationId, verification]));
  const changedVerifications = new Set<string>();
  /** The pairs the events name, with their official status as the events leave it. */
  const named = new Map<string, { partId: string; bikeId: string; official: OfficialStatus }>();

  for (const event of events) {
    const key = pairKey(event);
    const pair = named.get(key) ?? { partId: event.partId, bikeId: event.bikeId, official: storedPairs.get(key)?.official ?? 'none' };
    named.set(key, pair);
    if (event.kind === 'official') {
      pair.official = event.official;
      continue;
    }
    applyVerificationStep(verifications, stepOf(event), {
      belongsToPair: (held) => pairKey(held) === key,
      submitted: () => {
        changedVerifications.add(event.verificationId);
        return { verificationId: event.verificationId, partId: event.partId, bikeId: event.bikeId, fits: event.kind === 'submitted' && event.fits, lifecycle: 'active', hidden: false };
      },
      amended: (held, amendment) => {
        const next = amendVerification(held, amendment);
        // A row rewritten to what it already was (hiding a hidden verification) is not a change.
        if (!sameStanding(held, next)) changedVerifications.add(held.verificationId);
        return next;
      },
    });
  }

  const storedVerifications = new Map(stored.verifications.map((verification) => [verification.verificationId, verification]));
  const movesByPair = verificationMovesByPair(changedVerifications, storedVerifications, verifications, pairKey);
  const pairs: PairRow[] = [];
  for (const [key, pair] of named) {
    const counts = recountVerifications(storedPairs.get(key) ?? { confirmations: 0, refutations: 0 }, movesByPair.get(key) ?? []);
    const row: PairRow = { ...pair, status: compatibilityStatus({ ...counts, officialPublished: pair.official === 'published' }), ...counts };
    if (!samePair(row, storedPairs.get(key))) pairs.push(row);
  }
  return { pairs, verifications: [...changedVerifications].map((id) => verifications.get(id)!) };
}

function samePair(row: PairRow, stored: PairRow | undefined): boolean {
  return (
    stored !== undefined &&
    row.official === stored.official &&
    row.status === stored.status &&
    row.confirmations === stored.confirmations &&
    row.refutations === stored.refutations
  );
}
