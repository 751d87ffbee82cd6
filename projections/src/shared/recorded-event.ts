import { parseEvent, parseStreamName, type DomainEventType, type EventData } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';

/**
 * The checked data of each event object, or why it failed. The runner's shared reading hands the
 * same event objects to every projection, so an event's schema is checked once, not once per
 * projection that reads it (seven of them during a rebuild). Keyed weakly: an event leaves with its page.
 */
const checked = new WeakMap<RecordedEvent, { data: unknown } | { error: unknown }>();

/**
 * The event's data checked against its v1 schema. A handler runs it before writing, so a malformed
 * event fails the handler (and is parked or stops the projection, per its policy) instead of
 * writing half a row. Frozen, because every projection reading the event gets the same object.
 */
export function dataOf<T extends DomainEventType>(event: RecordedEvent, type: T): EventData<T> {
  if (event.type !== type) throw new TypeError(`handler for ${type} received ${event.type}`);
  let outcome = checked.get(event);
  if (outcome === undefined) {
    try {
      outcome = { data: deepFreeze(parseEvent(type, event.data).data) };
    } catch (error) {
      outcome = { error };
    }
    checked.set(event, outcome);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.data as EventData<T>;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const member of Object.values(value)) deepFreeze(member);
  return Object.freeze(value);
}

/**
 * When the fact happened: `metadata.occurredAt` (set by the command from its own clock), else the
 * store's commit time. Never the projector's clock, so a rebuild writes the same times.
 */
export function occurredAt(event: RecordedEvent): Date {
  const stated = typeof event.metadata?.occurredAt === 'string' ? Date.parse(event.metadata.occurredAt) : Number.NaN;
  return Number.isNaN(stated) ? event.createdAt : new Date(stated);
}

/** The (part, bike) a fitment-stream event is about; retractions and moderations name only the verification. */
export function fitmentPairOf(event: RecordedEvent): { partId: string; bikeId: string } {
  const parsed = parseStreamName(event.streamId);
  if (parsed?.kind !== 'fitment') throw new Error(`${event.type} in stream ${event.streamId}, which is not a fitment stream`);
  return { partId: parsed.partId, bikeId: parsed.bikeId };
}
