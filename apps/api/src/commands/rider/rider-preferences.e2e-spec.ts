import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

describe('the rider’s region and garage bike on the account', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let rider: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const put = (who: SignedIn, body: object) =>
    http().put('/api/me/rider-preferences').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const riderEvents = async (userId: string) =>
    api.db.knex('events').where('stream_id', `rider-${userId}`).orderBy('revision').select('type', 'data', 'metadata');

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'garage-rider@example.com');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('starts with nothing chosen, records a choice as a RiderPreferencesChanged event, and shows it on every device', async () => {
    const fresh = await http().get('/api/me').set('Cookie', rider.cookie).expect(200);
    expect(fresh.body).toMatchObject({ region: null, garageBike: null });

    const changed = await put(rider, { region: 'GB', garageBikeId: IDS.mt07_2021 }).expect(200);
    expect(changed.headers['cache-control']).toBe('private, no-store');
    expect(changed.body).toMatchObject({ region: 'GB', garageBike: { id: IDS.mt07_2021, slug: '2021-yamaha-mt-07', year: 2021, make: 'Yamaha', model: 'MT-07' } });
    expect(changed.body.position).toBeGreaterThan(0);

    const events = await riderEvents(rider.userId);
    expect(events.map((event) => [event.type, event.data])).toEqual([['RiderPreferencesChanged', { userId: rider.userId, region: 'GB', garageBikeId: IDS.mt07_2021 }]]);
    expect(JSON.stringify(events)).not.toContain('garage-rider@example.com');
    expect(events[0].metadata.actor).toBe(rider.userId);

    // Another device: a new session of the same account reads the account's choice, on sign-in too.
    const phone = await signIn(api.app, 'garage-rider@example.com');
    expect((await http().get('/api/me').set('Cookie', phone.cookie).expect(200)).body).toMatchObject({ region: 'GB', garageBike: { id: IDS.mt07_2021 } });
    const login = await http().post('/auth/dev-login').send({ email: 'garage-rider@example.com', displayName: 'garage-rider' }).expect(200);
    expect(login.body).toMatchObject({ region: 'GB', garageBike: { slug: '2021-yamaha-mt-07' } });
  });

  it('appends nothing when the choice is the same, only the changed field otherwise, and empties the garage with null', async () => {
    const before = (await riderEvents(rider.userId)).length;
    await put(rider, { region: 'GB', garageBikeId: IDS.mt07_2021 }).expect(200);
    expect(await riderEvents(rider.userId)).toHaveLength(before);

    const emptied = await put(rider, { region: 'DE', garageBikeId: null }).expect(200);
    expect(emptied.body).toMatchObject({ region: 'DE', garageBike: null });
    const events = await riderEvents(rider.userId);
    expect(events.at(-1)!.data).toEqual({ userId: rider.userId, region: 'DE', garageBikeId: null });
    expect((await http().get('/api/me').set('Cookie', rider.cookie).expect(200)).body).toMatchObject({ region: 'DE', garageBike: null });
  });

  it('names a bad region, a malformed bike id and an empty change; 404 for a bike we do not have', async () => {
    const fields = async (body: object) => (await put(rider, body).expect(400)).body.errors.map((error: { field: string }) => error.field);
    expect(await fields({ region: 'XX' })).toEqual(['region']);
    expect(await fields({ garageBikeId: 'nope' })).toEqual(['garageBikeId']);
    expect(await fields({})).toEqual(['region']);
    const missing = await put(rider, { garageBikeId: randomUUID() }).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('asks an anonymous rider to sign in and refuses a change without the CSRF token', async () => {
    await http().put('/api/me/rider-preferences').send({ region: 'GB' }).expect(401);
    await http().put('/api/me/rider-preferences').set('Cookie', rider.cookie).send({ region: 'GB' }).expect(403);
  });
});
