import {
  applyVerificationStep,
  COMPATIBILITY_STATUSES,
  compatibilityStatus,
  recountVerifications,
  verificationMovesByPair,
  type CompatibilityStatus,
  type VerificationCounts,
  type FitmentEvent,
  type FitmentSource,
  type PartEvent,
  type VerificationLifecycle,
  type VerificationStep,
  verificationStepOf,
} from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { dataOf, fitmentPairOf, occurredAt } from '../shared/recorded-event.js';

export interface Pair {
  partId: string;
  bikeId: string;
}

/**
 * An event as the compatibility projection reads it: a part event, or a fitment event with the
 * pair it belongs to (from its data, or from its stream for the verification events that name only
 * the verification), when it happened and where it sits in the log.
 */
export type CompatibilityFact = PartEvent | (FitmentEvent & { pair: Pair; occurredAt: Date; position: bigint });

/** Validates the event (a malformed one throws, and stops the projection) and places it on its pair. */
export function compatibilityFactOf(event: RecordedEvent): CompatibilityFact {
  const when = { occurredAt: occurredAt(event), position: event.position };
  switch (event.type) {
    case 'PartCataloged':
      return { type: event.type, data: dataOf(event, event.type) };
    case 'PartDetailsRevised':
      return { type: event.type, data: dataOf(event, event.type) };
    case 'FitmentPublished': {
      const data = dataOf(event, event.type);
      return { type: event.type, data, pair: pairOfData(data), ...when };
    }
    case 'FitmentWithdrawn': {
      const data = dataOf(event, event.type);
      return { type: event.type, data, pair: pairOfData(data), ...when };
    }
    case 'VerificationSubmitted': {
      const data = dataOf(event, event.type);
      return { type: event.type, data, pair: pairOfData(data), ...when };
    }
    case 'VerificationRetracted':
      return { type: event.type, data: dataOf(event, event.type), pair: fitmentPairOf(event), ...when };
    case 'VerificationModerated':
      return { type: event.type, data: dataOf(event, event.type), pair: fitmentPairOf(event), ...when };
    default:
      throw new TypeError(`the compatibility projection does not consume ${event.type}`);
  }
}

const pairOfData = ({ partId, bikeId }: Pair): Pair => ({ partId, bikeId });


/** A row of `compatibility_parts`. */
export interface PartRow {
  id: string;
  category: string;
  brand: string;
  name: string;
}

/** The part of a `compatibility_records` row that outlives a recount: the official fitment. */
export interface OfficialRow {
  part_id: string;
  bike_id: string;
  official_status: 'none' | 'published' | 'withdrawn';
  official_source: FitmentSource | null;
}

/** What a batch reads of a stored record: the official fitment and the counts it recounts from. */
export type StoredRecord = OfficialRow & VerificationCounts;

/** A row of `compatibility_verifications`. */
export interface VerificationRow {
  verification_id: string;
  part_id: string;
  bike_id: string;
  user_id: string;
  fits: boolean;
  lifecycle: VerificationLifecycle;
  hidden: boolean;
}

/** A whole `compatibility_records` row. */
export interface RecordRow extends OfficialRow {
  status: CompatibilityStatus;
  status_rank: number;
  confirmations: number;
  refutations: number;
  part_category: string | null;
  part_brand: string | null;
  part_name: string | null;
  last_event_at: Date;
  last_position: bigint;
}

/** The rows a batch reads before folding. */
export interface LoadedRows {
  parts: readonly PartRow[];
  /** The stored records of the batch's pairs. */
  records: readonly StoredRecord[];
  /** The rows of the verification ids the batch names (submits, supersedes, retracts, moderates), wherever they are. */
  verifications: readonly VerificationRow[];
}

/** The keys whose rows `foldCompatibility` needs, each once (canonical uuids). */
export interface BatchKeys {
  partIds: string[];
  pairs: Pair[];
  verificationIds: string[];
}

/** What a batch writes: each row once, in its final state. */
export interface CompatibilityWrites {
  /** Parts cataloged or revised; every record of these parts takes their fields. */
  parts: PartRow[];
  verifications: VerificationRow[];
  /** One per pair with an event in the batch, recounted and dated by its last event. */
  records: RecordRow[];
}

/** Smaller is stronger evidence, so "best first" is an ascending index scan. */
export const statusRank = (status: CompatibilityStatus): number => COMPATIBILITY_STATUSES.indexOf(status);

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_INPUT = /^(?:\{((?:[0-9a-f]{4}-?){7}[0-9a-f]{4})\}|((?:[0-9a-f]{4}-?){7}[0-9a-f]{4}))$/i;

/**
 * The text PostgreSQL gives back for a uuid it accepts (it also reads upper case, braces and
 * missing hyphens), so an id from an event and the same id read from a row are one map key.
 * Anything else is returned as it is, for PostgreSQL to refuse.
 */
export function canonicalUuid(id: string): string {
  if (CANONICAL_UUID.test(id)) return id;
  const match = UUID_INPUT.exec(id);
  if (!match) return id;
  const hex = (match[1] ?? match[2]!).replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The step with the ids as the rows key them. */
function canonicalStep(step: VerificationStep): VerificationStep {
  if (step.type !== 'submitted') return { ...step, verificationId: canonicalUuid(step.verificationId) };
  return { ...step, verificationId: canonicalUuid(step.verificationId), supersedes: step.supersedes === undefined ? undefined : canonicalUuid(step.supersedes) };
}

/** Of canonical ids (rows come back from PostgreSQL canonical; event ids go through `canonicalUuid` once). */
const pairKey = (partId: string, bikeId: string): string => `${partId}_${bikeId}`;

export function keysOf(facts: readonly CompatibilityFact[]): BatchKeys {
  const partIds = new Set<string>();
  const pairs = new Map<string, Pair>();
  const verificationIds = new Set<string>();
  for (const fact of facts) {
    if (fact.type === 'PartCataloged' || fact.type === 'PartDetailsRevised') {
      partIds.add(canonicalUuid(fact.data.partId));
      continue;
    }
    const pair = { partId: canonicalUuid(fact.pair.partId), bikeId: canonicalUuid(fact.pair.bikeId) };
    partIds.add(pair.partId);
    pairs.set(pairKey(pair.partId, pair.bikeId), pair);
    if (fact.type === 'FitmentPublished' || fact.type === 'FitmentWithdrawn') continue;
    verificationIds.add(canonicalUuid(fact.data.verificationId));
    if (fact.type === 'VerificationSubmitted' && fact.data.supersedes !== undefined) verificationIds.add(canonicalUuid(fact.data.supersedes));
  }
  return { partIds: [...partIds], pairs: [...pairs.values()], verificationIds: [...verificationIds] };
}

interface PairProgress {
  official: OfficialRow;
  last_event_at: Date;
  last_position: bigint;
}

/**
 * Folds a batch's events over the rows they touch, leaving what the events applied one at a time
 * would leave:
 * - a part's first PartCataloged wins; a revision changes only the fields it names, and only of a
 *   cataloged part;
 * - every record carries its part's fields as they stand (null before the part is cataloged),
 *   which is what copying them at the record's creation and again on every part event amounts to;
 * - what each verification event does is the domain's lifecycle (`applyVerificationStep`): a
 *   verification id is a key across all pairs, a second submission of a known id is ignored, and
 *   supersession, retraction and moderation change a verification only within the pair the event
 *   belongs to (an unknown id changes nothing, yet the pair is still recounted and dated);
 * - which verifications count, and the status, are the domain's rules (`recountVerifications`,
 *   `compatibilityStatus`): a pair's stored counts, with each verification the batch changed moved
 *   from what it counted for to what it counts for now. Only the pair's own events change its
 *   verifications, and every such event recounts the pair, so the stored counts are always those of
 *   its stored verifications; a batch's cost does not grow with a pair's history.
 */
export function foldCompatibility(facts: readonly CompatibilityFact[], loaded: LoadedRows): CompatibilityWrites {
  const parts = new Map(loaded.parts.map((row) => [row.id, row]));
  const changedParts = new Set<string>();
  const verifications = new Map(loaded.verifications.map((row) => [row.verification_id, row]));
  const changedVerifications = new Set<string>();
  const storedRecords = new Map(loaded.records.map((row) => [pairKey(row.part_id, row.bike_id), row]));
  const touched = new Map<string, PairProgress>();

  for (const fact of facts) {
    if (fact.type === 'PartCataloged' || fact.type === 'PartDetailsRevised') {
      const id = canonicalUuid(fact.data.partId);
      const part = parts.get(id);
      if (fact.type === 'PartCataloged') {
        if (part) continue;
        const { category, brand, name } = fact.data;
        parts.set(id, { id, category, brand, name });
        changedParts.add(id);
      } else if (part) {
        const { category, brand, name } = fact.data;
        // Description and attribute revisions do not touch the copied fields.
        if (category === undefined && brand === undefined && name === undefined) continue;
        parts.set(id, { id, category: category ?? part.category, brand: brand ?? part.brand, name: name ?? part.name });
        changedParts.add(id);
      }
      continue;
    }

    const partId = canonicalUuid(fact.pair.partId);
    const bikeId = canonicalUuid(fact.pair.bikeId);
    const key = pairKey(partId, bikeId);
    const stored = storedRecords.get(key);
    const progress = touched.get(key) ?? {
      official: stored
        ? { part_id: stored.part_id, bike_id: stored.bike_id, official_status: stored.official_status, official_source: stored.official_source }
        : { part_id: partId, bike_id: bikeId, official_status: 'none', official_source: null },
      last_event_at: fact.occurredAt,
      last_position: fact.position,
    };
    touched.set(key, progress);
    progress.last_event_at = fact.occurredAt;
    progress.last_position = fact.position;

    switch (fact.type) {
      case 'FitmentPublished':
        progress.official = { ...progress.official, official_status: 'published', official_source: fact.data.source };
        break;
      case 'FitmentWithdrawn':
        progress.official = { ...progress.official, official_status: 'withdrawn', official_source: null };
        break;
      default: {
        const submitted = (): VerificationRow => {
          const { verificationId, userId, fits } = (fact as Extract<CompatibilityFact, { type: 'VerificationSubmitted' }>).data;
          return { verification_id: canonicalUuid(verificationId), part_id: partId, bike_id: bikeId, user_id: userId, fits, lifecycle: 'active', hidden: false };
        };
        const step = canonicalStep(verificationStepOf(fact));
        for (const { verificationId } of applyVerificationStep(verifications, step, { belongsToPair: (row) => pairKey(row.part_id, row.bike_id) === key, submitted })) {
          changedVerifications.add(verificationId);
        }
      }
    }
  }

  const storedVerifications = new Map(loaded.verifications.map((row) => [row.verification_id, row]));
  const movesByPair = verificationMovesByPair(changedVerifications, storedVerifications, verifications, (row) => pairKey(row.part_id, row.bike_id));

  const records = [...touched].map(([key, { official, last_event_at, last_position }]): RecordRow => {
    const counts = recountVerifications(storedRecords.get(key) ?? { confirmations: 0, refutations: 0 }, movesByPair.get(key) ?? []);
    const status = compatibilityStatus({ ...counts, officialPublished: official.official_status === 'published' });
    const part = parts.get(official.part_id);
    return {
      ...official,
      status,
      status_rank: statusRank(status),
      ...counts,
      part_category: part?.category ?? null,
      part_brand: part?.brand ?? null,
      part_name: part?.name ?? null,
      last_event_at,
      last_position,
    };
  });

  return {
    parts: [...changedParts].map((id) => parts.get(id)!),
    verifications: [...changedVerifications].map((id) => verifications.get(id)!),
    records,
  };
}
