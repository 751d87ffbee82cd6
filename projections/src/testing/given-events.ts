import { randomUUID } from 'node:crypto';
import {
  bikeIdFor,
  buildStream,
  bikeStream,
  fitmentStream,
  partIdFor,
  partStream,
  priceStream,
  retailerIdFor,
  retailerStream,
  type BuildPart,
  type BuildVisibility,
  type DomainEventType,
  type EventData,
  type FitmentSource,
  type PartCategory,
  type SealedFields,
  sealPersonalText,
} from '@mpp/domain';
import { eventMetadata, type RecordedEvent } from '@mpp/event-store';

/**
 * The vocabulary of projection tests: one builder per v1 event, with valid defaults, so a test
 * states only what matters to it. Ids are the domain's derived ones where the domain derives them
 * (bike, part, retailer); names carry a random suffix so tests sharing one database never meet.
 */
export type GivenEvent = {
  [T in DomainEventType]: { stream: string; type: T; data: EventData<T>; occurredAt?: string; sealed?: SealedFields };
}[DomainEventType];

/** When a test does not say when an event happened. */
export const DEFAULT_OCCURRED_AT = '2025-03-01T12:00:00.000Z';

export interface Pair {
  partId: string;
  bikeId: string;
}

export const unique = (): string => randomUUID().slice(0, 8);

/** The same event, stated to have happened at `occurredAt` (its metadata). */
export const at = <E extends GivenEvent>(occurredAt: string, event: E): E => ({ ...event, occurredAt });

/** The same event with its free text sealed under `key`, as the API appends it (docs/domain.md "Sealed free text"). */
export function sealedWith<E extends GivenEvent>(key: Buffer, event: E): E {
  const { data, sealed } = sealPersonalText(event.type, event.data as Record<string, unknown>, key);
  return { ...event, data: data as E['data'], ...(sealed ? { sealed } : {}) };
}

export function bikeRegistered(fields: Partial<Omit<EventData<'BikeRegistered'>, 'bikeId'>> = {}) {
  const data = { year: 2021, make: 'Yamaha', model: `MT-07 ${unique()}`, ...fields };
  const bikeId = bikeIdFor(data.year, data.make, data.model, data.trim);
  return { stream: bikeStream(bikeId), type: 'BikeRegistered', data: { bikeId, ...data } } satisfies GivenEvent;
}

export function partCataloged(fields: Partial<Omit<EventData<'PartCataloged'>, 'partId' | 'category'>> & { category?: PartCategory } = {}) {
  const data = { sku: `SKU-${unique()}`, brand: 'Akrapovič', name: `Slip-On Line ${unique()}`, category: 'exhaust' as PartCategory, ...fields };
  const partId = partIdFor(data.sku);
  return { stream: partStream(partId), type: 'PartCataloged', data: { partId, ...data } } satisfies GivenEvent;
}

export function partDetailsRevised(partId: string, changes: Omit<EventData<'PartDetailsRevised'>, 'partId'>) {
  return { stream: partStream(partId), type: 'PartDetailsRevised', data: { partId, ...changes } } satisfies GivenEvent;
}

export function retailerRegistered(fields: Partial<Omit<EventData<'RetailerRegistered'>, 'retailerId'>> = {}) {
  const data = { name: `Moto Shop ${unique()}`, baseUrl: 'https://shop.example/', ...fields };
  const retailerId = retailerIdFor(data.name);
  return { stream: retailerStream(retailerId), type: 'RetailerRegistered', data: { retailerId, ...data } } satisfies GivenEvent;
}

export function fitmentPublished(pair: Pair, source: FitmentSource = 'manufacturer') {
  return { stream: fitmentStream(pair.partId, pair.bikeId), type: 'FitmentPublished', data: { ...pair, source } } satisfies GivenEvent;
}

export function fitmentWithdrawn(pair: Pair, source: FitmentSource = 'staff', reason = 'Recalled by the manufacturer') {
  return { stream: fitmentStream(pair.partId, pair.bikeId), type: 'FitmentWithdrawn', data: { ...pair, source, reason } } satisfies GivenEvent;
}

export function verificationSubmitted(
  pair: Pair,
  fields: { userId: string; fits: boolean; notes?: string; supersedes?: string; verificationId?: string },
) {
  const { verificationId = randomUUID(), ...rest } = fields;
  return {
    stream: fitmentStream(pair.partId, pair.bikeId),
    type: 'VerificationSubmitted',
    data: { verificationId, ...pair, ...rest },
  } satisfies GivenEvent;
}

export function verificationRetracted(pair: Pair, verificationId: string, userId: string, reason?: string) {
  return {
    stream: fitmentStream(pair.partId, pair.bikeId),
    type: 'VerificationRetracted',
    data: { verificationId, userId, ...(reason === undefined ? {} : { reason }) },
  } satisfies GivenEvent;
}

export function verificationModerated(pair: Pair, verificationId: string, action: 'hidden' | 'restored', moderatorId = 'user-moderator-1') {
  return {
    stream: fitmentStream(pair.partId, pair.bikeId),
    type: 'VerificationModerated',
    data: { verificationId, moderatorId, action, reason: action === 'hidden' ? 'Spam' : 'Appeal upheld' },
  } satisfies GivenEvent;
}

export function priceObserved(
  partId: string,
  retailerId: string,
  fields: { priceCents: number; observedAt: string; inStock?: boolean; currency?: string; url?: string },
) {
  const { inStock = true, currency = 'EUR', url = `https://shop.example/p/${partId}`, ...rest } = fields;
  return {
    stream: priceStream(partId, retailerId),
    type: 'PriceObserved',
    data: { partId, retailerId, inStock, currency, url, source: 'feed:test', ...rest },
  } satisfies GivenEvent;
}

export function buildCreated(fields: { ownerId: string; bikeId: string; name?: string; visibility?: BuildVisibility; buildId?: string }) {
  const { buildId = randomUUID(), name = 'Weekend tourer', visibility = 'private', ...rest } = fields;
  return { stream: buildStream(buildId), type: 'BuildCreated', data: { buildId, name, visibility, ...rest } } satisfies GivenEvent;
}

export function buildUpdated(
  created: { data: EventData<'BuildCreated'> },
  fields: { revision: number; parts: BuildPart[]; changes: EventData<'BuildUpdated'>['changes']; name?: string; bikeId?: string; visibility?: BuildVisibility },
) {
  const { buildId, ownerId, name, bikeId, visibility } = created.data;
  return {
    stream: buildStream(buildId),
    type: 'BuildUpdated',
    data: { buildId, ownerId, name, bikeId, visibility, ...fields },
  } satisfies GivenEvent;
}

export function buildDeleted(buildId: string) {
  return { stream: buildStream(buildId), type: 'BuildDeleted', data: { buildId } } satisfies GivenEvent;
}

/** The events as the runner hands them over, at positions 1, 2, 3... of the log; occurred at noon unless stated. */
export function recordedEvents(events: readonly GivenEvent[], firstPosition = 1): RecordedEvent[] {
  return events.map((event, index) => ({
    streamId: event.stream,
    revision: 0n,
    position: BigInt(firstPosition + index),
    eventId: randomUUID(),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: eventMetadata({ correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', occurredAt: event.occurredAt ?? DEFAULT_OCCURRED_AT }),
    createdAt: new Date('2025-01-01T00:00:00.000Z'),
  }));
}
