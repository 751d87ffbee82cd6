import { CURRENT_SCHEMA_VERSION, chainMetadata, isFitmentStream, personalTextOwner, sealPersonalText, type ChainHead, type SealedFields } from '@mpp/domain';
import type { EventMetadata, EventToAppend } from '../event-store.port.js';
import type { CommandContext } from './command-context.js';
import { newEventId } from './new-event-id.js';

/**
 * What every event of one command shares (DESIGN §3). `occurredAt` is the exact string stored and
 * hashed, so writers that already hold it as text (the test harness, the generator) pass it as is.
 */
export interface EventEnvelope {
  actor: string;
  correlationId: string;
  causationId: string;
  occurredAt: string;
}

export function envelopeOf(context: CommandContext): EventEnvelope {
  return { actor: context.actor, correlationId: context.correlationId, causationId: context.causationId, occurredAt: context.now.toISOString() };
}

/** The one place event metadata is built, for the command shell, appends outside it, the harnesses and the generator. */
export function eventMetadata(envelope: EventEnvelope): EventMetadata {
  return {
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    actor: envelope.actor,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    occurredAt: envelope.occurredAt,
  };
}

/** An event as it will be stored: free text already replaced by its commitment, the ciphertext in `sealed`. */
export interface SealedEvent {
  type: string;
  data: Record<string, unknown>;
  /** When the event has a natural identity (PriceObserved); a random UUID otherwise. */
  eventId?: string | undefined;
  sealed?: SealedFields | undefined;
}

/** Seals the event's free text under its owner's key; `keyFor` is asked only when there is text to seal. */
export async function sealEvent(
  event: { type: string; data: object; eventId?: string | undefined },
  keyFor: (owner: string) => Promise<Buffer>,
): Promise<SealedEvent> {
  const data = event.data as Record<string, unknown>;
  const owner = personalTextOwner(event.type, data);
  if (owner === undefined) return { type: event.type, eventId: event.eventId, data };
  return { type: event.type, eventId: event.eventId, ...sealPersonalText(event.type, data, await keyFor(owner)) };
}

/**
 * The events of one append with their full metadata: the envelope, the sealed text, and on fitment
 * streams the hash chain continued from `head`. Sealed before hashing: the chain covers the
 * commitments, never the text. Pure but for the new event ids.
 */
export function eventsToAppend(stream: string, events: readonly SealedEvent[], head: ChainHead, envelope: EventEnvelope): EventToAppend[] {
  const metadata = eventMetadata(envelope);
  // The hash covers actor and occurredAt (hash version 2), taken from the same envelope.
  const chain = isFitmentStream(stream) ? chainMetadata(events, head, envelope) : undefined;
  return events.map((event, index) => ({
    eventId: event.eventId ?? newEventId(),
    type: event.type,
    data: event.data,
    metadata: { ...metadata, ...(chain ? chain[index] : {}), ...(event.sealed ? { sealed: event.sealed } : {}) },
  }));
}
