import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { signIn } from '../testing/sign-in.js';

describe('sign-in and sessions', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  it('answers /api/me with 401 problem+json when not signed in', async () => {
    const res = await http().get('/api/me').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('signs in with the dev sign-in and sets an HTTP-only secure session cookie and a readable csrf cookie', async () => {
    const res = await http().post('/auth/dev-login').send({ email: 'Rider@Example.com', displayName: 'Rider' }).expect(200);
    const cookies = (res.headers['set-cookie'] as unknown as string[]).join('\n');
    expect(cookies).toMatch(/mpp_session=[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/mpp_session=[^;]+;.*Secure/);
    expect(cookies).toMatch(/mpp_session=[^;]+;.*SameSite=Lax/);
    expect(cookies).toMatch(/csrf=([^;]+);/);
    expect(cookies).not.toMatch(/csrf=[^;]+;[^\n]*HttpOnly/);
    expect(res.body).toMatchObject({ displayName: 'Rider', role: 'user', plan: 'free' });
    expect(typeof res.body.csrfToken).toBe('string');
  });

  it('knows the user from the session cookie', async () => {
    const rider = await signIn(api.app, 'me@example.com');
    const res = await http().get('/api/me').set('Cookie', rider.cookie).expect(200);
    expect(res.body).toMatchObject({ id: rider.userId, displayName: 'me', csrfToken: rider.csrfToken });
  });

  it('keeps one account per email, whatever its case', async () => {
    const first = await signIn(api.app, 'same@example.com');
    const second = await signIn(api.app, 'SAME@example.com');
    expect(second.userId).toBe(first.userId);
  });

  it('stores the email encrypted, never in clear', async () => {
    await signIn(api.app, 'secret.person@example.com');
    const rows = await api.db.knex('users').select('email_encrypted', 'email_hash');
    expect(JSON.stringify(rows)).not.toContain('secret.person');
  });

  it('rejects a mutation without the CSRF header with 403 and logs out with it', async () => {
    const rider = await signIn(api.app, 'logout@example.com');
    await http().post('/auth/logout').set('Cookie', rider.cookie).expect(403);
    await http().post('/auth/logout').set('Cookie', rider.cookie).set('X-CSRF-Token', 'wrong').expect(403);
    await http().post('/auth/logout').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).expect(204);
    await http().get('/api/me').set('Cookie', rider.cookie).expect(401);
  });

  it('names the invalid fields of a dev sign-in', async () => {
    const res = await http().post('/auth/dev-login').send({ email: 'not-an-email', displayName: '', role: 'root', extra: 1 }).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['displayName', 'email', 'extra', 'role']));
  });

  it('says which sign-in methods exist', async () => {
    const res = await http().get('/auth/providers').expect(200);
    expect(res.body).toEqual({ google: false, devLogin: true });
  });

  it('answers Google sign-in with 503 problem+json when Google is not configured', async () => {
    const res = await http().get('/auth/google').expect(503);
    expect(res.body.detail).toMatch(/GOOGLE_CLIENT_ID/);
  });
});

describe('sign-in when the dev sign-in is off', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ AUTH_DEV_LOGIN: '0' });
  });
  afterAll(() => api.close());

  it('says the dev sign-in is off', async () => {
    expect((await request(api.app.getHttpServer()).get('/auth/providers').expect(200)).body.devLogin).toBe(false);
  });

  it('has no dev sign-in route', async () => {
    await request(api.app.getHttpServer()).post('/auth/dev-login').send({ email: 'a@example.com', displayName: 'A' }).expect(404);
  });
});

describe('Google sign-in when configured', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApiUnderTest({ GOOGLE_CLIENT_ID: 'client-id.apps.example', GOOGLE_CLIENT_SECRET: 'client-secret' });
  });
  afterAll(() => api.close());

  it('redirects to Google with our callback URL', async () => {
    const res = await request(api.app.getHttpServer()).get('/auth/google').expect(302);
    const location = new URL(res.headers.location);
    expect(location.hostname).toBe('accounts.google.com');
    expect(location.searchParams.get('client_id')).toBe('client-id.apps.example');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:4000/auth/google/callback');
  });
});
