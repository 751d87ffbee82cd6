import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compatibilityOf, countVerifications, fitmentDecider, fitmentStream, foldEvents, parseEvent, type Compatibility, type VerificationLifecycle } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { compatibilityFactOf, foldCompatibility, keysOf, type RecordRow, type VerificationRow as CompatibilityVerificationRow } from './compatibility/compatibility-fold.js';
import { readBatch } from './search-documents/search-documents-batch.js';
import { foldEvidence, pairKey, verificationIdsOf, type PairRow, type VerificationRow as SearchVerificationRow } from './search-documents/search-documents-evidence.js';
import { foldVerificationLog, verificationIdsTouched, type VerificationLogRow } from './verification-log/verification-log-lifecycle.js';
import { logEntryOf } from './verification-log/verification-log.projection.js';
import { fitmentPublished, fitmentWithdrawn, recordedEvents, verificationModerated, verificationRetracted, verificationSubmitted, type GivenEvent, type Pair } from './testing/given-events.js';

/**
 * The compatibility, search-evidence and verification-log folds against the domain's fold of each
 * pair's stream (`fitmentDecider.evolve`, which asks verification-lifecycle.ts), on random histories
 * cut into random batches, each batch starting from what the earlier ones left in the tables.
 *
 * Two pairs; each submits ids mostly from a small pool of its own, so ids are re-used within a pair
 * often, and sometimes one of the other pair's, while supersessions, retractions and moderations
 * name any id of either pair, or none. An id re-used across pairs is where the decider cannot see
 * the rule (it folds one stream): the three projections must still agree with each other there, and
 * with the decider on every pair that submitted no id first submitted elsewhere.
 *
 * Seeded, so a run is reproducible; `LIFECYCLE_SEED=<n>` explores other histories, and a failure
 * prints the seed and path that replay it.
 */
const PAIRS: Pair[] = [
  { partId: '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', bikeId: '6f1e2d3c-4b5a-4968-8776-655443322110' },
  { partId: '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', bikeId: 'a3c5e7f9-1b2d-4f60-8a9c-0e1f2a3b4c5d' },
];
const idOf = (pairIndex: number, n: number): string => `${pairIndex}${n}aaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa`;
const IDS_PER_PAIR = 4;
const ANY_ID = [...PAIRS.flatMap((_, p) => Array.from({ length: IDS_PER_PAIR }, (_, n) => idOf(p, n))), '99999999-9999-4999-8999-999999999999'];
const RIDERS = ['rider-1', 'rider-2', 'rider-3'];

const pairIndex = fc.integer({ min: 0, max: PAIRS.length - 1 });
const anyId = fc.constantFrom(...ANY_ID);
const givenEvent: fc.Arbitrary<GivenEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        p: pairIndex,
        // Mostly an id of the pair's own pool; one in four of the other pair's.
        idPair: fc.oneof({ weight: 3, arbitrary: fc.constant('own' as const) }, { weight: 1, arbitrary: fc.constant('other' as const) }),
        n: fc.nat(IDS_PER_PAIR - 1),
        userId: fc.constantFrom(...RIDERS),
        fits: fc.boolean(),
        supersedes: fc.option(anyId, { nil: undefined }),
      })
      .map(({ p, idPair, n, userId, fits, supersedes }) =>
        verificationSubmitted(PAIRS[p]!, { verificationId: idOf(idPair === 'own' ? p : 1 - p, n), userId, fits, ...(supersedes === undefined ? {} : { supersedes }) }),
      ),
  },
  { weight: 2, arbitrary: fc.record({ p: pairIndex, id: anyId, userId: fc.constantFrom(...RIDERS) }).map(({ p, id, userId }) => verificationRetracted(PAIRS[p]!, id, userId)) },
  { weight: 2, arbitrary: fc.record({ p: pairIndex, id: anyId, hidden: fc.boolean() }).map(({ p, id, hidden }) => verificationModerated(PAIRS[p]!, id, hidden ? 'hidden' : 'restored')) },
  { weight: 1, arbitrary: fc.record({ p: pairIndex, published: fc.boolean() }).map(({ p, published }) => (published ? fitmentPublished(PAIRS[p]!) : fitmentWithdrawn(PAIRS[p]!))) },
);
/** A history and where it is cut into batches (each `true` ends a batch after that event). */
const historyInBatches = fc.array(fc.tuple(givenEvent, fc.boolean()), { maxLength: 40 });

interface Standing {
  id: string;
  fits: boolean;
  lifecycle: VerificationLifecycle;
  hidden: boolean;
}
interface PairView {
  standings: Standing[];
  compatibility: Omit<Compatibility, 'officialSource'> & { officialPublished: boolean };
}

const byId = (a: Standing, b: Standing) => a.id.localeCompare(b.id);
const keyOf = (pair: Pair) => `${pair.partId} ${pair.bikeId}`;
const SEED = Number(process.env['LIFECYCLE_SEED'] ?? 20261203);

/** Whether a pair's stream submits an id that another pair's stream submitted first (the decider cannot know). */
function submitsAnotherPairsId(events: readonly GivenEvent[], pair: Pair): boolean {
  const firstStream = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'VerificationSubmitted') continue;
    if (!firstStream.has(event.data.verificationId)) firstStream.set(event.data.verificationId, event.stream);
    if (event.stream === fitmentStream(pair.partId, pair.bikeId) && firstStream.get(event.data.verificationId) !== event.stream) return true;
  }
  return false;
}

function domainView(events: readonly GivenEvent[], pair: Pair): PairView {
  const stream = events.filter((event) => event.stream === fitmentStream(pair.partId, pair.bikeId));
  const state = foldEvents(fitmentDecider, stream.map((event) => parseEvent(event.type, event.data)));
  const { officialSource, ...compatibility } = compatibilityOf(state);
  return {
    standings: [...state.verifications.values()].map(({ verificationId: id, fits, lifecycle, hidden }) => ({ id, fits, lifecycle, hidden })).sort(byId),
    compatibility: { ...compatibility, officialPublished: officialSource !== null },
  };
}

function batchesOf(history: readonly (readonly [GivenEvent, boolean])[]): RecordedEvent[][] {
  const all = recordedEvents(history.map(([event]) => event));
  const batches: RecordedEvent[][] = [[]];
  all.forEach((event, i) => {
    batches.at(-1)!.push(event);
    if (history[i]![1]) batches.push([]);
  });
  return batches.filter((batch) => batch.length > 0);
}

/** The compatibility tables, batch by batch, loading what `applyBatch` loads. */
function compatibilityViews(batches: RecordedEvent[][]): Map<string, PairView> {
  const verifications = new Map<string, CompatibilityVerificationRow>();
  const records = new Map<string, RecordRow>();
  for (const batch of batches) {
    const facts = batch.map(compatibilityFactOf);
    const keys = keysOf(facts);
    const writes = foldCompatibility(facts, {
      parts: [],
      records: keys.pairs.flatMap((pair) => records.get(keyOf(pair)) ?? []),
      verifications: keys.verificationIds.flatMap((id) => verifications.get(id) ?? []),
    });
    for (const row of writes.verifications) verifications.set(row.verification_id, row);
    for (const row of writes.records) records.set(keyOf({ partId: row.part_id, bikeId: row.bike_id }), row);
  }
  return new Map(
    [...records].map(([key, record]) => [
      key,
      {
        standings: [...verifications.values()].filter((row) => keyOf({ partId: row.part_id, bikeId: row.bike_id }) === key).map((row) => ({ id: row.verification_id, fits: row.fits, lifecycle: row.lifecycle, hidden: row.hidden })).sort(byId),
        compatibility: { status: record.status, confirmations: record.confirmations, refutations: record.refutations, officialPublished: record.official_status === 'published' },
      },
    ]),
  );
}

/** The search projection's evidence tables, batch by batch, loading what `recordEvidence` loads. */
function searchViews(batches: RecordedEvent[][]): Map<string, PairView> {
  const pairs = new Map<string, PairRow>();
  const verifications = new Map<string, SearchVerificationRow>();
  for (const batch of batches) {
    const { evidence } = readBatch(batch);
    const named = new Set(evidence.map(pairKey));
    const changes = foldEvidence(
      {
        pairs: [...named].flatMap((key) => pairs.get(key) ?? []),
        verifications: verificationIdsOf(evidence).flatMap((id) => verifications.get(id) ?? []),
      },
      evidence,
    );
    for (const row of changes.pairs) pairs.set(pairKey(row), row);
    for (const row of changes.verifications) verifications.set(row.verificationId, row);
  }
  return new Map(
    [...pairs].map(([key, row]) => [
      key,
      {
        standings: [...verifications.values()].filter((v) => pairKey(v) === key).map(({ verificationId: id, fits, lifecycle, hidden }) => ({ id, fits, lifecycle, hidden })).sort(byId),
        compatibility: { status: row.status, confirmations: row.confirmations, refutations: row.refutations, officialPublished: row.official === 'published' },
      },
    ]),
  );
}

/** The verification log's rows, batch by batch, loading what `applyToLog` loads. */
function logStandings(batches: RecordedEvent[][]): Map<string, Standing[]> {
  const rows = new Map<string, VerificationLogRow>();
  for (const batch of batches) {
    const changes = batch.flatMap((event) => logEntryOf(event).change ?? []);
    const stored = verificationIdsTouched(changes).flatMap((id) => rows.get(id) ?? []);
    for (const row of foldVerificationLog(stored, changes)) rows.set(row.verification_id, row);
  }
  const standings = new Map<string, Standing[]>();
  for (const row of rows.values()) {
    const key = keyOf({ partId: row.part_id, bikeId: row.bike_id });
    standings.set(key, [...(standings.get(key) ?? []), { id: row.verification_id, fits: row.fits, lifecycle: row.lifecycle, hidden: row.hidden }].sort(byId));
  }
  return standings;
}

describe('the verification lifecycle, in the domain and in the projections', () => {
  it('leaves every pair with the same verifications, counts and status in the compatibility, search and log tables as the domain fold', () => {
    let pairsComparedWithDomain = 0;
    let pairsWithAnotherPairsId = 0;
    fc.assert(
      fc.property(historyInBatches, (history) => {
        const events = history.map(([event]) => event);
        const batches = batchesOf(history);
        const compatibility = compatibilityViews(batches);
        const search = searchViews(batches);
        const log = logStandings(batches);
        for (const pair of PAIRS) {
          const key = keyOf(pair);
          if (!events.some((event) => event.stream === fitmentStream(pair.partId, pair.bikeId))) continue;
          const view = compatibility.get(key)!;
          expect(search.get(key)).toEqual(view);
          expect(log.get(key) ?? []).toEqual(view.standings);
          expect(countVerifications(log.get(key) ?? [])).toEqual({ confirmations: view.compatibility.confirmations, refutations: view.compatibility.refutations });
          if (submitsAnotherPairsId(events, pair)) {
            pairsWithAnotherPairsId += 1;
            continue;
          }
          expect(view).toEqual(domainView(events, pair));
          pairsComparedWithDomain += 1;
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
    // The generator must reach the interesting cases, not only empty histories.
    expect(pairsComparedWithDomain).toBeGreaterThan(1000);
    expect(pairsWithAnotherPairsId).toBeGreaterThan(100);
  });
});
