import type { z } from 'zod';
import { BikeRegisteredData } from '../bike/bike.events.js';
import { BuildCreatedData, BuildDeletedData, BuildUpdatedData } from '../build/build.events.js';
import {
  FitmentPublishedData,
  FitmentWithdrawnData,
  VerificationModeratedData,
  VerificationRetractedData,
  VerificationSubmittedData,
} from '../fitment/fitment.events.js';
import { PartCatalogedData, PartDetailsRevisedData } from '../part/part.events.js';
import { PriceObservedData } from '../price/price.events.js';
import { RetailerRegisteredData } from '../retailer/retailer.events.js';
import { RiderPreferencesChangedData } from '../rider/rider.events.js';

/** The data schema of every v1 event type (DESIGN §4; RiderPreferencesChanged: docs/domain.md). */
export const EVENT_DATA_SCHEMAS = {
  BikeRegistered: BikeRegisteredData,
  PartCataloged: PartCatalogedData,
  PartDetailsRevised: PartDetailsRevisedData,
  RetailerRegistered: RetailerRegisteredData,
  FitmentPublished: FitmentPublishedData,
  FitmentWithdrawn: FitmentWithdrawnData,
  VerificationSubmitted: VerificationSubmittedData,
  VerificationRetracted: VerificationRetractedData,
  VerificationModerated: VerificationModeratedData,
  PriceObserved: PriceObservedData,
  BuildCreated: BuildCreatedData,
  BuildUpdated: BuildUpdatedData,
  BuildDeleted: BuildDeletedData,
  RiderPreferencesChanged: RiderPreferencesChangedData,
} as const;

export type DomainEventType = keyof typeof EVENT_DATA_SCHEMAS;

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as readonly DomainEventType[];

/** Written as `metadata.schemaVersion`; an upcaster raises older versions to this one before parsing. */
export const CURRENT_SCHEMA_VERSION = 1;

export type EventData<T extends DomainEventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;

/**
 * `eventId` is set by a decider only when the fact has a natural identity that makes a retry
 * idempotent at the store (PriceObserved); otherwise the command handler assigns one.
 */
export type DomainEvent = {
  [T in DomainEventType]: { type: T; data: EventData<T>; eventId?: string };
}[DomainEventType];

export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export type BikeRegistered = EventOfType<'BikeRegistered'>;
export type PartCataloged = EventOfType<'PartCataloged'>;
export type PartDetailsRevised = EventOfType<'PartDetailsRevised'>;
export type RetailerRegistered = EventOfType<'RetailerRegistered'>;
export type FitmentPublished = EventOfType<'FitmentPublished'>;
export type FitmentWithdrawn = EventOfType<'FitmentWithdrawn'>;
export type VerificationSubmitted = EventOfType<'VerificationSubmitted'>;
export type VerificationRetracted = EventOfType<'VerificationRetracted'>;
export type VerificationModerated = EventOfType<'VerificationModerated'>;
export type PriceObserved = EventOfType<'PriceObserved'>;
export type BuildCreated = EventOfType<'BuildCreated'>;
export type BuildUpdated = EventOfType<'BuildUpdated'>;
export type BuildDeleted = EventOfType<'BuildDeleted'>;
export type RiderPreferencesChanged = EventOfType<'RiderPreferencesChanged'>;

export type BikeEvent = BikeRegistered;
export type PartEvent = PartCataloged | PartDetailsRevised;
export type RetailerEvent = RetailerRegistered;
export type FitmentEvent = FitmentPublished | FitmentWithdrawn | VerificationSubmitted | VerificationRetracted | VerificationModerated;
export type PriceEvent = PriceObserved;
export type BuildEvent = BuildCreated | BuildUpdated | BuildDeleted;
export type RiderEvent = RiderPreferencesChanged;

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.hasOwn(EVENT_DATA_SCHEMAS, type);
}
