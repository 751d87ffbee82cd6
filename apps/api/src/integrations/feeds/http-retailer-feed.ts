import type { IntegrationCaller } from '../resilience/resilience.js';
import { parseCsvRecords } from './feed-csv.js';
import type { FeedRow, RetailerFeed } from './retailer-feed.port.js';

/** A feed bigger than this is refused rather than read into memory (a catalog of ~100k offers fits). */
export const MAX_FEED_BYTES = 20 * 1024 * 1024;

export class FeedHttpError extends Error {
  override readonly name = 'FeedHttpError';
  constructor(readonly status: number) {
    super(`feed answered HTTP ${status}`);
  }
}

/** The document is not a feed in the configured format: retrying will not fix it. */
export class FeedFormatError extends Error {
  override readonly name = 'FeedFormatError';
}

/** Network errors, timeouts, 429 and 5xx may pass on another attempt; a 4xx or a malformed document will not. */
export function isTransientFeedError(error: unknown): boolean {
  if (error instanceof FeedHttpError) return error.status === 429 || error.status >= 500;
  return !(error instanceof FeedFormatError);
}

/**
 * A retailer's feed over HTTP(S), JSON or CSV, with the columns/fields of FeedRow:
 * - JSON: an array of rows, or `{"offers": [...]}`;
 * - CSV: a header line `sku,priceCents,currency,inStock,url,observedAt` (partId may replace sku).
 * Values are converted, not judged: the price job checks every row, whatever adapter read it.
 * Every fetch goes through the resilience helper (timeout, retries, breaker per retailer).
 */
export class HttpRetailerFeed implements RetailerFeed {
  readonly adapter: string;
  readonly listsWholeRange = true;

  constructor(
    readonly retailerId: string,
    private readonly url: string,
    private readonly format: 'json' | 'csv',
    private readonly caller: IntegrationCaller,
  ) {
    this.adapter = `http-${format}`;
  }

  fetchOffers(): Promise<FeedRow[]> {
    return this.caller.call('fetch-offers', (signal) => this.fetchOnce(signal), {
      payload: { retailerId: this.retailerId, format: this.format },
      isTransient: isTransientFeedError,
    });
  }

  private async fetchOnce(signal: AbortSignal): Promise<FeedRow[]> {
    const response = await fetch(this.url, {
      signal,
      headers: { accept: this.format === 'json' ? 'application/json' : 'text/csv', 'user-agent': 'MotoPartPicker price feed' },
      redirect: 'follow',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedHttpError(response.status);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_FEED_BYTES) {
      await response.body?.cancel();
      throw new FeedFormatError(`feed is ${declared} bytes, more than ${MAX_FEED_BYTES}`);
    }
    const text = await response.text();
    if (text.length > MAX_FEED_BYTES) throw new FeedFormatError(`feed is more than ${MAX_FEED_BYTES} bytes`);
    return this.format === 'json' ? rowsFromJson(text) : rowsFromCsv(text);
  }
}

export function rowsFromJson(text: string): FeedRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FeedFormatError(`feed is not JSON: ${(error as Error).message}`);
  }
  const records = Array.isArray(document) ? document : (document as { offers?: unknown } | null)?.offers;
  if (!Array.isArray(records)) throw new FeedFormatError('a JSON feed is an array of offers or {"offers": [...]}');
  return records.map((record) => pickRow(typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {}));
}

export function rowsFromCsv(text: string): FeedRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsvRecords(text);
  } catch (error) {
    throw new FeedFormatError(`feed is not CSV: ${(error as Error).message}`);
  }
  return records.map((r) =>
    pickRow({
      ...r,
      priceCents: /^\s*\d+\s*$/.test(r.priceCents ?? '') ? Number(r.priceCents) : r.priceCents,
      inStock: booleanOf(r.inStock),
    }),
  );
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'in_stock', 'instock']);
const FALSE = new Set(['false', '0', 'no', 'n', 'out_of_stock', 'outofstock']);

function booleanOf(value: string | undefined): boolean | string | undefined {
  const v = value?.trim().toLowerCase();
  if (v === undefined) return undefined;
  return TRUE.has(v) ? true : FALSE.has(v) ? false : value;
}

/** Keeps the known fields only, as given; empty CSV cells count as absent. The price job checks the values. */
function pickRow(record: Record<string, unknown>): FeedRow {
  const present = (value: unknown) => (value === '' || value === null ? undefined : value);
  const row: Record<string, unknown> = {
    sku: present(record.sku),
    partId: present(record.partId),
    priceCents: present(record.priceCents),
    currency: present(record.currency),
    inStock: present(record.inStock),
    url: present(record.url),
    observedAt: present(record.observedAt),
  };
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  return row as unknown as FeedRow;
}
