import type { DomainEventType } from '@mpp/domain';
import { eventMetadata, type EventToAppend } from '@mpp/event-store';

/** An event as the generator decided it, with the stream and revision it must be written at. */
export interface GeneratedEvent extends EventToAppend {
  stream: string;
  /** Revision in `stream` (from 0); the generator is the only writer, so it knows them. */
  revision: number;
}

/** What an activity decides; the generator adds ids, correlation and time (`toGeneratedEvent`). */
export interface Fact {
  stream: string;
  revision: number;
  type: DomainEventType;
  data: Record<string, unknown>;
  /** A user id or `system:<job>`. */
  actor: string;
  /** prevHash and hash, on fitment streams. */
  chain?: { prevHash: string; hash: string };
  /** When the fact has a natural identity (PriceObserved). */
  eventId?: string;
}

export interface Envelope {
  eventId: string;
  correlationId: string;
  occurredAt: string;
}

export function toGeneratedEvent(fact: Fact, envelope: Envelope): GeneratedEvent {
  return {
    stream: fact.stream,
    revision: fact.revision,
    eventId: fact.eventId ?? envelope.eventId,
    type: fact.type,
    data: fact.data,
    metadata: {
      // A command's events are caused by the command itself, which the correlation id names.
      ...eventMetadata({ actor: fact.actor, correlationId: envelope.correlationId, causationId: envelope.correlationId, occurredAt: envelope.occurredAt }),
      ...fact.chain,
    },
  };
}
