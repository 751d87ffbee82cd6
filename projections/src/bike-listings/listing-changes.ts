import type { RecordedEvent } from '@mpp/event-store';
import { canonicalUuid, compatibilityFactOf, type Pair } from '../compatibility-fold.js';
import { dataOf } from '../recorded-event.js';

/** What a batch's events may have changed in the listings, by the entities they name (canonical ids). */
export interface ListingChanges {
  /** Registered bikes: their listing key, the cascade, and the part pages that list them. */
  bikes: string[];
  /** Parts cataloged, revised or re-priced: every listing of the part and its page. */
  parts: string[];
  /** Retailers registered: the listings and pages of the parts they price. */
  retailers: string[];
  /** (part, bike) pairs whose evidence the batch touched. */
  pairs: Pair[];
}

export function listingChangesOf(events: readonly RecordedEvent[]): ListingChanges {
  const bikes = new Set<string>();
  const parts = new Set<string>();
  const retailers = new Set<string>();
  const pairs = new Map<string, Pair>();
  for (const event of events) {
    switch (event.type) {
      case 'BikeRegistered':
        bikes.add(canonicalUuid(dataOf(event, event.type).bikeId));
        break;
      case 'RetailerRegistered':
        retailers.add(canonicalUuid(dataOf(event, event.type).retailerId));
        break;
      case 'PartCataloged':
      case 'PartDetailsRevised':
        parts.add(canonicalUuid(dataOf(event, event.type).partId));
        break;
      case 'PriceObserved':
        parts.add(canonicalUuid(dataOf(event, event.type).partId));
        break;
      default: {
        const fact = compatibilityFactOf(event);
        if (!('pair' in fact)) break;
        const pair = { partId: canonicalUuid(fact.pair.partId), bikeId: canonicalUuid(fact.pair.bikeId) };
        pairs.set(`${pair.partId}_${pair.bikeId}`, pair);
      }
    }
  }
  return { bikes: [...bikes], parts: [...parts], retailers: [...retailers], pairs: [...pairs.values()] };
}

/** The read-model keys the API caches answers under; one place, so projector and API spell them alike. */
export const bikeListingKey = (bikeId: string): string => `bike:${bikeId}`;
export const partPageKey = (partId: string): string => `part:${partId}`;
/** The year -> make -> model cascade: changes only when a bike is registered. */
export const CASCADE_KEY = 'catalog';

/** The keys whose answers changed: bikes whose listing rows or facets changed or that were registered, parts whose page changed. */
export function changedKeys(changed: { bikes: Iterable<string>; parts: Iterable<string>; cascade: boolean }): string[] {
  const keys = new Set<string>();
  for (const bike of changed.bikes) keys.add(bikeListingKey(bike));
  for (const part of changed.parts) keys.add(partPageKey(part));
  if (changed.cascade) keys.add(CASCADE_KEY);
  return [...keys].sort();
}
