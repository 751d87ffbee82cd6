import { InvalidEvent, ValidationFailed } from '../errors.js';
import { EVENT_DATA_SCHEMAS, isDomainEventType, type DomainEvent, type DomainEventType, type EventData } from './domain-event.js';
import { issuesToFieldErrors } from './issues-to-field-errors.js';

/**
 * Reads a stored (already upcast) event into the typed union. Throws `InvalidEvent` for an unknown
 * type or data that does not match the schema, so a projection can park it as a poison event.
 */
export function parseEvent(type: string, data: unknown): DomainEvent {
  if (!isDomainEventType(type)) {
    throw new InvalidEvent(type, [{ field: 'type', message: `unknown event type ${JSON.stringify(type)}` }]);
  }
  const result = EVENT_DATA_SCHEMAS[type].safeParse(data);
  if (!result.success) throw new InvalidEvent(type, issuesToFieldErrors(result.error.issues, 'data'));
  return { type, data: result.data } as DomainEvent;
}

/**
 * Deciders build event data from commands and check it here before emitting it, so a command can
 * never produce an event its own schema rejects. Failures name command fields, hence ValidationFailed.
 */
export function validatedEventData<T extends DomainEventType>(type: T, data: EventData<T>): EventData<T> {
  const result = EVENT_DATA_SCHEMAS[type].safeParse(data);
  if (!result.success) throw ValidationFailed.of(issuesToFieldErrors(result.error.issues));
  return withoutUndefinedMembers(result.data) as EventData<T>;
}

/** What a JSON round trip through the store would do anyway; keeps decided events equal to the stored ones. */
function withoutUndefinedMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefinedMembers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => [key, withoutUndefinedMembers(member)]),
  );
}
