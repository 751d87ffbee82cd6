import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, type ProjectionContext, type ProjectionHandler } from '@mpp/projection-runner';
import { applyCatalogPage, catalogProjection } from '../catalog/catalog.projection.js';
import { applyCompatibilityFacts, COMPATIBILITY_BULK_DEFERRED_INDEXES, compatibilityProjection } from '../compatibility/compatibility.projection.js';
import { compatibilityFactOf } from '../compatibility/compatibility-fold.js';
import { copyPartFieldsIntoRecords } from '../compatibility/compatibility-rows.js';
import { applyPriceObservations, finishPriceObservations, PRICES_READER_INDEXES, pricesProjection } from '../prices/prices.projection.js';
import { readerIndexHooks } from '../shared/reader-indexes.js';
import { dataOf } from '../shared/recorded-event.js';
import { createListingTables, LISTING_READER_INDEXES, PUBLIC_TABLES, VERSIONS } from './bike-listings.tables.js';
import { listingChangesOf } from './listing-changes.js';
import { copyRegisteredBikes, deriveAllListings, refreshListings } from './refresh-listings.js';
import { recordBulkTouches, writeBulkVersions } from './bulk-versions.js';

const CATALOG_HANDLERS: Readonly<Record<string, ProjectionHandler>> = catalogProjection.handlers;
const COMPATIBILITY_EVENTS = new Set(compatibilityProjection.eventTypes);
const PRICE_EVENTS = new Set(pricesProjection.eventTypes);
/**
 * The state's indexes by bike, by part and by part and day: the per-batch refresh reads by them, bulk batches leave that to the finish.
 * The listings' sort indexes: the finish writes every listing row, then sorts each index once.
 */
const READER_INDEXES = readerIndexHooks([...COMPATIBILITY_BULK_DEFERRED_INDEXES, ...PRICES_READER_INDEXES, ...LISTING_READER_INDEXES]);

/**
 * The read path's answers, shaped by the projector so a request only fetches them: per (bike, part)
 * listing rows with status, evidence, best offer and sort keys; unfiltered facet counts per bike;
 * the part page as one document; the bikes of the cascade; and per key (`bike:<id>`, `part:<id>`,
 * `catalog`) the position of the last event that changed its answer, written in the same
 * transaction as the rows, so a version is never advertised before its rows are readable.
 *
 * Its state is the catalog, compatibility and prices projections' own tables, written by their own
 * code (the pure folds included) into this projection's schema, so the listings never mix
 * positions of three projections that move independently, and a rebuild of this one rebuilds them
 * all together. From that state each batch re-derives only what it touched (refresh-listings.ts).
 * Catching up far behind (bulk mode), batches keep the state and what their events named, and
 * leave listings, facets, part pages and versions to one pass over everything at the end: a popular
 * bike's listing is then written once, not once per batch that touched one of its parts.
 *
 * Policy `stop`, as compatibility: the listing states "this part fits your bike"; stale but right
 * beats fresh but wrong, and the runner reports the failure.
 */
export const bikeListingsProjection = defineProjection({
  name: 'bike-listings',
  // 2: best_offers carry what a bestPrice shows (retailer name, url, observedAt), so a region's best offer is read, not joined.
  version: 2,
  tables: PUBLIC_TABLES,
  keyVersions: VERSIONS,
  onPoisonEvent: 'stop',
  createTables,
  eventTypes: [...Object.keys(CATALOG_HANDLERS), ...COMPATIBILITY_EVENTS, ...PRICE_EVENTS].filter((type, i, all) => all.indexOf(type) === i),
  applyBatch: (events, ctx) => applyListingBatch(events, ctx, { bulk: false }),
  bulk: {
    applyBatch: (events, ctx) => applyListingBatch(events, ctx, { bulk: true }),
    dropReaderIndexes: READER_INDEXES.drop,
    // Records with their parts' fields, best offers (and the prices' reader index) first: the listings read them.
    finish: async (ctx) => {
      await copyPartFieldsIntoRecords(ctx, 'all');
      await finishPriceObservations(ctx);
      await deriveAllListings(ctx);
      await writeBulkVersions(ctx);
      await READER_INDEXES.create(ctx);
    },
  },
});

async function applyListingBatch(events: readonly RecordedEvent[], ctx: ProjectionContext, mode: { bulk: boolean }): Promise<void> {
  const catalog = events.filter((event) => event.type in CATALOG_HANDLERS);
  // The catalog parks a revision of a part it never cataloged (a dead letter operators see); the
  // listing has no rows for such a part, so there is nothing to revise and no reason to stop.
  if (mode.bulk) await applyCatalogPage(catalog, ctx, 'skip');
  else {
    for (const event of catalog) {
      if (event.type === 'PartDetailsRevised' && !(await isCataloged(ctx, dataOf(event, 'PartDetailsRevised').partId))) continue;
      await CATALOG_HANDLERS[event.type]!(event, ctx);
    }
  }
  const fitment = events.filter((event) => COMPATIBILITY_EVENTS.has(event.type));
  if (fitment.length > 0) await applyCompatibilityFacts(fitment.map(compatibilityFactOf), ctx, mode);
  const prices = events.filter((event) => PRICE_EVENTS.has(event.type));
  if (prices.length > 0) await applyPriceObservations(prices, ctx, mode);
  const changes = listingChangesOf(events);
  if (!mode.bulk) return refreshListings(ctx, changes);
  await copyRegisteredBikes(ctx, [...changes.bikes.keys()]);
  await recordBulkTouches(ctx, changes);
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await catalogProjection.createTables(knex, schema);
  await compatibilityProjection.createTables(knex, schema);
  await pricesProjection.createTables(knex, schema);
  await createListingTables(knex, schema);
}

async function isCataloged(ctx: ProjectionContext, partId: string): Promise<boolean> {
  return (await ctx.table('parts').where({ id: partId }).first('id')) !== undefined;
}
