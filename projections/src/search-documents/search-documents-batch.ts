import type { EventData } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import type { CatalogEvent, DocumentFields } from './search-documents-catalog.js';
import type { EvidenceEvent } from './search-documents-evidence.js';
import { dataOf, fitmentPairOf } from '../shared/recorded-event.js';

export interface BikeLabel {
  label: string;
  /** The last BikeRegistered of the bike in the batch. */
  position: bigint;
}

/** A PriceObserved, with what the search document's best price needs. */
export type PriceObservation = Pick<EventData<'PriceObserved'>, 'partId' | 'retailerId' | 'priceCents' | 'currency' | 'inStock'> & {
  observedAt: Date;
  position: bigint;
};

export interface SearchBatch {
  /** Keyed by bike id; the first label of a bike is the one kept. */
  bikes: Map<string, BikeLabel>;
  catalog: CatalogEvent[];
  evidence: EvidenceEvent[];
  prices: PriceObservation[];
  /** Part id -> position of the part's last cataloging, field revision or fitment event (each rewrites a document that exists). */
  touches: Map<string, bigint>;
}

/**
 * Validates every event of a batch (a malformed one fails the batch, as it failed its handler) and
 * sorts them by what they change, in log order. Ids are in lower case, as PostgreSQL compares uuids.
 */
export function readBatch(events: readonly RecordedEvent[]): SearchBatch {
  const batch: SearchBatch = { bikes: new Map(), catalog: [], evidence: [], prices: [], touches: new Map() };
  for (const event of events) {
    const { position } = event;
    const fitment = (evidence: EvidenceEvent): void => {
      batch.evidence.push(evidence);
      touch(batch.touches, evidence.partId, position);
    };
    switch (event.type) {
      case 'BikeRegistered': {
        const { bikeId, year, make, model, trim } = dataOf(event, 'BikeRegistered');
        const label = batch.bikes.get(bikeId.toLowerCase())?.label ?? [String(year), make, model, trim].filter(Boolean).join(' ');
        batch.bikes.set(bikeId.toLowerCase(), { label, position });
        break;
      }
      case 'PartCataloged': {
        const part = dataOf(event, 'PartCataloged');
        const { sku, brand, name, category } = part;
        batch.catalog.push({ kind: 'cataloged', partId: part.partId.toLowerCase(), sku, brand, name, category, description: part.description ?? null });
        touch(batch.touches, part.partId.toLowerCase(), position);
        break;
      }
      case 'PartDetailsRevised': {
        const { partId, brand, name, category, description } = dataOf(event, 'PartDetailsRevised');
        // Absent means unchanged; the slug stays what it was (public URL), as in the catalog.
        const changes: Partial<DocumentFields> = {
          ...(brand === undefined ? {} : { brand }),
          ...(name === undefined ? {} : { name }),
          ...(category === undefined ? {} : { category }),
          ...(description === undefined ? {} : { description }),
        };
        if (Object.keys(changes).length === 0) break;
        batch.catalog.push({ kind: 'revised', partId: partId.toLowerCase(), changes });
        touch(batch.touches, partId.toLowerCase(), position);
        break;
      }
      case 'FitmentPublished':
      case 'FitmentWithdrawn': {
        const { partId, bikeId } = event.type === 'FitmentPublished' ? dataOf(event, 'FitmentPublished') : dataOf(event, 'FitmentWithdrawn');
        fitment({ kind: 'official', partId: partId.toLowerCase(), bikeId: bikeId.toLowerCase(), official: event.type === 'FitmentPublished' ? 'published' : 'withdrawn' });
        break;
      }
      case 'VerificationSubmitted': {
        const { verificationId, partId, bikeId, fits, supersedes } = dataOf(event, 'VerificationSubmitted');
        fitment({
          kind: 'submitted',
          partId: partId.toLowerCase(),
          bikeId: bikeId.toLowerCase(),
          verificationId: verificationId.toLowerCase(),
          fits,
          ...(supersedes === undefined ? {} : { supersedes: supersedes.toLowerCase() }),
        });
        break;
      }
      case 'VerificationRetracted': {
        const { verificationId } = dataOf(event, 'VerificationRetracted');
        fitment({ kind: 'retracted', ...pairOfStream(event), verificationId: verificationId.toLowerCase() });
        break;
      }
      case 'VerificationModerated': {
        const { verificationId, action } = dataOf(event, 'VerificationModerated');
        fitment({ kind: 'moderated', ...pairOfStream(event), verificationId: verificationId.toLowerCase(), hidden: action === 'hidden' });
        break;
      }
      case 'PriceObserved': {
        const { partId, retailerId, priceCents, currency, inStock, observedAt } = dataOf(event, 'PriceObserved');
        batch.prices.push({ partId: partId.toLowerCase(), retailerId: retailerId.toLowerCase(), priceCents, currency, inStock, observedAt: new Date(observedAt), position });
        break;
      }
      default:
        throw new TypeError(`search-documents received ${event.type}, which it does not consume`);
    }
  }
  return batch;
}

/** Records that the event at `position` rewrites the part's document; the latest position wins. */
export function touch(touches: Map<string, bigint>, partId: string, position: bigint): void {
  const held = touches.get(partId);
  if (held === undefined || held < position) touches.set(partId, position);
}

function pairOfStream(event: RecordedEvent): { partId: string; bikeId: string } {
  const { partId, bikeId } = fitmentPairOf(event);
  return { partId: partId.toLowerCase(), bikeId: bikeId.toLowerCase() };
}
