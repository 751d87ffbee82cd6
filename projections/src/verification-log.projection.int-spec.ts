import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, verifyChain } from '@mpp/domain';
import { verificationLogProjection } from './verification-log.projection.js';
import {
  at,
  bikeRegistered,
  fitmentPublished,
  partCataloged,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type Pair,
} from './testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from './testing/projection-harness.js';

describe('verification log projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([verificationLogProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const aPair = (): Pair => ({ partId: partCataloged().data.partId, bikeId: bikeRegistered().data.bikeId });

  const storedEvents = async (stream: string) => {
    const events = [];
    for await (const event of harness.store.readStream(stream)) events.push(event);
    return events;
  };

  it('records a verification with its place in the log and in the hash chain', async () => {
    const pair = aPair();
    const submitted = at('2025-03-01T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: true, notes: 'Bolted straight on' }));
    await harness.given(fitmentPublished(pair), submitted);

    const [published, stored] = await storedEvents(submitted.stream);
    const row = await harness.knex('verification_log').where({ verification_id: submitted.data.verificationId }).first();
    expect(row).toMatchObject({
      part_id: pair.partId,
      bike_id: pair.bikeId,
      user_id: 'rider-1',
      fits: true,
      notes: 'Bolted straight on',
      state: 'active',
      event_id: stored.eventId,
      position: Number(stored.position),
      stream_id: submitted.stream,
      revision: 1,
      hash: stored.metadata.hash,
      prev_hash: published.metadata.hash,
    });
    expect(row.submitted_at.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('shows superseded, retracted and hidden verifications, and their history, instead of dropping them', async () => {
    const pair = aPair();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const second = verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId });
    const retracted = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    const hidden = verificationSubmitted(pair, { userId: 'rider-3', fits: true });
    await harness.given(
      first,
      second,
      retracted,
      verificationRetracted(pair, retracted.data.verificationId, 'rider-2', 'Wrong year'),
      hidden,
      verificationModerated(pair, hidden.data.verificationId, 'hidden', 'moderator-7'),
    );

    const rows = await harness.knex('verification_log').where({ part_id: pair.partId, bike_id: pair.bikeId }).orderBy('position');
    expect(rows.map(({ verification_id, state }) => ({ verification_id, state }))).toEqual([
      { verification_id: first.data.verificationId, state: 'superseded' },
      { verification_id: second.data.verificationId, state: 'active' },
      { verification_id: retracted.data.verificationId, state: 'retracted' },
      { verification_id: hidden.data.verificationId, state: 'hidden' },
    ]);
    expect(rows[0]).toMatchObject({ superseded_by: second.data.verificationId });
    expect(rows[1]).toMatchObject({ supersedes: first.data.verificationId });
    expect(rows[2]).toMatchObject({ retraction_reason: 'Wrong year' });
    expect(rows[3]).toMatchObject({ lifecycle: 'active', hidden: true, moderated_by: 'moderator-7', moderation_reason: 'Spam' });

    const historyOfRetracted = await harness
      .knex('verification_log_events')
      .where({ verification_id: retracted.data.verificationId })
      .orderBy('position')
      .pluck('type');
    expect(historyOfRetracted).toEqual(['VerificationSubmitted', 'VerificationRetracted']);
  });

  it('shows a restored verification in its lifecycle state again', async () => {
    const pair = aPair();
    const submitted = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    await harness.given(
      submitted,
      verificationModerated(pair, submitted.data.verificationId, 'hidden'),
      verificationModerated(pair, submitted.data.verificationId, 'restored'),
    );
    expect(await harness.knex('verification_log').where({ verification_id: submitted.data.verificationId }).first()).toMatchObject({ state: 'active', hidden: false });
  });

  it('keeps every event of a fitment stream, so the hash chain can be verified from the read model', async () => {
    const pair = aPair();
    const submitted = verificationSubmitted(pair, { userId: 'rider-1', fits: true, notes: 'Needs the link pipe — “Ø 50 mm”' });
    await harness.given(fitmentPublished(pair), submitted, verificationRetracted(pair, submitted.data.verificationId, 'rider-1'));

    const rows = await harness.knex('verification_log_events').where({ stream_id: submitted.stream }).orderBy('revision');
    expect(rows.map((row) => row.type)).toEqual(['FitmentPublished', 'VerificationSubmitted', 'VerificationRetracted']);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    const chain = rows.map((row) => ({ revision: row.revision, eventId: row.event_id, type: row.type, data: row.data, metadata: { hash: row.hash, prevHash: row.prev_hash } }));
    expect(verifyChain(chain)).toMatchObject({ valid: true, eventCount: 3 });
  });
});
