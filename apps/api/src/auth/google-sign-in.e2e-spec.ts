import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from 'passport-google-oauth20';
import request from 'supertest';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { signIn } from '../testing/sign-in.js';
import { GoogleStrategy } from './google.strategy.js';
import { OAUTH_STATE_COOKIE } from './oauth-state-cookie.js';

const profile = (id: string, email: string, verified: boolean) => ({ id, displayName: 'G Rider', emails: [{ value: email, verified }] }) as unknown as Profile;

/** Google sign-in sends state and PKCE, and trusts only a verified address, never merging by it. Google itself is not called. */
describe('Google sign-in', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest({ GOOGLE_CLIENT_ID: 'client-id.apps.googleusercontent.com', GOOGLE_CLIENT_SECRET: 'not-a-real-secret' });
  });
  afterAll(() => api.close());

  it('redirects to Google with state and an S256 code challenge, keeping both in a signed HTTP-only cookie', async () => {
    const res = await http().get('/auth/google').expect(302);
    const location = new URL(res.headers.location!);
    expect(location.hostname).toBe('accounts.google.com');
    expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${OAUTH_STATE_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/auth\/google/);
  });

  it('refuses a callback without the cookie, or with another state, before asking Google for a token', async () => {
    await http().get('/auth/google/callback?code=abc&state=forged').expect(401);
    const started = await http().get('/auth/google').expect(302);
    const cookie = (started.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!);
    await http().get('/auth/google/callback?code=abc&state=someone-elses').set('Cookie', cookie).expect(401);
  });

  it('refuses an account whose email Google has not verified', async () => {
    const strategy = api.app.get(GoogleStrategy);
    await expect(strategy.validate('', '', profile('g-unverified', 'unverified@example.com', false))).rejects.toThrow(/not verified/);
  });

  it('finds the account by Google subject, and never takes over an account by its email', async () => {
    const strategy = api.app.get(GoogleStrategy);
    const first = await strategy.validate('', '', profile('g-1', 'g-rider@example.com', true));
    expect((await strategy.validate('', '', profile('g-1', 'g-rider@example.com', true))).id).toBe(first.id);
    await expect(strategy.validate('', '', profile('g-2', 'g-rider@example.com', true))).rejects.toThrow(/already exists/);
    await signIn(api.app, 'existing@example.com');
    await expect(strategy.validate('', '', profile('g-3', 'existing@example.com', true))).rejects.toThrow(/already exists/);
  });
});
