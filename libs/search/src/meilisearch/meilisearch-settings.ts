import type { Settings } from 'meilisearch';
import { SEARCH_LIMITS } from '../catalog-search.port.js';
import { meilisearchSynonyms, SYNONYM_GROUPS } from '../synonyms.js';

/**
 * Applied (and waited for) before any document goes in, so documents are indexed with the final
 * attribute lists instead of being re-indexed when settings arrive later.
 *
 * Ranking: `sort` first, so an explicit price or verification sort orders strictly by that field
 * (as the PostgreSQL adapter does) and is a no-op otherwise; then Meilisearch's relevance rules with
 * `attribute` ahead of `exactness`, so a word matching the SKU, brand or name beats one in the bike
 * labels or description (the searchable attributes are listed in that order); ties go to the part
 * with more confirmations.
 */
export function meilisearchSettings(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Settings {
  return {
    searchableAttributes: ['sku', 'brand', 'name', 'bikeLabels', 'category', 'description'],
    filterableAttributes: ['bikeIds', 'fits', 'statuses', 'category', 'brand', 'bestPriceCents'],
    sortableAttributes: ['bestPriceCents', 'confirmations', 'refutations', 'name'],
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'confirmations:desc'],
    synonyms: meilisearchSynonyms(groups),
    typoTolerance: {
      enabled: true,
      // A SKU one character off is another product; "2019" one digit off is another model year.
      disableOnAttributes: ['sku'],
      disableOnNumbers: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    },
    pagination: { maxTotalHits: SEARCH_LIMITS.maxOffset },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  };
}
