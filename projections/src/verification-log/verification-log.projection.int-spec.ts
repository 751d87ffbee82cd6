import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, bikeStream, fitmentStream, verifyChain } from '@mpp/domain';
import { eventsToAppend, type EventToAppend } from '@mpp/event-store';
import { waitForPosition } from '@mpp/projection-runner';
import { verificationLogProjection } from './verification-log.projection.js';
import {
  at,
  bikeRegistered,
  fitmentPublished,
  partCataloged,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  DEFAULT_OCCURRED_AT,
  type Pair,
} from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

const aPair = (): Pair => ({ partId: partCataloged().data.partId, bikeId: bikeRegistered().data.bikeId });

/**
 * Appends events to a new pair's fitment stream in one append (hash chain and all), so the
 * projection gets them in one batch. The data is not checked, so a test can slip in a malformed event.
 */
async function givenTogether(harness: ProjectionHarness, pair: Pair, events: { type: string; data: Record<string, unknown>; occurredAt?: string }[]): Promise<void> {
  // Each event may carry its own occurredAt, which version 2 hashes: one link at a time.
  const stream = fitmentStream(pair.partId, pair.bikeId);
  const toAppend: EventToAppend[] = [];
  for (const [index, { type, data, occurredAt = DEFAULT_OCCURRED_AT }] of events.entries()) {
    const head = { lastHash: toAppend.at(-1)?.metadata.hash as string | undefined, nextRevision: index };
    toAppend.push(...eventsToAppend(stream, [{ type, data }], head, { actor: 'system:test', correlationId: randomUUID(), causationId: randomUUID(), occurredAt }));
  }
  const { position } = await harness.store.appendToStream(stream, toAppend, { expectedRevision: 'no_stream' });
  expect(await waitForPosition(harness.knex, ['verification-log'], position, 10_000)).toBe(true);
}

const logOf = (harness: ProjectionHarness, pair: Pair) =>
  harness
    .knex('verification_log')
    .where({ part_id: pair.partId, bike_id: pair.bikeId })
    .orderBy('position')
    .select('verification_id', 'state', 'supersedes', 'superseded_by', 'retraction_reason', 'moderated_by', harness.knex.raw(`to_char(lifecycle_changed_at AT TIME ZONE 'UTC', 'HH24:MI') AS changed`));

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
    const chain = rows.map((row) => ({
      revision: row.revision,
      eventId: row.event_id,
      type: row.type,
      data: row.data,
      metadata: { hash: row.hash, prevHash: row.prev_hash, hashVersion: row.hash_version ?? undefined, actor: row.actor, occurredAt: new Date(row.occurred_at).toISOString() },
    }));
    expect(verifyChain(chain)).toMatchObject({ valid: true, eventCount: 3 });
  });

  it('applies supersessions, retractions and moderation to verifications submitted in the same batch', async () => {
    const pair = aPair();
    const first = at('2025-03-01T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: true }));
    const second = at('2025-03-01T11:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId }));
    const third = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    await givenTogether(harness, pair, [
      fitmentPublished(pair),
      first,
      verificationModerated(pair, first.data.verificationId, 'hidden'),
      second,
      third,
      at('2025-03-01T12:00:00.000Z', verificationRetracted(pair, third.data.verificationId, 'rider-2', 'Wrong year')),
    ]);
    expect(await logOf(harness, pair)).toEqual([
      { verification_id: first.data.verificationId, state: 'hidden', supersedes: null, superseded_by: second.data.verificationId, retraction_reason: null, moderated_by: 'user-moderator-1', changed: '11:00' },
      { verification_id: second.data.verificationId, state: 'active', supersedes: first.data.verificationId, superseded_by: null, retraction_reason: null, moderated_by: null, changed: null },
      { verification_id: third.data.verificationId, state: 'retracted', supersedes: null, superseded_by: null, retraction_reason: 'Wrong year', moderated_by: null, changed: '12:00' },
    ]);
    expect(await harness.knex('verification_log_events').where({ stream_id: first.stream }).count({ n: '*' }).first()).toEqual({ n: 6 });
  });

  // The verification lifecycle of the domain (verification-lifecycle.ts): an event changes only its own pair's verifications.
  it("ignores a second submission of a logged id in another pair, and what it names there as superseded; changes nothing for an unknown id", async () => {
    const pair = aPair();
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const second = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    await harness.given(first, second);
    const unknown = randomUUID();
    const otherPair = aPair();
    await givenTogether(harness, otherPair, [
      at('2025-03-01T13:00:00.000Z', verificationSubmitted(otherPair, { userId: 'rider-1', fits: false, verificationId: second.data.verificationId, supersedes: first.data.verificationId })),
      verificationRetracted(otherPair, unknown, 'rider-1'),
      verificationModerated(otherPair, unknown, 'hidden'),
      verificationSubmitted(otherPair, { userId: 'rider-3', fits: true, supersedes: unknown }),
    ]);
    expect(await logOf(harness, pair)).toEqual([
      { verification_id: first.data.verificationId, state: 'active', supersedes: null, superseded_by: null, retraction_reason: null, moderated_by: null, changed: null },
      { verification_id: second.data.verificationId, state: 'active', supersedes: null, superseded_by: null, retraction_reason: null, moderated_by: null, changed: null },
    ]);
    expect(await harness.knex('verification_log').where({ verification_id: unknown }).first()).toBeUndefined();
    expect(await logOf(harness, otherPair)).toHaveLength(1);
  });
});

describe('verification log projection, poison events', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([verificationLogProjection]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('parks a malformed event and applies the rest of its batch', async () => {
    const pair = aPair();
    const submitted = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    await givenTogether(harness, pair, [
      submitted,
      { type: 'VerificationRetracted', data: { verificationId: submitted.data.verificationId } },
      verificationModerated(pair, submitted.data.verificationId, 'hidden'),
    ]);
    expect(await harness.deadLetters()).toEqual([expect.objectContaining({ projection: 'verification-log', event_type: 'VerificationRetracted', stream_id: submitted.stream })]);
    expect(await logOf(harness, pair)).toEqual([expect.objectContaining({ verification_id: submitted.data.verificationId, state: 'hidden' })]);
    expect(await harness.knex('verification_log_events').where({ stream_id: submitted.stream }).orderBy('revision').pluck('revision')).toEqual([0, 2]);
  });

  it('parks a fitment event appended to a stream that is not a fitment stream', async () => {
    const { bikeId } = bikeRegistered().data;
    await harness.given({ ...verificationRetracted({ partId: partCataloged().data.partId, bikeId }, randomUUID(), 'rider-1'), stream: bikeStream(bikeId) });
    expect(await harness.deadLetters()).toContainEqual(expect.objectContaining({ event_type: 'VerificationRetracted', stream_id: bikeStream(bikeId), error: expect.stringContaining('not a fitment stream') }));
  });
});
