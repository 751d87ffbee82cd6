import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bikeIdFor, partIdFor } from '@mpp/domain';
import { searchDocumentsProjection } from './search-documents.projection.js';
import { applyBothForms, describeBulkForm } from '../testing/both-forms.js';
import {
  bikeRegistered,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  recordedEvents,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type GivenEvent,
  type Pair,
} from '../testing/given-events.js';

/**
 * The search-documents bulk form (private state kept per page, each document's bikes, counts,
 * prices and position derived once at the end, readers' indexes and facet counts rebuilt) against
 * the live form one event at a time, on random histories from small pools: parts whose slugs
 * collide, revisions before and after cataloging (rejected before), bikes registered before, after
 * or never (their labels join late), pairs published and withdrawn, verifications re-using ids,
 * and prices in two currencies with back-fills.
 */
const SKUS = ['AK-1', 'AK-2', 'CH-9'];
const PART_IDS = SKUS.map(partIdFor);
const MODELS = ['MT-07', 'Tracer 9', 'Tenere 700'];
const BIKE_IDS = MODELS.map((model) => bikeIdFor(2021, 'Yamaha', model, undefined));
const RETAILERS = ['5d1f8a4e-6b3c-4f2a-9e8d-7c6b5a4f3e2d', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'];
const VERIFICATION_IDS = ['1aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '2aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '3aaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'];

const part = fc.nat(SKUS.length - 1);
const pair = fc.record({ p: part, b: fc.nat(MODELS.length - 1) }).map(({ p, b }): Pair => ({ partId: PART_IDS[p]!, bikeId: BIKE_IDS[b]! }));
const anyId = fc.constantFrom(...VERIFICATION_IDS);

const event: fc.Arbitrary<GivenEvent> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...MODELS).map((model): GivenEvent => bikeRegistered({ year: 2021, make: 'Yamaha', model })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ p: part, name: fc.constantFrom('Slip-On Line', 'Slip On Line'), description: fc.option(fc.constantFrom('Titanium', 'Steel'), { nil: undefined }) })
      .map(({ p, name, description }): GivenEvent => partCataloged({ sku: SKUS[p]!, brand: 'Akrapovic', name, ...(description ? { description } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ p: part, name: fc.option(fc.constantFrom('Chain Kit', 'Race Line'), { nil: undefined }), category: fc.option(fc.constantFrom('exhaust', 'chain-sprockets'), { nil: undefined }) })
      .map(({ p, name, category }): GivenEvent => partDetailsRevised(PART_IDS[p]!, { ...(name ? { name } : {}), ...(category ? { category } : {}) } as never)),
  },
  { weight: 2, arbitrary: fc.record({ pair, published: fc.boolean() }).map(({ pair, published }) => (published ? fitmentPublished(pair) : fitmentWithdrawn(pair))) },
  {
    weight: 3,
    arbitrary: fc
      .record({ pair, id: anyId, fits: fc.boolean(), supersedes: fc.option(anyId, { nil: undefined }) })
      .map(({ pair, id, fits, supersedes }) => verificationSubmitted(pair, { verificationId: id, userId: 'rider-1', fits, ...(supersedes ? { supersedes } : {}) })),
  },
  { weight: 1, arbitrary: fc.record({ pair, id: anyId }).map(({ pair, id }) => verificationRetracted(pair, id, 'rider-1')) },
  { weight: 1, arbitrary: fc.record({ pair, id: anyId, hidden: fc.boolean() }).map(({ pair, id, hidden }) => verificationModerated(pair, id, hidden ? 'hidden' : 'restored')) },
  {
    weight: 3,
    arbitrary: fc
      .record({ p: part, r: fc.nat(RETAILERS.length - 1), priceCents: fc.constantFrom(9_900, 12_000), inStock: fc.boolean(), currency: fc.constantFrom('EUR', 'GBP'), hour: fc.nat(6) })
      .map(({ p, r, hour, ...fields }) => priceObserved(PART_IDS[p]!, RETAILERS[r]!, { ...fields, observedAt: new Date(Date.UTC(2025, 2, 1, hour)).toISOString() })),
  },
);

describeBulkForm('leaves the same rows (documents, vocabulary, facet counts, private state) and rejects the same events as the live form', searchDocumentsProjection, fc.array(event, { minLength: 1, maxLength: 40 }).map((given) => recordedEvents(given)), { runs: 50, timeoutMs: 300_000, cases: (db) => {
  it('derives a document labelled by a bike registered after its pair, with its best price, in one page and across pages', async () => {
    const bike = BIKE_IDS[0]!;
    const given = [
      partCataloged({ sku: SKUS[0]!, brand: 'Akrapovic', name: 'Slip-On Line' }),
      fitmentPublished({ partId: PART_IDS[0]!, bikeId: bike }),
      priceObserved(PART_IDS[0]!, RETAILERS[0]!, { priceCents: 9_900, observedAt: '2025-03-01T12:00:00.000Z' }),
      bikeRegistered({ year: 2021, make: 'Yamaha', model: MODELS[0]! }),
    ];
    for (const cut of [[4], [1]]) {
      const { bulk, live } = await applyBothForms(db().knex, searchDocumentsProjection, recordedEvents(given), cut);
      expect(bulk).toEqual(live);
      const [document] = bulk.search_documents!.map((row) => JSON.parse(row) as { bikes: { label: string }[]; best_price_cents: number; updated_position: number });
      expect(document).toMatchObject({ bikes: [{ label: '2021 Yamaha MT-07' }], best_price_cents: 9_900, updated_position: 4 });
      expect(Object.keys(bulk)).not.toContain('search_bulk_touches');
    }
  });
} });
