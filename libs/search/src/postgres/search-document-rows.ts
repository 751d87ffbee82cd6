import type { Knex } from 'knex';
import type { CompatibilityStatus } from '@mpp/domain';
import type { FittedBike, SearchDocument } from '../catalog-search.port.js';
import type { SearchTables } from './search-tables.js';

/** A row of `search_documents` (projections/src/search-documents/search-documents.projection.ts), the stored fields only. */
export interface SearchDocumentRow {
  part_id: string;
  slug: string;
  sku: string;
  brand: string;
  name: string;
  category: string;
  description: string | null;
  bikes: { bikeId: string; label: string; status: CompatibilityStatus; confirmations: number; refutations: number }[];
  best_price_cents: number | null;
  currency: string | null;
  in_stock: boolean | null;
  best_prices: Record<string, number | string>;
  confirmations: number;
  refutations: number;
  updated_position: number;
}

export const DOCUMENT_COLUMNS = [
  'part_id', 'slug', 'sku', 'brand', 'name', 'category', 'description', 'bikes',
  'best_price_cents', 'currency', 'in_stock', 'best_prices', 'confirmations', 'refutations', 'updated_position',
] as const;

export function documentFromRow(row: SearchDocumentRow): SearchDocument {
  return {
    id: row.part_id,
    slug: row.slug,
    sku: row.sku,
    brand: row.brand,
    name: row.name,
    category: row.category,
    description: row.description,
    bikes: row.bikes.map((bike): FittedBike => ({ ...bike })),
    bestPriceCents: row.best_price_cents === null ? null : Number(row.best_price_cents),
    currency: row.currency,
    inStock: row.in_stock,
    bestPrices: Object.fromEntries(Object.entries(row.best_prices ?? {}).map(([currency, cents]) => [currency, Number(cents)])),
    confirmations: row.confirmations,
    refutations: row.refutations,
    updatedPosition: Number(row.updated_position),
  };
}

/**
 * Writes whole documents, replacing any with the same id, and adds their words to the vocabulary.
 * In production the projection writes `search_documents` from events; this is for loading a fixture
 * catalog (contract suite) and the benchmark's 100,000 parts.
 */
export async function upsertSearchDocuments(knex: Knex, tables: SearchTables, documents: readonly SearchDocument[]): Promise<void> {
  if (documents.length === 0) return;
  const rows = documents.map((d) => [
    d.id, d.slug, d.sku, d.brand, d.name, d.category, d.description, JSON.stringify(d.bikes),
    d.bestPriceCents, d.currency, d.inStock, JSON.stringify(d.bestPrices), d.confirmations, d.refutations, d.updatedPosition,
  ]);
  const placeholders = rows.map(() => `(?::uuid, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::bigint, ?, ?::boolean, ?::jsonb, ?::int, ?::int, ?::bigint)`).join(', ');
  // The search columns are generated from `searched_bikes`, the bikes without their counts, derived
  // as the projection derives them: by the function of migration 0035.
  const columns = [...DOCUMENT_COLUMNS, 'searched_bikes'];
  await knex.transaction(async (trx) => {
    await trx.raw(
      `INSERT INTO ${tables.documents} (${columns.join(', ')})
       SELECT v.*, public.search_searched_bikes(v.bikes) FROM (VALUES ${placeholders}) AS v(${DOCUMENT_COLUMNS.join(', ')})
       ON CONFLICT (part_id) DO UPDATE SET ${columns.filter((c) => c !== 'part_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      rows.flat(),
    );
    await trx.raw(
      `INSERT INTO ${tables.vocabulary} (word)
       SELECT DISTINCT public.search_vocabulary_words(brand, name, category, bikes, description) FROM ${tables.documents} WHERE part_id = ANY(?::uuid[])
       ON CONFLICT (word) DO NOTHING`,
      [documents.map((d) => d.id)],
    );
  });
}
