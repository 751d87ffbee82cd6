import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { IntegrationCallFailed } from '../resilience/integration-call-failed.js';
import { IntegrationErrors } from '../resilience/integration-errors.js';
import { Resilience } from '../resilience/resilience.js';
import { FixtureRetailerFeed } from './fixture-retailer-feed.js';
import { HttpRetailerFeed } from './http-retailer-feed.js';
import type { FeedRow } from './retailer-feed.port.js';
import { retailerFeedContract } from './retailer-feed.contract.js';
import { startFeedServer, type FeedAnswer, type FeedServer } from './testing/feed-server.js';

const CSV_COLUMNS = ['sku', 'partId', 'priceCents', 'currency', 'inStock', 'url', 'observedAt'] as const;

function asCsv(offers: readonly FeedRow[]): string {
  const cell = (value: unknown) => (value === undefined ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));
  return [CSV_COLUMNS.join(','), ...offers.map((o) => CSV_COLUMNS.map((c) => cell(o[c])).join(','))].join('\n');
}

let db: TestDatabase;
let server: FeedServer;
let resilience: Resilience;

beforeAll(async () => {
  Logger.overrideLogger(false);
  db = await createTestDatabase();
  server = await startFeedServer(() => ({ status: 404, body: '' }));
  resilience = new Resilience(new IntegrationErrors(db.knex), { initialDelayMs: 1, maxDelayMs: 5, retries: 2 });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const serving = (answer: () => FeedAnswer) => server.answer(answer);

retailerFeedContract('fixture', () => ({ feedListing: async (retailerId, offers) => new FixtureRetailerFeed(retailerId, offers) }));

retailerFeedContract('http-json', () => ({
  feedListing: async (retailerId, offers) => {
    serving(() => ({ status: 200, contentType: 'application/json', body: JSON.stringify(offers) }));
    return new HttpRetailerFeed(retailerId, server.url, 'json', resilience.for('contract-json'));
  },
}));

retailerFeedContract('http-csv', () => ({
  feedListing: async (retailerId, offers) => {
    serving(() => ({ status: 200, contentType: 'text/csv', body: asCsv(offers) }));
    return new HttpRetailerFeed(retailerId, server.url, 'csv', resilience.for('contract-csv'));
  },
}));

describe('HttpRetailerFeed failures', () => {
  const retailerId = '0b5d6a7e-1f2a-5b3c-8d4e-5f6a7b8c9d0e';

  it('retries a 5xx, then fails for good and records it', async () => {
    serving(() => ({ status: 502, body: 'bad gateway' }));
    const before = server.hits;
    const feed = new HttpRetailerFeed(retailerId, server.url, 'json', resilience.for('failing-5xx'));
    const failure = await feed.fetchOffers().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(IntegrationCallFailed);
    expect((failure as IntegrationCallFailed).transient).toBe(true);
    expect(server.hits - before).toBe(3);
    expect(await db.knex('integration_errors').where({ integration: 'failing-5xx' })).toHaveLength(1);
  });

  it('does not retry a 4xx or a document in the wrong format', async () => {
    for (const [name, answer] of [
      ['failing-4xx', { status: 403, body: 'forbidden' }],
      ['failing-format', { status: 200, body: '{"items": []}' }],
    ] as const) {
      serving(() => answer);
      const before = server.hits;
      const feed = new HttpRetailerFeed(retailerId, server.url, 'json', resilience.for(name));
      const failure = await feed.fetchOffers().then(() => undefined, (error: unknown) => error);
      expect((failure as IntegrationCallFailed).transient).toBe(false);
      expect(server.hits - before).toBe(1);
    }
  });

  it('reads CSV stock flags in the usual spellings', async () => {
    serving(() => ({ status: 200, body: 'sku,priceCents,currency,inStock,url\nA,1,EUR,yes,u\nB,1,EUR,0,u\nC,1,EUR,perhaps,u\n' }));
    const rows = await new HttpRetailerFeed(retailerId, server.url, 'csv', resilience.for('csv-flags')).fetchOffers();
    expect(rows.map((r) => r.inStock)).toEqual([true, false, 'perhaps']);
  });
});
