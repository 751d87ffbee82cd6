import type { Knex } from 'knex';
import { COMPATIBILITY_STATUSES } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { readBatch, touch, type BikeLabel, type PriceObservation } from './search-documents-batch.js';
import { foldCatalog, slugCandidates, type CatalogChanges, type CatalogEvent, type DocumentFields, type StoredDocument } from './search-documents-catalog.js';
import { foldEvidence, pairKey, verificationIdsOf, type EvidenceEvent, type PairRow, type VerificationRow } from './search-documents-evidence.js';
import { newestPerOffer } from '../prices/prices-newest-observation.js';
import { LABEL_WORDS } from './search-documents-vocabulary.js';
import { bulkDocumentSource, ensureBulkTables, finishSearchDocuments, writeDocumentsInBulk } from './search-documents-bulk.js';
import { createFacetTriggers, dropSearchReaders, FACET_TRACK, SEARCH_READER_INDEXES } from './search-documents-readers.js';
import {
  SEARCH_BIKES as BIKES,
  SEARCH_DOCUMENTS as DOCUMENTS,
  SEARCH_FACET_COUNTS as FACET_COUNTS,
  SEARCH_FITMENT as FITMENT,
  SEARCH_PRICES as PRICES,
  SEARCH_VERIFICATIONS as VERIFICATIONS,
  SEARCH_VOCABULARY as VOCABULARY,
} from './search-documents.tables.js';
import { DOCUMENT_BIKES, SEARCHED_BIKES, searchedBikesOf } from './document-bikes.js';
import { createReaderIndexes } from '../shared/reader-indexes.js';


/**
 * One search document per part (the shape of `SearchDocument` in @mpp/search): the part's fields,
 * every bike it has a compatibility record for with that pair's status and counts, and its best
 * current price. The PostgreSQL search adapter queries these rows; the Meilisearch indexer pushes
 * the rows whose `updated_position` moved.
 *
 * Self-contained: it folds bikes, evidence and prices itself instead of reading the catalog,
 * compatibility or prices tables, because those live in other projections' generations and a
 * rebuild must not depend on how far another projection has got. Status and counts come from the
 * domain's own rules (`countVerifications`, `compatibilityStatus`), as in the compatibility
 * projection; slugs follow the catalog projection's rule (first cataloged keeps `{brand}-{name}`),
 * which gives the same slugs because both fold the same log in the same order.
 *
 * Set-based, because rewriting a document regenerates its search vector and GIN entries: per
 * batch, the events are validated and sorted (search-documents-batch.ts), the private state of the
 * keys they name is read once, folded in memory (search-documents-catalog.ts,
 * search-documents-evidence.ts) and written once, and each document the batch touched is written
 * once. The rows are those that applying the events one at a time leaves: `updated_position` is
 * the position of the last event that, on its own, would have rewritten the document (a price
 * that did not become current, or a revision that changes nothing, rewrites nothing), and the
 * vocabulary gets the words of every document state the batch went through, field by field and
 * label by label (see addVocabulary).
 *
 * The search columns (weighted tsvector, SKU key, bike/fit/status arrays) are generated from the
 * stored fields by the SQL functions of migration 0006, so any writer gets them right.
 *
 * Policy `park`: search is a finder, the part page (compatibility) is the authority on a status; a
 * poison event must not freeze search for everyone. It is reported as a dead letter, and the next
 * event for the same part rewrites its document.
 */
export const searchDocumentsProjection = defineProjection({
  name: 'search-documents',
  // 2: best_prices, each currency's best offer, so search ranks and filters one currency at a time;
  // status_mask, the facet counts and the sort indexes of browsing.
  // 3: the sample tokens in the search vector (migration 0026), for estimated counts of broad queries.
  // 4: searched_bikes, the bikes without their counts, which the search columns are generated from: a
  // verification that moves only counts no longer regenerates the search vector and the bike arrays.
  // (Since migration 0035 searched_bikes is derived by public.search_searched_bikes: the same rows, so still 4.)
  version: 4,
  tables: [DOCUMENTS, VOCABULARY, FACET_COUNTS],
  onPoisonEvent: 'park',
  createTables,
  eventTypes: [
    'BikeRegistered',
    'PartCataloged',
    'PartDetailsRevised',
    'FitmentPublished',
    'FitmentWithdrawn',
    'VerificationSubmitted',
    'VerificationRetracted',
    'VerificationModerated',
    'PriceObserved',
  ],
  applyBatch: (events, ctx) => applySearchBatch(events, ctx, LIVE),
  // Far behind the head: the private state as live, new documents staged and derived whole at the end (search-documents-bulk.ts).
  bulk: {
    applyBatch: async (events, ctx) => {
      await ensureBulkTables(ctx);
      await applySearchBatch(events, ctx, BULK);
    },
    dropReaderIndexes: dropSearchReaders,
    finish: finishSearchDocuments,
  },
});

/** Where a batch's documents are: what its lookups read (a table, or SQL in parentheses), and how it writes them. */
interface DocumentsForm {
  source: (ctx: ProjectionContext) => string;
  write: (ctx: ProjectionContext, writes: DocumentWrites) => Promise<void>;
  /** Whether the batch adds the words of the bike labels its pairs and bikes bring in, or leaves them to the bulk finish (`addAllLabelWords`). */
  labelWords: boolean;
}

const LIVE: DocumentsForm = { source: (ctx) => ctx.qualified(DOCUMENTS), write: writeDocuments, labelWords: true };
const BULK: DocumentsForm = { source: bulkDocumentSource, write: writeDocumentsInBulk, labelWords: false };

async function applySearchBatch(events: readonly RecordedEvent[], ctx: ProjectionContext, form: DocumentsForm): Promise<void> {
  const batch = readBatch(events);
  const documents = form.source(ctx);
  const catalog = await foldCatalogEvents(ctx, documents, batch.catalog);
  await registerBikes(ctx, batch.bikes);
  const evidence = await recordEvidence(ctx, batch.evidence);
  const touches = new Map(batch.touches);
  const searchedBikesChanged = new Set(evidence.searchedParts);
  for (const { partId, position } of await partsOfBikes(ctx, batch.bikes)) {
    touch(touches, partId, position);
    searchedBikesChanged.add(partId);
  }
  for (const { partId, position } of await keepNewestPrices(ctx, batch.prices)) touch(touches, partId, position);
  await form.write(ctx, { catalog, touches, countsChanged: evidence.changedParts, searchedBikesChanged });
  await addVocabulary(ctx, documents, {
    fields: [...catalog.cataloged.values(), ...catalog.revised.values(), ...catalog.replaced],
    bikes: form.labelWords ? [...evidence.newPairBikes, ...batch.bikes.keys()] : [],
    cataloged: form.labelWords ? [...catalog.cataloged.keys()] : [],
  });
}

/** Reads the documents of the cataloged and revised parts and the holders of their candidate slugs, and folds the events into them. */
async function foldCatalogEvents(ctx: ProjectionContext, documents: string, events: readonly CatalogEvent[]): Promise<CatalogChanges> {
  if (events.length === 0) return foldCatalog([], []);
  const slugs = events.flatMap((event) => (event.kind === 'cataloged' ? slugCandidates(event) : []));
  const { rows } = await ctx.trx.raw<{ rows: StoredDocument[] }>(
    `SELECT part_id AS "partId", slug, brand, name, category, description FROM ${documents} d
      WHERE part_id = ANY(?::uuid[]) OR slug = ANY(?::text[])`,
    [[...new Set(events.map((event) => event.partId))], slugs],
  );
  return foldCatalog(rows, events);
}

async function registerBikes(ctx: ProjectionContext, bikes: ReadonlyMap<string, BikeLabel>): Promise<void> {
  if (bikes.size === 0) return;
  await ctx.trx.raw(`INSERT INTO ${ctx.qualified(BIKES)} (bike_id, label) SELECT * FROM unnest(?::uuid[], ?::text[]) ON CONFLICT (bike_id) DO NOTHING`, [
    [...bikes.keys()],
    [...bikes.values()].map((bike) => bike.label),
  ]);
}

/**
 * A registered bike relabels every pair it has (evidence recorded before the bike is not possible
 * through the deciders, but replays must not care), so it rewrites their parts' documents. Read
 * after the batch's pairs are written: a pair recorded later in the batch rewrites its document
 * later anyway.
 */
async function partsOfBikes(ctx: ProjectionContext, bikes: ReadonlyMap<string, BikeLabel>): Promise<{ partId: string; position: bigint }[]> {
  if (bikes.size === 0) return [];
  const { rows } = await ctx.trx.raw<{ rows: { part_id: string; bike_id: string }[] }>(
    `SELECT part_id, bike_id FROM ${ctx.qualified(FITMENT)} WHERE bike_id = ANY(?::uuid[])`,
    [[...bikes.keys()]],
  );
  return rows.map((row) => ({ partId: row.part_id, position: bikes.get(row.bike_id)!.position }));
}

interface RecordedEvidence {
  /** Parts one of whose pairs changed (its bikes JSON and totals change). */
  changedParts: Set<string>;
  /** Of those, the parts with a new pair or a pair whose status changed (what the search columns read changes). */
  searchedParts: Set<string>;
  /** Bikes of the pairs that are new (their labels join the documents' words). */
  newPairBikes: Set<string>;
}

/** Reads the pairs the events name with their verifications (and the verifications the events submit), folds the events and writes what changed. */
async function recordEvidence(ctx: ProjectionContext, events: readonly EvidenceEvent[]): Promise<RecordedEvidence> {
  if (events.length === 0) return { changedParts: new Set(), searchedParts: new Set(), newPairBikes: new Set() };
  const pairs = [...new Map(events.map((event) => [pairKey(event), event])).values()];
  const pairIds = [pairs.map((pair) => pair.partId), pairs.map((pair) => pair.bikeId)];
  // Pair by pair through the indexes: OFFSET 0 keeps the planner from flattening the lateral lookup into a join, which on the
  // young tables of a rebuild (no statistics yet) it runs as a scan of the whole table.
  const { rows: storedPairs } = await ctx.trx.raw<{ rows: PairRow[] }>(
    `SELECT f.part_id AS "partId", f.bike_id AS "bikeId", f.official_status AS official, f.status, f.confirmations, f.refutations
       FROM unnest(?::uuid[], ?::uuid[]) AS t(part_id, bike_id)
       CROSS JOIN LATERAL (SELECT * FROM ${ctx.qualified(FITMENT)} WHERE part_id = t.part_id AND bike_id = t.bike_id OFFSET 0) f`,
    pairIds,
  );
  const { rows: storedVerifications } = await ctx.trx.raw<{ rows: VerificationRow[] }>(
    `SELECT verification_id AS "verificationId", part_id AS "partId", bike_id AS "bikeId", fits, lifecycle, hidden
       FROM ${ctx.qualified(VERIFICATIONS)} WHERE verification_id = ANY(?::uuid[])`,
    [verificationIdsOf(events)],
  );
  const changes = foldEvidence({ pairs: storedPairs, verifications: storedVerifications }, events);
  if (changes.pairs.length > 0) {
    await ctx.trx.raw(
      `INSERT INTO ${ctx.qualified(FITMENT)} (part_id, bike_id, official_status, status, confirmations, refutations)
       SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::int[])
       ON CONFLICT (part_id, bike_id) DO UPDATE SET
         official_status = EXCLUDED.official_status, status = EXCLUDED.status,
         confirmations = EXCLUDED.confirmations, refutations = EXCLUDED.refutations`,
      columnsOf(changes.pairs, ['partId', 'bikeId', 'official', 'status', 'confirmations', 'refutations']),
    );
  }
  if (changes.verifications.length > 0) {
    await ctx.trx.raw(
      `INSERT INTO ${ctx.qualified(VERIFICATIONS)} (verification_id, part_id, bike_id, fits, lifecycle, hidden)
       SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::boolean[], ?::text[], ?::boolean[])
       ON CONFLICT (verification_id) DO UPDATE SET lifecycle = EXCLUDED.lifecycle, hidden = EXCLUDED.hidden`,
      columnsOf(changes.verifications, ['verificationId', 'partId', 'bikeId', 'fits', 'lifecycle', 'hidden']),
    );
  }
  const stored = new Map(storedPairs.map((pair) => [pairKey(pair), pair]));
  return {
    changedParts: new Set(changes.pairs.map((pair) => pair.partId)),
    searchedParts: new Set(changes.pairs.filter((pair) => stored.get(pairKey(pair))?.status !== pair.status).map((pair) => pair.partId)),
    newPairBikes: new Set(changes.pairs.filter((pair) => !stored.has(pairKey(pair))).map((pair) => pair.bikeId)),
  };
}

/**
 * Keeps each retailer's newest observation, by observed_at and not by arrival (a back-fill never
 * overwrites), as in the prices projection. Of one offer's observations in the batch only the
 * newest can be the last to change the held price, so it is the one whose position rewrites the
 * document, when it does change it.
 */
async function keepNewestPrices(ctx: ProjectionContext, observations: readonly PriceObservation[]): Promise<{ partId: string; position: bigint }[]> {
  if (observations.length === 0) return [];
  const newest = newestPerOffer(observations);
  const table = ctx.qualified(PRICES);
  const { rows } = await ctx.trx.raw<{ rows: { part_id: string; retailer_id: string }[] }>(
    `INSERT INTO ${table} (part_id, retailer_id, price_cents, currency, in_stock, observed_at)
     SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::boolean[], ?::timestamptz[])
     ON CONFLICT (part_id, retailer_id) DO UPDATE
        SET price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, in_stock = EXCLUDED.in_stock, observed_at = EXCLUDED.observed_at
      WHERE ${table}.observed_at < EXCLUDED.observed_at
     RETURNING part_id, retailer_id`,
    [...columnsOf(newest, ['partId', 'retailerId', 'priceCents', 'currency', 'inStock']), newest.map((o) => o.observedAt.toISOString())],
  );
  const positions = new Map(newest.map((o) => [`${o.partId} ${o.retailerId}`, o.position]));
  return rows.map((row) => ({ partId: row.part_id, position: positions.get(`${row.part_id} ${row.retailer_id}`)! }));
}

/**
 * CTEs over the parts of an array (bound once per CTE), part by part through the indexes as in
 * recordEvidence: `f`, their bikes with counts (ordered by label, so replays write identical JSON)
 * and the totals, for the parts that have pairs (the others keep the columns' defaults), from which
 * the statements that assign the searched bikes derive them; `bp`, their best
 * price, the cheapest in-stock offer, else the cheapest of all, as part_best_prices defines it.
 */
function bikesOf(ctx: ProjectionContext): string {
  return `f AS (
            SELECT sf.part_id, ${DOCUMENT_BIKES}
              FROM unnest(?::uuid[]) AS p(part_id)
              CROSS JOIN LATERAL (SELECT * FROM ${ctx.qualified(FITMENT)} WHERE part_id = p.part_id OFFSET 0) sf
              LEFT JOIN ${ctx.qualified(BIKES)} b ON b.bike_id = sf.bike_id
             GROUP BY sf.part_id)`;
}

function bestPriceOf(ctx: ProjectionContext): string {
  return `bp AS (
            SELECT p.part_id, offer.price_cents, offer.currency, offer.in_stock, per.best_prices
              FROM unnest(?::uuid[]) AS p(part_id)
              CROSS JOIN LATERAL (
                    SELECT price_cents, currency, in_stock FROM ${ctx.qualified(PRICES)}
                     WHERE part_id = p.part_id ORDER BY in_stock DESC, price_cents, retailer_id LIMIT 1) offer
              CROSS JOIN LATERAL (
                    SELECT jsonb_object_agg(c.currency, c.price_cents) AS best_prices
                      FROM (SELECT DISTINCT ON (currency) currency, price_cents FROM ${ctx.qualified(PRICES)}
                             WHERE part_id = p.part_id ORDER BY currency, in_stock DESC, price_cents, retailer_id) c) per)`;
}

interface DocumentWrites {
  catalog: CatalogChanges;
  /** Part id -> position of the last event that rewrote the document. */
  touches: ReadonlyMap<string, bigint>;
  /** Parts whose bikes' counts and totals may have changed. */
  countsChanged: ReadonlySet<string>;
  /** Parts whose searched bikes (a bike, its label or its status) may have changed. */
  searchedBikesChanged: ReadonlySet<string>;
}

/**
 * Inserts the documents of the parts cataloged in the batch and rewrites the stored documents the
 * batch touched, each once. A stored document is rewritten in one of four statements, by what may
 * have changed: its fields, its searched bikes, only its bikes' counts, or only its best price and
 * position. An UPDATE that does not assign the columns a generated column reads leaves that column
 * alone, and regenerating the search vector and the bike arrays (with their GIN entries) is most
 * of a document's cost: 5.7 ms against 0.8 ms for a document with 60 bikes (docs/performance.md).
 * Most verifications move only counts.
 */
async function writeDocuments(ctx: ProjectionContext, { catalog, touches, countsChanged, searchedBikesChanged }: DocumentWrites): Promise<void> {
  const cataloged = [...catalog.cataloged.values()];
  if (cataloged.length > 0) {
    const partIds = cataloged.map((document) => document.partId);
    await ctx.trx.raw(
      `WITH ${bikesOf(ctx)}, ${bestPriceOf(ctx)}
       INSERT INTO ${ctx.qualified(DOCUMENTS)} (part_id, slug, sku, brand, name, category, description, updated_position,
                                 bikes, ${SEARCHED_BIKES}, confirmations, refutations, best_price_cents, currency, in_stock, best_prices)
       SELECT t.*, coalesce(f.bikes, '[]'::jsonb), ${searchedBikesOf(`coalesce(f.bikes, '[]'::jsonb)`)}, coalesce(f.confirmations, 0), coalesce(f.refutations, 0),
              bp.price_cents, bp.currency, bp.in_stock,
              coalesce(bp.best_prices, '{}'::jsonb)
         FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
              AS t(part_id, slug, sku, brand, name, category, description, updated_position)
         LEFT JOIN f USING (part_id)
         LEFT JOIN bp USING (part_id)`,
      [
        partIds,
        partIds,
        ...columnsOf(cataloged, ['partId', 'slug', 'sku', 'brand', 'name', 'category', 'description']),
        cataloged.map((document) => touches.get(document.partId)!.toString()),
      ],
    );
  }
  // Parts never cataloged have no row to update; their evidence and prices wait in the private tables.
  const stored = [...touches.keys()].filter((partId) => !catalog.cataloged.has(partId));
  const scopeOf = (partId: string): UpdateScope =>
    catalog.revised.has(partId) ? 'fields' : searchedBikesChanged.has(partId) ? 'bikes' : countsChanged.has(partId) ? 'counts' : 'price';
  for (const scope of ['fields', 'bikes', 'counts', 'price'] as const) {
    const documents = stored.filter((partId) => scopeOf(partId) === scope);
    await updateDocuments(ctx, documents.map((partId) => ({ partId, position: touches.get(partId)!, ...catalog.revised.get(partId) })), scope);
  }
}

/**
 * `fields` rewrites the fields, bikes and best price; `bikes` the bikes (searched and with counts)
 * and best price; `counts` the bikes with counts and best price, leaving the searched bikes (and so
 * every generated column) alone, and not deriving them either; `price` the best price only. Each
 * sets the position.
 */
type UpdateScope = 'fields' | 'bikes' | 'counts' | 'price';

async function updateDocuments(
  ctx: ProjectionContext,
  documents: readonly ({ partId: string; position: bigint } & Partial<DocumentFields>)[],
  scope: UpdateScope,
): Promise<void> {
  if (documents.length === 0) return;
  const partIds = documents.map((document) => document.partId);
  const withBikes = scope !== 'price';
  await ctx.trx.raw(
    `WITH ${withBikes ? `${bikesOf(ctx)},` : ''} ${bestPriceOf(ctx)}
     UPDATE ${ctx.qualified(DOCUMENTS)} d
        SET ${scope === 'fields' ? 'brand = t.brand, name = t.name, category = t.category, description = t.description,' : ''}
            ${withBikes ? `bikes = coalesce(f.bikes, '[]'::jsonb), confirmations = coalesce(f.confirmations, 0), refutations = coalesce(f.refutations, 0),` : ''}
            ${scope === 'fields' || scope === 'bikes' ? `${SEARCHED_BIKES} = ${searchedBikesOf(`coalesce(f.bikes, '[]'::jsonb)`)},` : ''}
            best_price_cents = bp.price_cents, currency = bp.currency, in_stock = bp.in_stock, best_prices = coalesce(bp.best_prices, '{}'::jsonb),
            updated_position = t.updated_position
       FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
            AS t(part_id, updated_position, brand, name, category, description)
       ${withBikes ? 'LEFT JOIN f USING (part_id)' : ''}
       LEFT JOIN bp USING (part_id)
      WHERE d.part_id = t.part_id`,
    [
      ...(withBikes ? [partIds] : []),
      partIds,
      partIds,
      documents.map((document) => document.position.toString()),
      ...columnsOf(
        documents.map(({ brand = null, name = null, category = null, description = null }) => ({ brand, name, category, description })),
        ['brand', 'name', 'category', 'description'],
      ),
    ],
  );
}

/**
 * Words split field by field and label by label, so the words of every document state the batch
 * went through are those of each field state it wrote (including states a later revision of the
 * batch replaced) and those of each bike label that joined a cataloged part's bikes. A label joins
 * once its bike is registered and has a pair with a cataloged part, whichever of the three came
 * last, and that event, applied on its own, adds the label's words. So the candidates are the bikes
 * of new pairs, registered bikes and the bikes of newly cataloged parts, and the lookup keeps
 * those that have a cataloged part.
 */
async function addVocabulary(ctx: ProjectionContext, documents: string, changes: { fields: readonly DocumentFields[]; bikes: readonly string[]; cataloged: readonly string[] }): Promise<void> {
  if (changes.fields.length === 0 && changes.bikes.length === 0) return;
  await ctx.trx.raw(
    `WITH candidates AS (
       SELECT bike_id FROM unnest(?::uuid[]) AS c(bike_id)
       UNION
       SELECT sf.bike_id FROM unnest(?::uuid[]) AS p(part_id)
        CROSS JOIN LATERAL (SELECT bike_id FROM ${ctx.qualified(FITMENT)} WHERE part_id = p.part_id OFFSET 0) sf)
     INSERT INTO ${ctx.qualified(VOCABULARY)} (word)
     SELECT public.search_vocabulary_words(brand, name, category, '[]'::jsonb, description)
       FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS s(brand, name, category, description)
     UNION
     SELECT ${LABEL_WORDS}
       FROM candidates c
       JOIN ${ctx.qualified(BIKES)} b USING (bike_id)
       -- One cataloged part per bike is enough; LIMIT keeps this a lookup per bike rather than a join of the whole tables.
       CROSS JOIN LATERAL (
             SELECT 1 FROM ${ctx.qualified(FITMENT)} sf JOIN ${documents} d ON d.part_id = sf.part_id
              WHERE sf.bike_id = c.bike_id LIMIT 1) cataloged
     ON CONFLICT (word) DO NOTHING`,
    [[...new Set(changes.bikes)], [...changes.cataloged], ...columnsOf(changes.fields, ['brand', 'name', 'category', 'description'])],
  );
}

/** The rows as one array per column, for `unnest` (node-postgres sends a null element as NULL, which knex's types do not list). */
function columnsOf<Row>(rows: readonly Row[], keys: readonly (keyof Row)[]): Knex.Value[] {
  return keys.map((key) => rows.map((row) => row[key]) as Knex.Value);
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  const documents = qualify(schema, DOCUMENTS);
  await knex.raw(`
    CREATE TABLE ${documents} (
      part_id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      sku text NOT NULL,
      brand text NOT NULL,
      name text NOT NULL,
      category text NOT NULL,
      description text,
      bikes jsonb NOT NULL DEFAULT '[]',
      ${SEARCHED_BIKES} jsonb NOT NULL DEFAULT '[]',
      best_price_cents bigint,
      currency text,
      in_stock boolean,
      best_prices jsonb NOT NULL DEFAULT '{}',
      confirmations integer NOT NULL DEFAULT 0,
      refutations integer NOT NULL DEFAULT 0,
      updated_position bigint NOT NULL,
      search_vector tsvector GENERATED ALWAYS AS (
        public.search_document_vector(sku, brand, name, category, ${SEARCHED_BIKES}, description) || public.search_sample_tokens(part_id)) STORED,
      sku_key text GENERATED ALWAYS AS (public.search_sku_key(sku)) STORED,
      bike_ids text[] GENERATED ALWAYS AS (public.search_bike_ids(${SEARCHED_BIKES})) STORED,
      fits text[] GENERATED ALWAYS AS (public.search_fit_keys(${SEARCHED_BIKES})) STORED,
      statuses text[] GENERATED ALWAYS AS (public.search_statuses(${SEARCHED_BIKES})) STORED,
      status_mask smallint GENERATED ALWAYS AS (${statusMaskOf(SEARCHED_BIKES)}) STORED
    )`);
  // The Meilisearch indexer reads what changed since its checkpoint.
  await knex.raw(`CREATE INDEX search_documents_updated_position ON ${documents} (updated_position)`);

  const vocabulary = qualify(schema, VOCABULARY);
  await knex.raw(`CREATE TABLE ${vocabulary} (word text PRIMARY KEY)`);
  // Only the search adapter reads by these (search-documents-readers.ts): browsing, filters, typo correction.
  await createReaderIndexes(knex, (name) => qualify(schema, name), SEARCH_READER_INDEXES);

  await createFacetCounts(knex, schema);

  await knex.schema.withSchema(schema).createTable(BIKES, (t) => {
    t.uuid('bike_id').primary();
    t.text('label').notNullable();
  });
  await knex.schema.withSchema(schema).createTable(FITMENT, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    // none | published | withdrawn
    t.text('official_status').notNullable().defaultTo('none');
    t.text('status').notNullable().defaultTo('no_data');
    t.integer('confirmations').notNullable().defaultTo(0);
    t.integer('refutations').notNullable().defaultTo(0);
    t.primary(['part_id', 'bike_id']);
    // A bike registered late relabels its pairs.
    t.index(['bike_id'], 'search_fitment_bike');
  });
  await knex.schema.withSchema(schema).createTable(VERIFICATIONS, (t) => {
    t.uuid('verification_id').primary();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.boolean('fits').notNullable();
    t.text('lifecycle').notNullable();
    t.boolean('hidden').notNullable();
  });
  await knex.schema.withSchema(schema).createTable(PRICES, (t) => {
    t.uuid('part_id').notNullable();
    t.uuid('retailer_id').notNullable();
    t.bigInteger('price_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.boolean('in_stock').notNullable();
    t.timestamp('observed_at', { useTz: true }).notNullable();
    t.primary(['part_id', 'retailer_id']);
  });
}

/** Bit i set when some bike of the part has COMPATIBILITY_STATUSES[i] (the adapter tests the same bits). */
function statusMaskOf(bikes: string): string {
  const bits = COMPATIBILITY_STATUSES.map((status, bit) => `((${bikes} @> '[{"status": "${status}"}]')::int << ${bit})`);
  return `(${bits.join(' | ')})::smallint`;
}

/**
 * `search_facet_counts`: how many parts have each (category, brand, status mask). Browsing and
 * queries whose only filters are facets answer their total and facets from these few thousand rows
 * instead of counting 100,000 documents. Kept by statement triggers on the documents, so every
 * writer (the projection's batches, `upsert` of the fixture and the benchmark) keeps them exact, in
 * the writer's transaction: the counts move with the documents and the checkpoint. A batch adds
 * the counts of its new row versions and subtracts those of the old ones; keys that reach zero
 * are deleted, so live counts equal a rebuild's.
 */
async function createFacetCounts(knex: Knex, schema: string): Promise<void> {
  const counts = qualify(schema, FACET_COUNTS);
  const track = qualify(schema, FACET_TRACK);
  await knex.raw(`
    CREATE TABLE ${counts} (
      category text NOT NULL,
      brand text NOT NULL,
      status_mask smallint NOT NULL,
      parts integer NOT NULL,
      PRIMARY KEY (category, brand, status_mask)
    )`);
  const apply = (changes: string) => `
      INSERT INTO ${counts} AS c (category, brand, status_mask, parts)
      SELECT category, brand, status_mask, sum(delta)::int FROM (${changes}) AS changes
       GROUP BY category, brand, status_mask HAVING sum(delta) <> 0
       -- One lock order for every writer.
       ORDER BY category, brand, status_mask
      ON CONFLICT (category, brand, status_mask) DO UPDATE SET parts = c.parts + EXCLUDED.parts;
      DELETE FROM ${counts} c USING (${changes}) AS changes
       WHERE c.parts = 0 AND (c.category, c.brand, c.status_mask) = (changes.category, changes.brand, changes.status_mask);`;
  const added = 'SELECT category, brand, status_mask, 1 AS delta FROM new_rows';
  const removed = 'SELECT category, brand, status_mask, -1 AS delta FROM old_rows';
  await knex.raw(`
    CREATE FUNCTION ${track}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN ${apply(added)}
      ELSIF TG_OP = 'UPDATE' THEN ${apply(`${added} UNION ALL ${removed}`)}
      ELSE ${apply(removed)}
      END IF;
      RETURN NULL;
    END $$`);
  await createFacetTriggers(knex, (name) => qualify(schema, name));
}
