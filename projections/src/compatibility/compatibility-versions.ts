import type { ProjectionContext } from '@mpp/projection-runner';
import { canonicalUuid, type CompatibilityFact } from './compatibility-fold.js';
import { touchKey, writeKeyVersions, writeKeyVersionsFromRows } from '../shared/key-versions.js';
import { COMPATIBILITY_RECORDS, COMPATIBILITY_VERSIONS } from './compatibility.tables.js';

/** The key of a part's compatibility answers, for the projector that moves it and the API that caches by it. */
export const partCompatibilityKey = (partId: string): string => `compatibility:${partId}`;

/** Each fact on a pair moves its part's version (part fields copied into records show in no per-part answer). */
export async function writeCompatibilityVersions(ctx: ProjectionContext, facts: readonly CompatibilityFact[]): Promise<void> {
  const versions = new Map<string, bigint>();
  for (const fact of facts) if ('pair' in fact) touchKey(versions, partCompatibilityKey(canonicalUuid(fact.pair.partId)), fact.position);
  await writeKeyVersions(ctx, COMPATIBILITY_VERSIONS, versions);
}

/**
 * Every part's version from its records: every fact on a pair dates the pair's record
 * (`last_position`, even a fact that changes nothing), records never go, and no other fact moves a
 * version, so a part's greatest `last_position` is what `writeCompatibilityVersions` leaves.
 */
export async function writeCompatibilityVersionsOfRecords(ctx: ProjectionContext): Promise<void> {
  await writeKeyVersionsFromRows(ctx, COMPATIBILITY_VERSIONS, { table: COMPATIBILITY_RECORDS, id: 'part_id', position: 'last_position', keyPrefix: partCompatibilityKey('') }, 'all');
}
