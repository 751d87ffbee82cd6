import '@angular/compiler';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { Garage, GARAGE_COOKIE } from './garage';

const MT07 = { id: 'b1', slug: '2021-yamaha-mt-07', year: 2021, make: 'Yamaha', model: 'MT-07', trim: null };

/** Stands in for the browser's `document.cookie`: reading lists every cookie; assigning sets one, or removes it with Max-Age=0. */
function cookieJar(initial: Record<string, string> = {}) {
  const jar = new Map(Object.entries(initial));
  return {
    get cookie(): string {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    set cookie(line: string) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      if (attributes.some((attribute) => attribute.trim().toLowerCase() === 'max-age=0')) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1));
    },
  };
}

/** A page load in the browser with these cookies: a fresh Garage over the same jar. */
function garageOver(document: ReturnType<typeof cookieJar>): Garage {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({ providers: [{ provide: DOCUMENT, useValue: document }] });
  return TestBed.inject(Garage);
}

describe('Garage', () => {
  beforeAll(() => TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting()));
  afterEach(() => {
    TestBed.resetTestingModule();
  });

  it('starts on the bike its cookie remembers', () => {
    const garage = garageOver(cookieJar({ [GARAGE_COOKIE]: encodeURIComponent(JSON.stringify(MT07)) }));
    expect(garage.bike()).toEqual(MT07);
    expect(garage.hasBike()).toBe(true);
  });

  it('treats a cookie of any other shape as no bike', () => {
    for (const value of ['not json', JSON.stringify({ id: 'b1', slug: 's' }), JSON.stringify({ ...MT07, year: '2021' }), '']) {
      const garage = garageOver(cookieJar({ [GARAGE_COOKIE]: encodeURIComponent(value) }));
      expect({ value, bike: garage.bike() }).toEqual({ value, bike: null });
    }
  });

  it('remembers a chosen bike across page loads, keeping only what it needs', () => {
    const jar = cookieJar();
    garageOver(jar).choose({ ...MT07, trim: 'SP', engineCc: 689 });
    expect(garageOver(jar).bike()).toEqual({ ...MT07, trim: 'SP' });
  });

  it('forgets the bike, in the cookie too', () => {
    const jar = cookieJar({ [GARAGE_COOKIE]: encodeURIComponent(JSON.stringify(MT07)), other: 'kept' });
    const garage = garageOver(jar);
    garage.forget();
    expect(garage.hasBike()).toBe(false);
    expect(jar.cookie).toBe('other=kept');
    expect(garageOver(jar).bike()).toBeNull();
  });
});
