import type { Settings } from 'meilisearch';
import { REGIONS } from '@mpp/domain';
import { meilisearchSynonyms, SYNONYM_GROUPS } from '../synonyms.js';
import { modelCodeWords } from './meilisearch-query-text.js';

/**
 * Meilisearch caps `totalHits` at `pagination.maxTotalHits` (default 1,000) while facets count every
 * match; set far above any catalog so the total is exact like the facets. It does not make a search
 * rank more documents: ranking stops at the requested page (milli's bucket sort evaluates
 * maxTotalHits documents only with a ranking score threshold, which we never send), and the port
 * refuses pages past SEARCH_LIMITS.maxOffset before Meilisearch sees them.
 */
/** `bestPrices.<currency>` of every currency a region prices in: the fields price sorts and filters use, one currency at a time. */
export const CURRENCY_PRICE_FIELDS = [...new Set(REGIONS.map((region) => region.currency))].sort().map((currency) => `bestPrices.${currency}`);

export const UNCAPPED_TOTAL_HITS = 1_000_000_000;

/**
 * Typo budget: one typo from 5 letters, two from 8, so "akrapvik" (8 letters, two typos from
 * "akrapovic") is found as the contract requires; Meilisearch's default (two from 9) gives it one.
 */
export const MIN_WORD_SIZE_FOR_TYPOS = { oneTypo: 5, twoTypos: 8 } as const;

/**
 * Applied (and waited for) when the indexer starts and before any document goes into a new index,
 * so a changed synonym or rule reaches a running index, and documents are indexed with the final
 * attribute lists instead of being re-indexed when settings arrive later.
 *
 * Ranking: `sort` first, so an explicit price or verification sort orders strictly by that field
 * (as the PostgreSQL adapter does) and is a no-op otherwise; then Meilisearch's relevance rules with
 * `attribute` ahead of `exactness`, so a word matching the SKU, brand or name beats one in the bike
 * labels or description (the searchable attributes are listed in that order); ties go to the part
 * with more confirmations.
 *
 * Filters: `categoryKey` (the category's UTF-8 bytes in hex) because Meilisearch compares filter
 * strings case-insensitively and the port's category filter is exact, as on PostgreSQL; `brand` is
 * case-insensitive on both engines.
 */
export function meilisearchSettings(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Settings {
  return {
    searchableAttributes: ['sku', 'brand', 'name', 'bikeLabels', 'category', 'description'],
    filterableAttributes: ['bikeIds', 'fits', 'statuses', 'categoryKey', 'category', 'brand', 'bestPriceCents', ...CURRENCY_PRICE_FIELDS],
    sortableAttributes: ['bestPriceCents', ...CURRENCY_PRICE_FIELDS, 'confirmations', 'refutations', 'name'],
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'confirmations:desc'],
    synonyms: meilisearchSynonyms(groups),
    typoTolerance: {
      enabled: true,
      // A SKU one character off is another product; "2019" one digit off is another model year
      // (disableOnNumbers covers words of digits only); a model code one character off is another
      // bike: the known ones are listed, and the query text sends any other code as a phrase.
      disableOnAttributes: ['sku'],
      disableOnNumbers: true,
      disableOnWords: modelCodeWords(groups),
      minWordSizeForTypos: { ...MIN_WORD_SIZE_FOR_TYPOS },
    },
    pagination: { maxTotalHits: UNCAPPED_TOTAL_HITS },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  };
}
