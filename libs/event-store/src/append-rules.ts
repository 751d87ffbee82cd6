import type { AppendResult, EventToAppend, ExpectedRevision } from './event-store.port.js';
import { DuplicateEventIds, WrongExpectedRevision, type ActualRevision } from './errors.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Programming errors, refused before any I/O and the same on every adapter. */
export function validateAppend(stream: string, events: readonly EventToAppend[]): void {
  if (stream.length === 0) throw new RangeError('stream name must not be empty');
  if (events.length === 0) throw new RangeError(`append to ${stream}: at least one event is required`);
  const seen = new Set<string>();
  for (const { eventId } of events) {
    if (!uuidPattern.test(eventId)) throw new RangeError(`append to ${stream}: event id ${eventId} is not a UUID`);
    const key = eventId.toLowerCase();
    if (seen.has(key)) throw new RangeError(`append to ${stream}: event id ${eventId} appears twice in one append`);
    seen.add(key);
  }
}

/** The expected-revision rule where the store does not check it itself (EventStoreDB's id look-up path). */
export function assertExpectedRevision(stream: string, expected: ExpectedRevision, actual: ActualRevision): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'exists' && actual !== 'no_stream') ||
    (typeof expected === 'bigint' && actual === expected);
  if (!ok) throw new WrongExpectedRevision(stream, expected, actual);
}

export interface StoredEventPlace {
  eventId: string;
  streamId: string;
  revision: bigint;
  position: bigint;
}

/**
 * The idempotency rule. When some event ids of an append are already stored:
 * - every id is stored, in this stream, in this order, at consecutive revisions: the append already
 *   happened (a retry after a timeout, a re-run job), so its original result is returned and nothing is written;
 * - anything else: DuplicateEventIds, a conflict. Writing the new part would split one decision in two.
 */
export function replayedAppendResult(
  stream: string,
  events: readonly EventToAppend[],
  stored: readonly StoredEventPlace[],
): AppendResult {
  const byId = new Map(stored.map((place) => [place.eventId.toLowerCase(), place]));
  const places = events.map((event) => byId.get(event.eventId.toLowerCase()));
  const exactReplay = places.every(
    (place, index) =>
      place !== undefined &&
      place.streamId === stream &&
      (index === 0 || place.revision === places[index - 1]!.revision + 1n),
  );
  if (!exactReplay) {
    throw new DuplicateEventIds(
      stream,
      events.filter((event) => byId.has(event.eventId.toLowerCase())).map((event) => event.eventId),
    );
  }
  const last = places[places.length - 1]!;
  return { nextRevision: last.revision, position: last.position };
}
