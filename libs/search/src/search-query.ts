import { COMPATIBILITY_STATUSES, ValidationFailed, resolveRegion, type CompatibilityStatus } from '@mpp/domain';
import { SEARCH_LIMITS, SEARCH_SORTS, type SearchQuery, type SearchSort } from './catalog-search.port.js';

/** A query both adapters can run as is: text trimmed, defaults applied, bounds checked. */
export interface ResolvedSearchQuery {
  q: string;
  bikeId: string | undefined;
  category: string | undefined;
  brand: string | undefined;
  status: CompatibilityStatus | undefined;
  fits: boolean;
  currency: string;
  minPriceCents: number | undefined;
  maxPriceCents: number | undefined;
  sort: SearchSort;
  page: number;
  limit: number;
  offset: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The port's own guard, so every caller (HTTP, CLI, tests) gets the same clear 400 rather than
 * whatever an engine does with a 300-character query or page 1,000,000.
 */
export function resolveSearchQuery(query: SearchQuery): ResolvedSearchQuery {
  const q = (query.q ?? '').trim();
  if (q.length > SEARCH_LIMITS.queryLength) throw new ValidationFailed('q', `must be at most ${SEARCH_LIMITS.queryLength} characters`);
  if (query.bikeId !== undefined && !UUID.test(query.bikeId)) throw new ValidationFailed('bikeId', 'must be a UUID');
  if (query.status !== undefined && !COMPATIBILITY_STATUSES.includes(query.status)) {
    throw new ValidationFailed('status', `must be one of ${COMPATIBILITY_STATUSES.join(', ')}`);
  }
  if (query.fits && query.bikeId === undefined) throw new ValidationFailed('fits', 'needs bikeId: fits means "fits this bike"');
  if (query.currency !== undefined && !/^[A-Z]{3}$/.test(query.currency)) throw new ValidationFailed('currency', 'must be an ISO 4217 code such as EUR');
  const sort = query.sort ?? 'relevance';
  if (!SEARCH_SORTS.includes(sort)) throw new ValidationFailed('sort', `must be one of ${SEARCH_SORTS.join(', ')}`);
  for (const field of ['minPriceCents', 'maxPriceCents'] as const) {
    const value = query[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new ValidationFailed(field, 'must be a whole number of cents, 0 or more');
  }
  const page = query.page ?? 1;
  const limit = query.limit ?? SEARCH_LIMITS.defaultLimit;
  if (!Number.isSafeInteger(page) || page < 1) throw new ValidationFailed('page', 'must be 1 or more');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxLimit) throw new ValidationFailed('limit', `must be between 1 and ${SEARCH_LIMITS.maxLimit}`);
  const offset = (page - 1) * limit;
  if (offset + limit > SEARCH_LIMITS.maxOffset) throw new ValidationFailed('page', `results are reachable up to the ${SEARCH_LIMITS.maxOffset}th; narrow the search`);
  return {
    q,
    bikeId: query.bikeId?.toLowerCase(),
    category: query.category || undefined,
    brand: query.brand || undefined,
    status: query.status,
    fits: query.fits === true,
    currency: query.currency ?? resolveRegion(undefined).currency,
    minPriceCents: query.minPriceCents,
    maxPriceCents: query.maxPriceCents,
    sort,
    page,
    limit,
    offset,
  };
}
