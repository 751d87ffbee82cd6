import type { RecordedEvent } from '@mpp/event-store';
import { canonicalUuid, compatibilityFactOf, type Pair } from '../compatibility/compatibility-fold.js';
import { dataOf } from '../shared/recorded-event.js';

/**
 * What a batch's events touch, by the entities they name (canonical ids), each with the position of
 * the last event of the batch that named it.
 */
export interface ListingChanges {
  /** Registered bikes: their listing key, the cascade, and the part pages that list them. */
  bikes: Map<string, bigint>;
  /** Parts cataloged, revised or re-priced: every listing of the part and its page. */
  parts: Map<string, bigint>;
  /** Retailers registered: the listings and pages of the parts they price. */
  retailers: Map<string, bigint>;
  /** (part, bike) pairs whose evidence the batch touched, by `partId_bikeId`. */
  pairs: Map<string, Pair & { position: bigint }>;
}

export function listingChangesOf(events: readonly RecordedEvent[]): ListingChanges {
  const changes: ListingChanges = { bikes: new Map(), parts: new Map(), retailers: new Map(), pairs: new Map() };
  for (const event of events) {
    const at = event.position;
    switch (event.type) {
      case 'BikeRegistered':
        changes.bikes.set(canonicalUuid(dataOf(event, event.type).bikeId), at);
        break;
      case 'RetailerRegistered':
        changes.retailers.set(canonicalUuid(dataOf(event, event.type).retailerId), at);
        break;
      case 'PartCataloged':
      case 'PartDetailsRevised':
        changes.parts.set(canonicalUuid(dataOf(event, event.type).partId), at);
        break;
      case 'PriceObserved':
        changes.parts.set(canonicalUuid(dataOf(event, event.type).partId), at);
        break;
      default: {
        const fact = compatibilityFactOf(event);
        if (!('pair' in fact)) break;
        const pair = { partId: canonicalUuid(fact.pair.partId), bikeId: canonicalUuid(fact.pair.bikeId) };
        changes.pairs.set(`${pair.partId}_${pair.bikeId}`, { ...pair, position: at });
      }
    }
  }
  return changes;
}

export { touchKey as touch } from '../shared/key-versions.js';

/** The read-model keys the API caches answers under; one place, so projector and API spell them alike. */
export const bikeListingKey = (bikeId: string): string => `bike:${bikeId}`;
export const partPageKey = (partId: string): string => `part:${partId}`;
/** The year -> make -> model cascade: changes only when a bike is registered. */
export const CASCADE_KEY = 'catalog';

/**
 * The version of every key the batch touched: the position of the last event of the batch that
 * touched it. A version depends only on the log, never on where batches were cut (a rebuild or a
 * restart after a crash writes the same), at the price of moving for an event that left the answer
 * as it was (a price that is not the best, an old observation): an extra eviction, never a stale one.
 */
export function versionsOf(touched: { bikes: Map<string, bigint>; parts: Map<string, bigint>; cascade: bigint | undefined }): Map<string, bigint> {
  const versions = new Map<string, bigint>();
  for (const [bike, position] of touched.bikes) versions.set(bikeListingKey(bike), position);
  for (const [part, position] of touched.parts) versions.set(partPageKey(part), position);
  if (touched.cascade !== undefined) versions.set(CASCADE_KEY, touched.cascade);
  return versions;
}
