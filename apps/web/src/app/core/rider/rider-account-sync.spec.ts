import '@angular/compiler';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import type { Me } from '../api/api-types';
import { SessionStore } from '../session/session.store';
import { Garage, GARAGE_COOKIE } from './garage';
import { RiderAccountSync } from './rider-account-sync';
import { REGION_COOKIE, RiderRegion } from './rider-region';

const MT07 = { id: 'b1', slug: '2021-yamaha-mt-07', year: 2021, make: 'Yamaha', model: 'MT-07', trim: null, engineCc: 689 };
const RIDER: Me = { id: 'u1', displayName: 'Sam', role: 'user', plan: 'free', emailPreferences: { weeklyDigest: false }, region: null, garageBike: null, csrfToken: 'tok' };

/** `document.cookie` of a browser tab: reading lists the cookies, assigning sets one. */
function cookieJar(initial: Record<string, string>) {
  const jar = new Map(Object.entries(initial));
  return {
    jar,
    getElementById: () => null,
    get cookie(): string {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    set cookie(line: string) {
      const [pair] = line.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')).trim(), decodeURIComponent(pair.slice(pair.indexOf('=') + 1)));
    },
  };
}

/** A browser page load with these cookies, the API behind Angular's HTTP testing backend. */
function pageWith(cookies: Record<string, string>) {
  const document = cookieJar(cookies);
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), { provide: DOCUMENT, useValue: document }, { provide: PLATFORM_ID, useValue: 'browser' }],
  });
  const sync = TestBed.inject(RiderAccountSync);
  sync.start();
  return { document, sync, session: TestBed.inject(SessionStore), region: TestBed.inject(RiderRegion), garage: TestBed.inject(Garage), http: TestBed.inject(HttpTestingController) };
}

describe('RiderAccountSync', () => {
  beforeAll(() => TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting()));
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    TestBed.resetTestingModule();
  });

  it('lets the account win on sign-in and rewrites this device’s cookies from it, sending nothing back', () => {
    const page = pageWith({ [REGION_COOKIE]: 'DE' });
    page.session.signedIn({ ...RIDER, region: 'GB', garageBike: MT07 });
    TestBed.tick();
    expect(page.region.regionCode()).toBe('GB');
    expect(page.garage.bike()).toMatchObject({ id: 'b1', slug: '2021-yamaha-mt-07' });
    expect(page.document.jar.get(REGION_COOKIE)).toBe('GB');
    expect(JSON.parse(page.document.jar.get(GARAGE_COOKIE)!)).toMatchObject({ id: 'b1' });
    page.http.expectNone('/api/me/rider-preferences');
  });

  it('fills what the account lacks from this device: a chosen region and the garage bike', () => {
    const page = pageWith({ [REGION_COOKIE]: 'GB', [GARAGE_COOKIE]: encodeURIComponent(JSON.stringify(MT07)) });
    page.session.signedIn(RIDER);
    TestBed.tick();
    const put = page.http.expectOne({ method: 'PUT', url: '/api/me/rider-preferences' });
    expect(put.request.body).toEqual({ region: 'GB', garageBikeId: 'b1' });
    put.flush({ region: 'GB', garageBike: MT07, position: 7 });
  });

  it('does not send a region this device only guessed from its languages', () => {
    const page = pageWith({});
    page.session.signedIn(RIDER);
    TestBed.tick();
    page.http.expectNone('/api/me/rider-preferences');
  });

  it('saves later choices on the account while signed in, and only in the cookie when signed out', () => {
    const page = pageWith({});
    page.sync.chooseRegion('GB');
    page.http.expectNone('/api/me/rider-preferences');
    expect(page.document.jar.get(REGION_COOKIE)).toBe('GB');

    page.session.signedIn({ ...RIDER, region: 'GB' });
    TestBed.tick();
    page.sync.chooseBike(MT07);
    const put = page.http.expectOne({ method: 'PUT', url: '/api/me/rider-preferences' });
    expect(put.request.body).toEqual({ garageBikeId: 'b1' });
    put.flush({ region: 'GB', garageBike: MT07, position: 8 });
    // The same bike again is no change.
    page.sync.chooseBike(MT07);
    page.http.expectNone('/api/me/rider-preferences');
  });
});
