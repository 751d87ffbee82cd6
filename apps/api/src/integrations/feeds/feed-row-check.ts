import { partIdFor, PRICE_CLOCK_SKEW_MS } from '@mpp/domain';
import type { FeedRow } from './retailer-feed.port.js';

export interface CheckedOffer {
  partId: string;
  priceCents: number;
  currency: string;
  inStock: boolean;
  url: string;
  /** ISO instant, when the row gave one. */
  observedAt?: string;
}

export type FeedRowVerdict = { ok: true; offer: CheckedOffer } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PRICE_CENTS = 100_000_000;

/**
 * Whether a feed row can become a price observation, whatever adapter read it. The URL must lie on
 * the retailer's own host: prices link out through /go, which refuses any other host, so an offer
 * pointing elsewhere would be a dead (or hostile) link. The reason names the field, never the value.
 */
export function checkFeedRow(row: FeedRow, retailerBaseUrl: string, now: Date): FeedRowVerdict {
  const r = row as unknown as Record<string, unknown>;
  let partId: string;
  if (typeof r.partId === 'string' && r.partId !== '') {
    if (!UUID.test(r.partId)) return { ok: false, reason: 'partId is not a UUID' };
    partId = r.partId.toLowerCase();
  } else if (typeof r.sku === 'string' && r.sku.trim() !== '') {
    partId = partIdFor(r.sku.trim());
  } else {
    return { ok: false, reason: 'neither sku nor partId' };
  }
  if (typeof r.priceCents !== 'number' || !Number.isInteger(r.priceCents) || r.priceCents < 1 || r.priceCents > MAX_PRICE_CENTS) {
    return { ok: false, reason: 'priceCents is not a whole number of cents between 1 and 100000000' };
  }
  if (typeof r.currency !== 'string' || !/^[A-Z]{3}$/.test(r.currency)) return { ok: false, reason: 'currency is not an ISO 4217 code' };
  if (typeof r.inStock !== 'boolean') return { ok: false, reason: 'inStock is not a boolean' };
  if (typeof r.url !== 'string' || r.url.length > 2048 || !onHost(r.url, retailerBaseUrl)) return { ok: false, reason: "url is not an http(s) URL on the retailer's host" };
  let observedAt: string | undefined;
  if (r.observedAt !== undefined) {
    const millis = typeof r.observedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(r.observedAt) ? Date.parse(r.observedAt) : Number.NaN;
    if (Number.isNaN(millis)) return { ok: false, reason: 'observedAt is not an ISO-8601 instant' };
    if (millis > now.getTime() + PRICE_CLOCK_SKEW_MS) return { ok: false, reason: 'observedAt is in the future' };
    observedAt = new Date(millis).toISOString();
  }
  return { ok: true, offer: { partId, priceCents: r.priceCents, currency: r.currency, inStock: r.inStock, url: r.url, ...(observedAt ? { observedAt } : {}) } };
}

function onHost(url: string, baseUrl: string): boolean {
  const target = URL.parse(url);
  const base = URL.parse(baseUrl);
  if (!target || !base || !/^https?:$/.test(target.protocol)) return false;
  const host = target.hostname.toLowerCase();
  const retailerHost = base.hostname.toLowerCase().replace(/^www\./, '');
  return host === retailerHost || host.endsWith(`.${retailerHost}`);
}
