import '@angular/compiler';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT, REQUEST } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import type { Me } from '../api/api-types';
import { SessionStore } from './session.store';

const RIDER: Me = { id: 'u1', displayName: 'Sam', role: 'user', plan: 'free', emailPreferences: { weeklyDigest: false }, region: null, garageBike: null, csrfToken: 'tok' };

/** The store as the server render uses it: the page request's cookies, the API behind Angular's HTTP testing backend. */
function storeFor(cookie: string | null): { store: SessionStore; http: HttpTestingController } {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      // Node has no DOM; the store reads only the page request's cookies here.
      { provide: DOCUMENT, useValue: {} },
      { provide: REQUEST, useValue: new Request('http://localhost/account', { headers: cookie ? { cookie } : {} }) },
    ],
  });
  return { store: TestBed.inject(SessionStore), http: TestBed.inject(HttpTestingController) };
}

describe('SessionStore', () => {
  beforeAll(() => TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting()));
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    TestBed.resetTestingModule();
  });

  it('knows a visitor without the csrf cookie is signed out, without asking the API', async () => {
    const { store } = storeFor('mpp_bike=x');
    expect(store.isKnown()).toBe(false);
    expect(await store.load()).toBeNull();
    expect(store.isKnown()).toBe(true);
    expect(store.me()).toBeNull();
  });

  it('asks /api/me once for a rider with the csrf cookie, and keeps the answer and its token', async () => {
    const { store, http } = storeFor('csrf=tok; mpp_session=s');
    const first = store.load();
    const second = store.load();
    http.expectOne('/api/me').flush(RIDER);
    expect(await first).toEqual(RIDER);
    expect(await second).toEqual(RIDER);
    expect(store.me()).toEqual(RIDER);
    expect(store.csrfToken()).toBe('tok');
  });

  it('reads an expired session (401) as signed out', async () => {
    const { store, http } = storeFor('csrf=old');
    const loading = store.load();
    http.expectOne('/api/me').flush({ status: 401 }, { status: 401, statusText: 'Unauthorized' });
    expect(await loading).toBeNull();
    expect(store.me()).toBeNull();
    expect(store.isKnown()).toBe(true);
  });

  it('follows sign-in and sign-out without a request', async () => {
    const { store } = storeFor(null);
    store.signedIn(RIDER);
    expect(await store.load()).toEqual(RIDER);
    expect(store.csrfToken()).toBe('tok');
    store.signedOut();
    expect(await store.load()).toBeNull();
    expect(store.me()).toBeNull();
  });
});
