import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { compatibilityFromEvents, fitmentStream, parseEvent } from '@mpp/domain';
import { replayIntoSchema } from '@mpp/projection-runner';
import { compatibilityProjection } from './compatibility.projection.js';
import {
  at,
  bikeRegistered,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type GivenEvent,
  type Pair,
} from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('compatibility projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([compatibilityProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  /** A cataloged part and a registered bike, as every fitment stream presupposes. */
  function aPartAndABike(part: Parameters<typeof partCataloged>[0] = {}) {
    const bike = bikeRegistered();
    const cataloged = partCataloged(part);
    const pair: Pair = { partId: cataloged.data.partId, bikeId: bike.data.bikeId };
    return { catalog: [bike, cataloged], pair };
  }

  const recordOf = (pair: Pair) =>
    harness.knex('compatibility_records').where({ part_id: pair.partId, bike_id: pair.bikeId }).first();

  it('marks a pair verified while an official fitment is published, whatever riders say', async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(
      ...catalog,
      fitmentPublished(pair, 'manufacturer'),
      verificationSubmitted(pair, { userId: 'rider-1', fits: false }),
      verificationSubmitted(pair, { userId: 'rider-2', fits: false }),
    );
    expect(await recordOf(pair)).toMatchObject({
      status: 'verified',
      status_rank: 0,
      official_status: 'published',
      official_source: 'manufacturer',
      confirmations: 0,
      refutations: 2,
    });
  });

  it('is community evidence when confirmations outnumber refutations', async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(
      ...catalog,
      verificationSubmitted(pair, { userId: 'rider-1', fits: true }),
      verificationSubmitted(pair, { userId: 'rider-2', fits: true }),
      verificationSubmitted(pair, { userId: 'rider-3', fits: false }),
    );
    expect(await recordOf(pair)).toMatchObject({ status: 'community', status_rank: 1, confirmations: 2, refutations: 1, official_status: 'none', official_source: null });
  });

  it('is disputed when refutations reach the confirmations, or riders only refute', async () => {
    const tie = aPartAndABike();
    const onlyRefuted = aPartAndABike();
    await harness.given(
      ...tie.catalog,
      ...onlyRefuted.catalog,
      verificationSubmitted(tie.pair, { userId: 'rider-1', fits: true }),
      verificationSubmitted(tie.pair, { userId: 'rider-2', fits: false }),
      verificationSubmitted(onlyRefuted.pair, { userId: 'rider-1', fits: false }),
    );
    expect(await recordOf(tie.pair)).toMatchObject({ status: 'disputed', confirmations: 1, refutations: 1 });
    expect(await recordOf(onlyRefuted.pair)).toMatchObject({ status: 'disputed', confirmations: 0, refutations: 1 });
  });

  it('does not count superseded, retracted or hidden verifications', async () => {
    const { catalog, pair } = aPartAndABike();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const changedMind = verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId });
    const retracted = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    const spam = verificationSubmitted(pair, { userId: 'rider-3', fits: true });
    const history = [
      first,
      changedMind,
      retracted,
      verificationRetracted(pair, retracted.data.verificationId, 'rider-2', 'Wrong bike'),
      spam,
      verificationModerated(pair, spam.data.verificationId, 'hidden'),
    ];
    await harness.given(...catalog, ...history);

    expect(await recordOf(pair)).toMatchObject({ status: 'disputed', confirmations: 0, refutations: 1 });
    // The domain's own fold over the same stream is the oracle.
    const expected = compatibilityFromEvents(history.map((event) => parseEvent(event.type, event.data)));
    expect(await recordOf(pair)).toMatchObject({ status: expected.status, confirmations: expected.confirmations, refutations: expected.refutations });
  });

  it('counts a hidden verification again once a moderator restores it', async () => {
    const { catalog, pair } = aPartAndABike();
    const confirmation = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    await harness.given(...catalog, confirmation, verificationModerated(pair, confirmation.data.verificationId, 'hidden'));
    expect(await recordOf(pair)).toMatchObject({ status: 'no_data', confirmations: 0 });

    await harness.given(verificationModerated(pair, confirmation.data.verificationId, 'restored'));
    expect(await recordOf(pair)).toMatchObject({ status: 'community', confirmations: 1 });
  });

  it("falls back to the riders' evidence when the official fitment is withdrawn", async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(
      ...catalog,
      fitmentPublished(pair, 'retailer'),
      verificationSubmitted(pair, { userId: 'rider-1', fits: true }),
      fitmentWithdrawn(pair, 'staff'),
    );
    expect(await recordOf(pair)).toMatchObject({ status: 'community', official_status: 'withdrawn', official_source: null, confirmations: 1 });
  });

  it('has no data for a pair whose only fitment was withdrawn', async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(...catalog, fitmentPublished(pair), fitmentWithdrawn(pair));
    expect(await recordOf(pair)).toMatchObject({ status: 'no_data', status_rank: 3, official_status: 'withdrawn', confirmations: 0, refutations: 0 });
  });

  it('is verified again when an official fitment is re-published after a withdrawal', async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(...catalog, fitmentPublished(pair, 'retailer'), fitmentWithdrawn(pair), fitmentPublished(pair, 'manufacturer'));
    expect(await recordOf(pair)).toMatchObject({ status: 'verified', official_status: 'published', official_source: 'manufacturer' });
  });

  it("carries the part's category, brand and name, kept in step with PartDetailsRevised", async () => {
    const { catalog, pair } = aPartAndABike({ category: 'exhaust', brand: 'Akrapovič', name: 'Slip-On Line' });
    await harness.given(...catalog, verificationSubmitted(pair, { userId: 'rider-1', fits: true }));
    expect(await recordOf(pair)).toMatchObject({ part_category: 'exhaust', part_brand: 'Akrapovič', part_name: 'Slip-On Line' });

    await harness.given(partDetailsRevised(pair.partId, { brand: 'Akrapovic', name: 'Slip-On Line (Titanium)' }));
    expect(await recordOf(pair)).toMatchObject({ part_category: 'exhaust', part_brand: 'Akrapovic', part_name: 'Slip-On Line (Titanium)' });
  });

  it('leaves the part fields of a pair verified before its part was cataloged empty, and fills them when it is', async () => {
    const { catalog, pair } = aPartAndABike({ category: 'exhaust', brand: 'Akrapovič', name: 'Slip-On Line' });
    const [bike, cataloged] = catalog;
    await harness.given(bike!, verificationSubmitted(pair, { userId: 'rider-1', fits: true }));
    expect(await recordOf(pair)).toMatchObject({ status: 'community', part_category: null, part_brand: null, part_name: null });

    await harness.given(cataloged!);
    expect(await recordOf(pair)).toMatchObject({ status: 'community', part_category: 'exhaust', part_brand: 'Akrapovič', part_name: 'Slip-On Line' });
  });

  it('recounts and dates a pair on the retraction or moderation of a verification it does not hold', async () => {
    const { catalog, pair } = aPartAndABike();
    const other = aPartAndABike();
    const elsewhere = verificationSubmitted(other.pair, { userId: 'rider-1', fits: true });
    await harness.given(...catalog, ...other.catalog, elsewhere, verificationSubmitted(pair, { userId: 'rider-2', fits: true }));
    const position = await harness.given(
      verificationRetracted(pair, randomUUID(), 'rider-1'),
      at('2025-05-01T09:00:00.000Z', verificationModerated(pair, elsewhere.data.verificationId, 'hidden')),
    );
    const record = await recordOf(pair);
    expect(record).toMatchObject({ status: 'community', confirmations: 1 });
    expect(BigInt(record.last_position)).toBe(position);
    expect(record.last_event_at.toISOString()).toBe('2025-05-01T09:00:00.000Z');
    expect(await recordOf(other.pair)).toMatchObject({ status: 'community', confirmations: 1 });
  });

  it('keeps the first verification under an id, wherever the id comes again', async () => {
    const { catalog, pair } = aPartAndABike();
    const other = aPartAndABike();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const { verificationId } = first.data;
    await harness.given(
      ...catalog,
      ...other.catalog,
      first,
      verificationSubmitted(pair, { userId: 'rider-1', fits: false, verificationId }),
      verificationSubmitted(other.pair, { userId: 'rider-1', fits: false, verificationId }),
    );
    expect(await recordOf(pair)).toMatchObject({ status: 'community', confirmations: 1, refutations: 0 });
    expect(await recordOf(other.pair)).toMatchObject({ status: 'no_data', confirmations: 0, refutations: 0 });
  });

  it('dates a pair by when its last event happened, not when it was projected', async () => {
    const { catalog, pair } = aPartAndABike();
    await harness.given(
      ...catalog,
      at('2024-06-01T08:00:00.000Z', fitmentPublished(pair)),
      at('2024-07-15T18:30:00+02:00', verificationSubmitted(pair, { userId: 'rider-1', fits: true })),
    );
    const record = await recordOf(pair);
    expect(record.last_event_at.toISOString()).toBe('2024-07-15T16:30:00.000Z');
  });

  it('answers the bike-parts query from one table, filtered by category and strongest evidence first', async () => {
    const bike = bikeRegistered();
    const verifiedExhaust = partCataloged({ category: 'exhaust' });
    const communityExhaust = partCataloged({ category: 'exhaust' });
    const pads = partCataloged({ category: 'brake-pads' });
    const pairOf = (part: { data: { partId: string } }): Pair => ({ partId: part.data.partId, bikeId: bike.data.bikeId });
    await harness.given(
      bike,
      verifiedExhaust,
      communityExhaust,
      pads,
      verificationSubmitted(pairOf(communityExhaust), { userId: 'rider-1', fits: true }),
      fitmentPublished(pairOf(verifiedExhaust)),
      fitmentPublished(pairOf(pads)),
    );
    const rows = await harness
      .knex('compatibility_records')
      .where({ bike_id: bike.data.bikeId, part_category: 'exhaust' })
      .orderBy([{ column: 'status_rank' }, { column: 'confirmations', order: 'desc' }])
      .select('part_id', 'status');
    expect(rows).toEqual([
      { part_id: verifiedExhaust.data.partId, status: 'verified' },
      { part_id: communityExhaust.data.partId, status: 'community' },
    ]);
  });
});

describe('compatibility projection, on an event it cannot read', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([compatibilityProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('stops before it rather than skip evidence, and reports why', async () => {
    const pair = { partId: randomUUID(), bikeId: randomUUID() };
    const malformed = { ...verificationSubmitted(pair, { userId: 'rider-1', fits: true }).data, fits: 'yes' };
    const { position } = await harness.store.appendToStream(
      fitmentStream(pair.partId, pair.bikeId),
      [
        {
          eventId: randomUUID(),
          type: 'VerificationSubmitted',
          data: malformed,
          metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'rider-1', schemaVersion: 1, occurredAt: '2025-03-01T12:00:00Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
    let checkpoint: { position: number; error: string | null } | undefined;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && !checkpoint?.error; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      checkpoint = await harness.knex('projection_checkpoints').where({ projection: 'compatibility', state: 'active' }).first('position', 'error');
    }
    expect(checkpoint?.error).toContain('VerificationSubmitted');
    expect(BigInt(checkpoint!.position)).toBeLessThan(position);
    expect(await harness.deadLetters()).toEqual([]);
    expect(await harness.knex('compatibility_records').where({ part_id: pair.partId })).toEqual([]);
  });
});

describe('compatibility projection, whole batches at once', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    // No live projection: the test builds its own, with the batch sizes it names.
    harness = await startProjectionHarness([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  async function rowsBuiltInBatchesOf(batchSize: number) {
    const schema = `compatibility_in_batches_of_${batchSize}`;
    const signal = new AbortController().signal;
    const { outcome } = await replayIntoSchema({ knex: harness.knex, store: harness.store, projection: compatibilityProjection, schema, batchSize, signal });
    expect(outcome).toBe('caught_up');
    const rows = (table: string, ...order: string[]) => harness.knex.withSchema(schema).table(table).orderBy(order);
    return {
      records: await rows('compatibility_records', 'part_id', 'bike_id'),
      verifications: await rows('compatibility_verifications', 'verification_id'),
      parts: await rows('compatibility_parts', 'id'),
    };
  }

  it('leaves the rows that applying its events one at a time leaves', async () => {
    const bike = bikeRegistered();
    const early = partCataloged({ name: 'Cataloged after its first verification' });
    const revised = partCataloged({ name: 'Renamed twice' });
    const earlyPair: Pair = { partId: early.data.partId, bikeId: bike.data.bikeId };
    const revisedPair: Pair = { partId: revised.data.partId, bikeId: bike.data.bikeId };
    const untouched: Pair = { partId: revised.data.partId, bikeId: bikeRegistered().data.bikeId };
    const first = verificationSubmitted(earlyPair, { userId: 'rider-1', fits: true });
    const hidden = verificationSubmitted(revisedPair, { userId: 'rider-2', fits: false });
    const history: GivenEvent[] = [
      bike,
      first,
      verificationSubmitted(earlyPair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId }),
      early,
      revised,
      fitmentPublished(untouched),
      fitmentPublished(revisedPair, 'retailer'),
      hidden,
      verificationModerated(revisedPair, hidden.data.verificationId, 'hidden'),
      partDetailsRevised(revised.data.partId, { name: 'Renamed once' }),
      verificationRetracted(revisedPair, randomUUID(), 'rider-3'),
      verificationSubmitted(revisedPair, { userId: 'rider-1', fits: true, verificationId: first.data.verificationId }),
      verificationModerated(revisedPair, hidden.data.verificationId, 'restored'),
      fitmentWithdrawn(revisedPair),
      partDetailsRevised(revised.data.partId, { name: 'Renamed twice', description: 'Lighter' }),
      partCataloged({ sku: revised.data.sku, name: 'A second cataloging changes nothing' }),
    ];
    await harness.given(...history);

    const oneAtATime = await rowsBuiltInBatchesOf(1);
    expect(oneAtATime.records).toHaveLength(3);
    // 4 puts the untouched pair's record in an earlier batch than the revisions of its part.
    expect(await rowsBuiltInBatchesOf(4)).toEqual(oneAtATime);
    expect(await rowsBuiltInBatchesOf(1_000)).toEqual(oneAtATime);
  });
});
