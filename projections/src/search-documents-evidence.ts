import { compatibilityStatus, countVerifications, type CompatibilityStatus, type VerificationLifecycle } from '@mpp/domain';

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
  /** The stored verifications of those pairs, and those whose ids the events submit. */
  verifications: readonly VerificationRow[];
}

export interface EvidenceChanges {
  /** Every pair the events named whose row is new or differs from the stored one. */
  pairs: PairRow[];
  /** Verifications that are new or changed. */
  verifications: VerificationRow[];
}

export const pairKey = (pair: { partId: string; bikeId: string }): string => `${pair.partId} ${pair.bikeId}`;

/**
 * Folds a batch's fitment events into the stored pairs and verifications, as the tables take them
 * one event at a time: a verification id belongs to the pair that first submitted it (a second
 * submission of the id, in any pair, is ignored), and supersession, retraction and moderation
 * only reach a verification of the event's own pair. Not `fitmentDecider.evolve`: its state is
 * one stream's, with the rider of each verification, which these tables do not keep; the status
 * and counts still come from the domain's rule.
 */
export function foldEvidence(stored: StoredEvidence, events: readonly EvidenceEvent[]): EvidenceChanges {
  const storedPairs = new Map(stored.pairs.map((pair) => [pairKey(pair), pair]));
  const verifications = new Map(stored.verifications.map((verification) => [verification.verificationId, verification]));
  const changedVerifications = new Set<string>();
  /** The pairs the events name, with their official status as the events leave it. */
  const named = new Map<string, { partId: string; bikeId: string; official: OfficialStatus }>();

  const amend = (verificationId: string, key: string, change: Partial<Pick<VerificationRow, 'lifecycle' | 'hidden'>>): void => {
    const held = verifications.get(verificationId);
    if (held === undefined || pairKey(held) !== key) return;
    const next = { ...held, ...change };
    if (next.lifecycle === held.lifecycle && next.hidden === held.hidden) return;
    verifications.set(verificationId, next);
    changedVerifications.add(verificationId);
  };

  for (const event of events) {
    const key = pairKey(event);
    const pair = named.get(key) ?? { partId: event.partId, bikeId: event.bikeId, official: storedPairs.get(key)?.official ?? 'none' };
    named.set(key, pair);
    switch (event.kind) {
      case 'official':
        pair.official = event.official;
        break;
      case 'submitted':
        if (!verifications.has(event.verificationId)) {
          const { partId, bikeId, verificationId, fits } = event;
          verifications.set(verificationId, { verificationId, partId, bikeId, fits, lifecycle: 'active', hidden: false });
          changedVerifications.add(verificationId);
        }
        if (event.supersedes !== undefined) amend(event.supersedes, key, { lifecycle: 'superseded' });
        break;
      case 'retracted':
        amend(event.verificationId, key, { lifecycle: 'retracted' });
        break;
      case 'moderated':
        amend(event.verificationId, key, { hidden: event.hidden });
        break;
    }
  }

  const verificationsByPair = new Map<string, VerificationRow[]>();
  for (const verification of verifications.values()) {
    const key = pairKey(verification);
    if (!named.has(key)) continue;
    const ofPair = verificationsByPair.get(key);
    if (ofPair === undefined) verificationsByPair.set(key, [verification]);
    else ofPair.push(verification);
  }
  const pairs: PairRow[] = [];
  for (const [key, pair] of named) {
    const counts = countVerifications(verificationsByPair.get(key) ?? []);
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
