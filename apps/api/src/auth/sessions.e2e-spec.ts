import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { signIn, type SignedIn } from '../testing/sign-in.js';
import { SESSION_IDLE_MS, SESSION_TTL_MS } from './sessions.repository.js';

/** Sessions end after a week unused, a month at most, or everywhere at once when the rider asks. */
describe('session lifetime', () => {
  let api: ApiUnderTest;
  const me = (who: SignedIn) => request(api.app.getHttpServer()).get('/api/me').set('Cookie', who.cookie);
  const expiresAt = async (userId: string) => new Date((await api.db.knex('sessions').where({ user_id: userId }).first('expires_at')).expires_at).getTime();

  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('ends every session of the rider with POST /auth/logout-everywhere, and no one else’s', async () => {
    const laptop = await signIn(api.app, 'everywhere@example.com');
    const phone = await signIn(api.app, 'everywhere@example.com');
    const someoneElse = await signIn(api.app, 'someone-else@example.com');
    await request(api.app.getHttpServer()).post('/auth/logout-everywhere').set('Cookie', laptop.cookie).set('X-CSRF-Token', laptop.csrfToken).expect(204);
    await me(laptop).expect(401);
    await me(phone).expect(401);
    await me(someoneElse).expect(200);
  });

  it('issues a new session id at sign-in and ends the one presented with it (session fixation)', async () => {
    // An attacker's own session id, planted in the victim's browser before the victim signs in.
    const planted = await signIn(api.app, 'attacker@example.com');
    const res = await request(api.app.getHttpServer())
      .post('/auth/dev-login')
      .set('Cookie', planted.cookie)
      .send({ email: 'victim@example.com', displayName: 'victim' })
      .expect(200);
    const fresh = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!);
    const sessionOf = (cookies: string[]) => cookies.find((c) => c.startsWith('mpp_session='));
    expect(sessionOf(fresh)).toBeDefined();
    expect(sessionOf(fresh)).not.toBe(sessionOf(planted.cookie));
    await me(planted).expect(401);
    const victim = await request(api.app.getHttpServer()).get('/api/me').set('Cookie', fresh).expect(200);
    expect(victim.body.id).toBe(res.body.id);
  });

  it('keeps the sessions of other devices when signing in again without presenting one', async () => {
    const laptop = await signIn(api.app, 'two-devices@example.com');
    const phone = await signIn(api.app, 'two-devices@example.com');
    await me(laptop).expect(200);
    await me(phone).expect(200);
  });

  it('pushes the idle expiry forward when a session is used', async () => {
    const rider = await signIn(api.app, 'idle@example.com');
    // As if unused for almost the whole idle period.
    await api.db.knex('sessions').where({ user_id: rider.userId }).update({ expires_at: api.db.knex.raw("now() + interval '1 hour'") });
    await me(rider).expect(200);
    expect(await expiresAt(rider.userId)).toBeGreaterThan(Date.now() + SESSION_IDLE_MS - 5 * 60_000);
  });

  it('writes the slide at most once a minute, and not at all once the month caps it', async () => {
    const rider = await signIn(api.app, 'slide-once@example.com');
    const row = () => api.db.knex('sessions').where({ user_id: rider.userId }).first('expires_at', api.db.knex.raw('xmin::text AS version'));
    // Slid 30 seconds ago: using it now writes nothing (same row version).
    await api.db.knex('sessions').where({ user_id: rider.userId }).update({ expires_at: api.db.knex.raw('now() + make_interval(secs => ?) - interval \'30 seconds\'', [SESSION_IDLE_MS / 1000]) });
    const recent = await row();
    await me(rider).expect(200);
    expect(await row()).toEqual(recent);
    // At the month's cap already: nothing further to push, so nothing is written either.
    await api.db.knex('sessions').where({ user_id: rider.userId }).update({
      created_at: api.db.knex.raw('now() - make_interval(secs => ?) + interval \'1 hour\'', [SESSION_TTL_MS / 1000]),
      expires_at: api.db.knex.raw("now() + interval '1 hour'"),
    });
    const capped = await row();
    await me(rider).expect(200);
    expect(await row()).toEqual(capped);
  });

  it('refuses a session idle for longer than the limit', async () => {
    const rider = await signIn(api.app, 'gone-idle@example.com');
    await api.db.knex('sessions').where({ user_id: rider.userId }).update({ expires_at: api.db.knex.raw("now() - interval '1 second'") });
    await me(rider).expect(401);
  });

  it('never slides a session past a month after sign-in', async () => {
    const rider = await signIn(api.app, 'old@example.com');
    await api.db.knex('sessions').where({ user_id: rider.userId }).update({
      created_at: api.db.knex.raw('now() - make_interval(secs => ?) + interval \'1 hour\'', [SESSION_TTL_MS / 1000]),
      expires_at: api.db.knex.raw("now() + interval '30 minutes'"),
    });
    await me(rider).expect(200);
    expect(await expiresAt(rider.userId)).toBeLessThan(Date.now() + 61 * 60_000);
  });
});
