import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { fitmentStream, verifyChain } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import type { EventStore } from '@mpp/event-store';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('POST /api/verifications', () => {
  let api: ApiUnderTest;
  let rider: SignedIn;
  const submit = (body: object, who: SignedIn = rider, key?: string) => {
    const req = request(api.app.getHttpServer()).post('/api/verifications').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const streamEvents = async (partId: string, bikeId: string) => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const events: RecordedEvent[] = [];
    for await (const e of store.readStream(fitmentStream(partId, bikeId))) events.push(e);
    return events;
  };
  // The port's metadata is an open record; the chain verifier reads only its two hash keys.
  const chained = (events: RecordedEvent[]) => events.map((e) => ({ ...e, metadata: { prevHash: e.metadata.prevHash, hash: e.metadata.hash, hashVersion: e.metadata.hashVersion, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor } }));

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'rider@example.com');
  });
  afterAll(() => api.close());

  it('asks anonymous riders to sign in (401) and refuses a missing CSRF token (403)', async () => {
    await request(api.app.getHttpServer()).post('/api/verifications').send({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true }).expect(401);
    await request(api.app.getHttpServer())
      .post('/api/verifications')
      .set('Cookie', rider.cookie)
      .send({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true })
      .expect(403);
  });

  it('names every invalid field', async () => {
    const res = await submit({ partId: 'nope', bikeId: IDS.mt07_2021, fits: 'yes', notes: 'x'.repeat(2001) }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fits', 'notes', 'partId']);
  });

  it('answers 404 for a part or bike that does not exist, and appends nothing', async () => {
    const unknown = '6b0f7f4c-4f39-4a4e-9d3b-1c5c2f2b9a10';
    const res = await submit({ partId: unknown, bikeId: IDS.mt07_2021, fits: true }).expect(404);
    expect(res.body).toMatchObject({ status: 404, entity: 'part' });
    await submit({ partId: IDS.pads, bikeId: unknown, fits: true }).expect(404);
    expect(await api.db.knex('events').where({ type: 'VerificationSubmitted' }).count('* as n').first()).toEqual({ n: 0 });
  });

  it('records a verification as a chained, attributable event and answers its id, event id and position', async () => {
    const res = await submit({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'Bolted straight on' }).expect(201);
    expect(res.body).toEqual({ verificationId: expect.any(String), eventId: expect.any(String), position: expect.any(Number) });
    const [event] = await streamEvents(IDS.pads, IDS.mt07_2021);
    expect(event).toMatchObject({ eventId: res.body.eventId, type: 'VerificationSubmitted', position: BigInt(res.body.position) });
    expect(event.data).toMatchObject({ verificationId: res.body.verificationId, userId: rider.userId, fits: true });
    expect(event.metadata).toMatchObject({ actor: rider.userId, schemaVersion: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify({ data: event.data, metadata: event.metadata })).not.toContain('rider@example.com');
  });

  it('supersedes the rider’s previous verification of the same pair', async () => {
    const first = await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: true }).expect(201);
    const second = await submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: false, notes: 'Hits the hugger' }).expect(201);
    const submitted = (await streamEvents(IDS.exhaust, IDS.mt07_2022)).filter((e) => e.type === 'VerificationSubmitted');
    expect(submitted.map((e) => e.data.verificationId)).toEqual([first.body.verificationId, second.body.verificationId]);
    expect(submitted[1].data.supersedes).toBe(first.body.verificationId);
  });

  it('returns the first response for a repeated Idempotency-Key and records one event', async () => {
    const body = { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: true };
    const first = await submit(body, rider, 'key-123').expect(201);
    const again = await submit(body, rider, 'key-123').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const submitted = (await streamEvents(IDS.pads, IDS.mt07_2022)).filter((e) => e.type === 'VerificationSubmitted');
    expect(submitted).toHaveLength(1);
    await submit({ ...body, fits: false }, rider, 'key-123').expect(422);
  });

  it('keeps every verification of 20 riders submitting at once, with a valid chain', async () => {
    const riders = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(api.app, `crowd${i}@example.com`)));
    const responses = await Promise.all(riders.map((who, i) => submit({ partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: i % 4 !== 0 }, who)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const events = await streamEvents(IDS.exhaust, IDS.mt07_2021);
    expect(events.filter((e) => e.type === 'VerificationSubmitted')).toHaveLength(20);
    expect(verifyChain(chained(events))).toMatchObject({ valid: true, eventCount: events.length });
  });

  it('lets the chain verifier name a stored fitment event that was tampered with', async () => {
    const events = await streamEvents(IDS.exhaust, IDS.mt07_2021);
    const victim = events[3];
    // The log refuses UPDATE (migration 0011b); a superuser can switch triggers off, so the chain must still catch it.
    await api.db.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('events').where({ event_id: victim.eventId }).update({ data: trx.raw(`jsonb_set(data, '{notes}', '"edited after the fact"'::jsonb)`) });
    });
    const tampered = await streamEvents(IDS.exhaust, IDS.mt07_2021);
    expect(verifyChain(chained(tampered))).toEqual({ valid: false, brokenAt: { revision: Number(victim.revision), eventId: victim.eventId, reason: 'hash_mismatch' } });
  });
});
