import { describe, expect, it } from '@jest/globals';
import { partIdFor } from '@mpp/domain';
import { checkFeedRow } from './feed-row-check.js';
import type { FeedRow } from './retailer-feed.port.js';

const NOW = new Date('2026-03-10T10:20:00Z');
const BASE = 'https://www.louis.de';
const row = (over: Partial<Record<keyof FeedRow, unknown>> = {}) =>
  ({ sku: 'FA252HH', priceCents: 4499, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/fa252hh', ...over }) as FeedRow;

describe('checkFeedRow', () => {
  it('turns a sku into the catalog part id and keeps the offer', () => {
    expect(checkFeedRow(row(), BASE, NOW)).toEqual({ ok: true, offer: { partId: partIdFor('FA252HH'), priceCents: 4499, currency: 'EUR', inStock: true, url: 'https://www.louis.de/p/fa252hh' } });
  });

  it('accepts URLs on the retailer host and its subdomains only', () => {
    expect(checkFeedRow(row({ url: 'https://shop.louis.de/x' }), BASE, NOW).ok).toBe(true);
    expect(checkFeedRow(row({ url: 'https://louis.de.evil.example/x' }), BASE, NOW)).toEqual({ ok: false, reason: "url is not an http(s) URL on the retailer's host" });
    expect(checkFeedRow(row({ url: 'javascript:alert(1)' }), BASE, NOW).ok).toBe(false);
  });

  it('refuses rows without a part, with a bad price, currency or stock flag, or from the future', () => {
    expect(checkFeedRow(row({ sku: undefined }), BASE, NOW)).toMatchObject({ ok: false, reason: 'neither sku nor partId' });
    expect(checkFeedRow(row({ partId: 'not-a-uuid' }), BASE, NOW)).toMatchObject({ ok: false, reason: 'partId is not a UUID' });
    expect(checkFeedRow(row({ priceCents: 44.99 }), BASE, NOW).ok).toBe(false);
    expect(checkFeedRow(row({ priceCents: '4499' }), BASE, NOW).ok).toBe(false);
    expect(checkFeedRow(row({ currency: 'eur' }), BASE, NOW).ok).toBe(false);
    expect(checkFeedRow(row({ inStock: 'maybe' }), BASE, NOW).ok).toBe(false);
    expect(checkFeedRow(row({ observedAt: '2026-03-10T11:00:00Z' }), BASE, NOW)).toMatchObject({ ok: false, reason: 'observedAt is in the future' });
  });

  it('normalises a given observation time to UTC', () => {
    const verdict = checkFeedRow(row({ observedAt: '2026-03-10T11:05:00+02:00' }), BASE, NOW);
    expect(verdict).toMatchObject({ ok: true, offer: { observedAt: '2026-03-10T09:05:00.000Z' } });
  });
});
