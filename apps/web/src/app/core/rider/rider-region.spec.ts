import '@angular/compiler';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DOCUMENT, makeStateKey, REQUEST, TransferState } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { RiderRegion } from './rider-region';

/** The store as the server render builds it for a page request with these headers (Node has no DOM). */
function regionFor(headers: Record<string, string>): { region: RiderRegion; transfer: TransferState } {
  TestBed.configureTestingModule({
    providers: [
      // A page not rendered yet: no transferred state in it (TransferState looks it up by id).
      { provide: DOCUMENT, useValue: { getElementById: () => null } },
      { provide: REQUEST, useValue: new Request('http://localhost/', { headers }) },
    ],
  });
  return { region: TestBed.inject(RiderRegion), transfer: TestBed.inject(TransferState) };
}

describe('RiderRegion', () => {
  beforeAll(() => TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting()));
  afterEach(() => {
    TestBed.resetTestingModule();
  });

  it("takes the rider's chosen region from its cookie over the browser's languages", () => {
    const { region } = regionFor({ cookie: 'mpp_region=gb', 'accept-language': 'de-DE,de;q=0.9' });
    expect(region.regionCode()).toBe('GB');
    expect(region.currency()).toBe('GBP');
  });

  it('defaults from Accept-Language (country first, then language), else the US', () => {
    expect(regionFor({ 'accept-language': 'en-IE,en;q=0.8' }).region.regionCode()).toBe('IE');
    TestBed.resetTestingModule();
    expect(regionFor({ 'accept-language': 'fr;q=1' }).region.currency()).toBe('EUR');
    TestBed.resetTestingModule();
    expect(regionFor({ cookie: 'mpp_region=ZZ', 'accept-language': 'xx' }).region.regionCode()).toBe('US');
  });

  it('hands its answer to hydration through TransferState', () => {
    const { transfer } = regionFor({ 'accept-language': 'nl-NL' });
    expect(transfer.get(makeStateKey<string>('rider-region'), '')).toBe('NL');
  });

  it('ignores a region it does not offer', () => {
    const { region } = regionFor({ cookie: 'mpp_region=AU' });
    region.choose('XX');
    expect(region.regionCode()).toBe('AU');
    region.choose('ca');
    expect(region.regionCode()).toBe('CA');
  });
});
