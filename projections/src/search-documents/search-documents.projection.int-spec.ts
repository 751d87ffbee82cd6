import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { replayIntoSchema } from '@mpp/projection-runner';
import { createPostgresCatalogSearch, documentFromRow } from '@mpp/search';
import type { CatalogSearch } from '@mpp/search';
import { searchDocumentsProjection } from './search-documents.projection.js';
import {
  bikeRegistered,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  unique,
  verificationModerated,
  verificationRetracted,
  verificationSubmitted,
  type Pair,
} from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('search-documents projection', () => {
  let harness: ProjectionHarness;
  let search: CatalogSearch;

  beforeAll(async () => {
    harness = await startProjectionHarness([searchDocumentsProjection]);
    search = createPostgresCatalogSearch({ knex: harness.knex });
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const documentOf = (partId: string) => harness.knex('search_documents').where({ part_id: partId }).first();

  it('makes a document of a cataloged part, with the bikes it fits, labelled, and their status', async () => {
    const bike = bikeRegistered({ year: 2021, make: 'Yamaha', model: `MT-07 ${unique()}` });
    const part = partCataloged({ brand: 'Akrapovič', name: `Slip-On ${unique()}`, category: 'exhaust', description: 'Titanium silencer' });
    const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    const position = await harness.given(bike, part, fitmentPublished(pair));

    const row = await documentOf(part.data.partId);
    expect(row).toMatchObject({
      sku: part.data.sku,
      brand: 'Akrapovič',
      category: 'exhaust',
      bikes: [{ bikeId: bike.data.bikeId, label: `2021 Yamaha ${bike.data.model}`, status: 'verified', confirmations: 0, refutations: 0 }],
      bike_ids: [bike.data.bikeId],
      fits: [`${bike.data.bikeId}:verified`],
      best_price_cents: null,
      updated_position: Number(position),
    });
    expect(row.slug).toMatch(/^akrapovic-slip-on-/);

    const found = await search.search({ q: 'akrapovik', bikeId: bike.data.bikeId });
    expect(found.hits).toEqual([expect.objectContaining({ id: part.data.partId, status: 'verified' })]);
  });

  it('follows the evidence: verifications, supersession, moderation, retraction and withdrawal', async () => {
    const bike = bikeRegistered();
    const part = partCataloged({ category: 'frame-sliders' });
    const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    const first = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const second = verificationSubmitted(pair, { userId: 'rider-2', fits: true });
    await harness.given(bike, part, first, second);
    const statusOf = async () => (await search.search({ bikeId: bike.data.bikeId })).hits[0];
    expect(await statusOf()).toMatchObject({ status: 'community', confirmations: 2, refutations: 0 });

    const refutation = verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: first.data.verificationId });
    await harness.given(refutation, verificationModerated(pair, second.data.verificationId, 'hidden'));
    expect(await statusOf()).toMatchObject({ status: 'disputed', confirmations: 0, refutations: 1 });

    await harness.given(fitmentPublished(pair), verificationRetracted(pair, refutation.data.verificationId, 'rider-1'));
    expect(await statusOf()).toMatchObject({ status: 'verified', confirmations: 0, refutations: 0 });

    await harness.given(fitmentWithdrawn(pair));
    expect(await statusOf()).toMatchObject({ status: 'no_data' });
    expect((await documentOf(part.data.partId)).statuses).toEqual(['no_data']);
  });

  it('moves a verification that keeps the status in the counts only, and one that changes it into the search columns too', async () => {
    const bike = bikeRegistered();
    const part = partCataloged({ category: 'levers' });
    const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    const verify = (userId: string, fits: boolean) => harness.given(verificationSubmitted(pair, { userId, fits }));
    const expectStatus = async (status: string, confirmations: number, refutations: number) => {
      const row = await documentOf(part.data.partId);
      expect(row).toMatchObject({
        bikes: [{ bikeId: bike.data.bikeId, status, confirmations, refutations }],
        searched_bikes: [{ bikeId: bike.data.bikeId, label: row.bikes[0].label, status }],
        fits: [`${bike.data.bikeId}:${status}`],
        statuses: [status],
        confirmations,
        refutations,
      });
      // Without the counts: the search columns are generated from this column, and a count alone must not change it.
      expect(Object.keys(row.searched_bikes[0]).sort()).toEqual(['bikeId', 'label', 'status']);
      expect((await search.search({ bikeId: bike.data.bikeId, status: status as 'community' })).hits).toEqual([expect.objectContaining({ id: part.data.partId, status })]);
    };
    await harness.given(bike, part);

    await verify('rider-1', true); // a new pair
    await expectStatus('community', 1, 0);
    await verify('rider-2', true); // counts only
    await expectStatus('community', 2, 0);
    await verify('rider-3', false); // counts only
    await expectStatus('community', 2, 1);
    await verify('rider-4', false); // the status changes
    await expectStatus('disputed', 2, 2);
  });

  it("stores the row the fixture writer stores for the same document: both derive the searched bikes with one function", async () => {
    const [yamaha, aprilia] = [bikeRegistered({ make: 'Yamaha', model: `MT-09 ${unique()}` }), bikeRegistered({ make: 'Aprilia', model: `Tuono ${unique()}` })];
    const part = partCataloged({ category: 'chain-sprocket-kits' });
    const [published, verified] = [yamaha, aprilia].map((bike) => ({ partId: part.data.partId, bikeId: bike.data.bikeId }));
    await harness.given(yamaha, aprilia, part, fitmentPublished(published!), verificationSubmitted(verified!, { userId: 'rider-1', fits: true }));
    const projected = await documentOf(part.data.partId);
    type Bike = { bikeId: string; label: string; status: string };
    expect(projected.searched_bikes).toEqual([
      { bikeId: aprilia.data.bikeId, label: `2021 Aprilia ${aprilia.data.model}`, status: 'community' },
      { bikeId: yamaha.data.bikeId, label: `2021 Yamaha ${yamaha.data.model}`, status: 'verified' },
    ]);
    expect(projected.searched_bikes).toEqual(projected.bikes.map(({ bikeId, label, status }: Bike) => ({ bikeId, label, status })));

    // What the contract suite and the benchmark load goes through upsertSearchDocuments: the same row, search columns included.
    await search.upsert([documentFromRow(projected)]);
    expect(await documentOf(part.data.partId)).toEqual(projected);
  });

  it('keeps the best current price: newest observation per retailer, in stock first', async () => {
    const part = partCataloged();
    const [cheapSoldOut, inStock] = [randomUUID(), randomUUID()];
    await harness.given(
      part,
      priceObserved(part.data.partId, cheapSoldOut, { priceCents: 80_00, observedAt: '2025-03-01T10:00:00.000Z', inStock: false }),
      priceObserved(part.data.partId, inStock, { priceCents: 100_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      // A back-fill of an older, lower price changes nothing.
      priceObserved(part.data.partId, inStock, { priceCents: 50_00, observedAt: '2025-02-01T10:00:00.000Z' }),
    );
    expect(await documentOf(part.data.partId)).toMatchObject({ best_price_cents: 100_00, currency: 'EUR', in_stock: true });

    await harness.given(priceObserved(part.data.partId, inStock, { priceCents: 95_00, observedAt: '2025-03-01T11:00:00.000Z', inStock: false }));
    expect(await documentOf(part.data.partId)).toMatchObject({ best_price_cents: 80_00, in_stock: false });
  });

  it('makes a revised part findable by its new name, keeps its slug, and moves its position', async () => {
    const part = partCataloged({ brand: 'Puig', name: `Touring Screen ${unique()}`, category: 'windscreens' });
    await harness.given(part);
    const before = await documentOf(part.data.partId);
    const word = `Smokey${unique().replace(/[0-9]/g, 'x')}`;
    const position = await harness.given(partDetailsRevised(part.data.partId, { name: `Racing Screen ${word}` }));

    const after = await documentOf(part.data.partId);
    expect(after).toMatchObject({ slug: before.slug, name: `Racing Screen ${word}`, updated_position: Number(position) });
    expect((await search.search({ q: word })).hits.map((hit) => hit.id)).toEqual([part.data.partId]);
  });

  it('keeps the facet counts equal to counting the documents, as categories and statuses change', async () => {
    const bike = bikeRegistered({ year: 2020, make: 'Honda', model: `CB650R ${unique()}` });
    const moved = partCataloged({ brand: `Brand ${unique()}`, category: 'levers' });
    const pair = { partId: moved.data.partId, bikeId: bike.data.bikeId };
    const confirmation = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    await harness.given(bike, moved, fitmentPublished(pair), confirmation);
    await harness.given(
      partDetailsRevised(moved.data.partId, { category: 'mirrors' }),
      verificationSubmitted(pair, { userId: 'rider-2', fits: false }),
      verificationRetracted(pair, confirmation.data.verificationId, 'rider-1'),
    );

    const counted = await harness.knex.raw<{ rows: unknown[] }>(
      `SELECT category, brand, status_mask, count(*)::int AS parts FROM search_documents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const kept = await harness.knex('search_facet_counts').orderBy(['category', 'brand', 'status_mask']);
    expect(kept).toEqual(counted.rows);
    expect(kept.filter((row: { brand: string }) => row.brand === moved.data.brand)).toEqual([
      { category: 'mirrors', brand: moved.data.brand, status_mask: expect.any(Number), parts: 1 },
    ]);
  });

  it('labels the bikes of evidence recorded before the bike was registered', async () => {
    const bike = bikeRegistered({ make: 'Kawasaki', model: `Ninja 400 ${unique()}` });
    const part = partCataloged();
    const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    await harness.given(part, fitmentPublished(pair), bike);
    expect((await documentOf(part.data.partId)).bikes[0].label).toBe(`2021 Kawasaki ${bike.data.model}`);
  });
});

describe('search-documents projection, whole batches at once', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    // No live projection: the test builds its own, with the batch sizes it names.
    harness = await startProjectionHarness([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  let builds = 0;
  /** Builds the projection from the whole log, in a schema of its own. */
  async function buildInBatchesOf(batchSize: number) {
    builds += 1;
    const schema = `search_documents_build_${builds}_in_batches_of_${batchSize}`;
    const signal = new AbortController().signal;
    const { generation, outcome } = await replayIntoSchema({ knex: harness.knex, store: harness.store, projection: searchDocumentsProjection, schema, batchSize, signal });
    expect(outcome).toBe('caught_up');
    const rows = (table: string, ...order: string[]) => harness.knex.withSchema(schema).table(table).orderBy(order);
    return {
      documents: await rows('search_documents', 'part_id'),
      vocabulary: await harness.knex.withSchema(schema).table('search_vocabulary').orderBy('word').pluck('word'),
      facetCounts: await rows('search_facet_counts', 'category', 'brand', 'status_mask'),
      bikes: await rows('search_bikes', 'bike_id'),
      fitment: await rows('search_fitment', 'part_id', 'bike_id'),
      verifications: await rows('search_verifications', 'verification_id'),
      prices: await rows('search_prices', 'part_id', 'retailer_id'),
      parked: await harness.knex('projection_dead_letters').where({ projection: searchDocumentsProjection.name, generation }).pluck('event_type'),
    };
  }

  it('leaves the rows that applying its events one at a time leaves', async () => {
    const word = () => `Word${unique().replace(/[0-9]/g, 'x')}`;
    const [first, intermediate, last] = [word(), word(), word()];
    const bike = bikeRegistered({ make: 'Honda', model: `Africa Twin ${word()}` });
    const lateBike = bikeRegistered({ make: 'Kawasaki', model: `Versys ${word()}` });
    const part = partCataloged({ brand: 'Puig', name: `Touring Screen ${first}`, category: 'windscreens' });
    const twin = partCataloged({ brand: 'Puig', name: `Touring Screen ${first}`, category: 'windscreens' });
    const pair: Pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
    const latePair: Pair = { partId: twin.data.partId, bikeId: lateBike.data.bikeId };
    const retailer = randomUUID();
    const confirmation = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
    const refutation = verificationSubmitted(pair, { userId: 'rider-2', fits: false });

    await harness.given(
      bike,
      part,
      twin,
      fitmentPublished(pair),
      partDetailsRevised(part.data.partId, { name: `Racing Screen ${intermediate}` }),
      partDetailsRevised(part.data.partId, { name: `Sport Screen ${last}`, description: 'Tinted' }),
      confirmation,
      refutation,
      verificationSubmitted(pair, { userId: 'rider-1', fits: false, supersedes: confirmation.data.verificationId }),
      verificationModerated(pair, refutation.data.verificationId, 'hidden'),
      fitmentPublished(latePair),
      priceObserved(part.data.partId, retailer, { priceCents: 90_00, observedAt: '2025-03-01T10:00:00.000Z' }),
      partCataloged({ sku: part.data.sku, name: 'A second cataloging changes no field' }),
    );
    const lastTouchOfTwin = await harness.given(lateBike);
    const lastTouchOfPart = await harness.given(priceObserved(part.data.partId, retailer, { priceCents: 80_00, observedAt: '2025-03-01T11:00:00.000Z' }));
    await harness.given(
      // Neither a back-fill nor a revision of attributes only rewrites a document.
      priceObserved(part.data.partId, retailer, { priceCents: 70_00, observedAt: '2025-03-01T09:00:00.000Z' }),
      partDetailsRevised(twin.data.partId, { attributes: { tint: 'smoke' } }),
    );

    const oneAtATime = await buildInBatchesOf(1);
    expect(await buildInBatchesOf(4)).toEqual(oneAtATime);
    const together = await buildInBatchesOf(1_000);
    expect(together).toEqual(oneAtATime);

    expect(together.parked).toEqual([]);
    const [document, twinDocument] = [part, twin].map((p) => together.documents.find((row) => row.part_id === p.data.partId));
    expect(document).toMatchObject({ name: `Sport Screen ${last}`, description: 'Tinted', best_price_cents: 80_00, updated_position: Number(lastTouchOfPart) });
    expect(document.slug).toMatch(/^puig-touring-screen-word/);
    expect(twinDocument.slug).toBe(`${document.slug}-${twin.data.sku.toLowerCase()}`);
    expect(twinDocument).toMatchObject({ updated_position: Number(lastTouchOfTwin), bikes: [expect.objectContaining({ label: `2021 Kawasaki ${lateBike.data.model}` })] });
    // Every name the part had is a word to correct a query towards, as when applied one event at a time.
    expect(together.vocabulary).toEqual(expect.arrayContaining([first, intermediate, last].map((w) => w.toLowerCase())));
  });

  it('parks a revision of a part never cataloged, and applies the rest of its batch', async () => {
    const part = partCataloged();
    const position = await harness.given(partDetailsRevised(randomUUID(), { name: 'Nobody' }), part);

    const oneAtATime = await buildInBatchesOf(1);
    const together = await buildInBatchesOf(1_000);
    expect(together).toEqual(oneAtATime);
    expect(together.parked).toEqual(['PartDetailsRevised']);
    expect(together.documents.find((row) => row.part_id === part.data.partId)).toMatchObject({ updated_position: Number(position) });
  });
});
