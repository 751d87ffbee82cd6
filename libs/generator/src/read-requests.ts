/**
 * The read requests of a load run against a generated or demo catalog (the soak's load phase, the
 * cluster failover test). The search terms go through encodeURIComponent: a raw
 * space ("brake pads") is not a valid request-target, Node's HTTP parser rejects such a request line
 * with 400 before any route sees it, and that was the soak's own "448 errors under load".
 */
export const SEARCH_TERMS = ['exhaust', 'brake pads', 'akrapovik', 'yamaha', 'windscreen', 'chain'] as const;

export interface CatalogIds {
  bikeIds: readonly string[];
  partIds: readonly string[];
}

export type PickOne = <T>(items: readonly T[]) => T;

/** One generator per read route of the load mix; each call returns a fresh request-target. */
export function readPaths({ bikeIds, partIds }: CatalogIds, pick: PickOne): (() => string)[] {
  return [
    () => `/api/bikes?page=${1 + Math.floor(Math.random() * 3)}`,
    () => `/api/bikes/${pick(bikeIds)}`,
    () => `/api/bikes/${pick(bikeIds)}/parts`,
    () => `/api/parts/${pick(partIds)}`,
    () => `/api/parts/${pick(partIds)}/verifications`,
    () => `/api/parts/${pick(partIds)}/compatibility?bikeId=${pick(bikeIds)}`,
    () => `/api/prices/${pick(partIds)}`,
    () => `/api/search?q=${encodeURIComponent(pick(SEARCH_TERMS))}`,
    () => '/api/bikes/options',
  ];
}
