import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '../event-store.port.js';

type ClientEvent = NonNullable<(ResolvedEvent | AllStreamResolvedEvent)['event']>;

/**
 * The one rule for what the port shows of `$all` (readAll, subscribeToAll, headPosition): not the
 * server's own events (a stream or a type starting with `$`: projections, settings, statistics,
 * stream metadata, links), not unresolved links, not non-JSON events. The subscription also asks the
 * server to leave `$` types out, which saves traffic but decides nothing: this predicate does.
 */
export function isApplicationEvent(event: ClientEvent | undefined): event is ClientEvent {
  return event !== undefined && !event.streamId.startsWith('$') && !event.type.startsWith('$') && event.isJson;
}

/** Commit position of an event: its place in the transaction file, and where a read can start. */
export function commitPositionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint {
  const position = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${resolved.event?.id} without a position; the adapter needs server 22.6 or newer`);
  }
  return position;
}

/** The port's RecordedEvent from a client event, or undefined for what the port does not show. */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!isApplicationEvent(event)) return undefined;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: commitPositionOf(resolved),
    eventId: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as EventMetadata,
    createdAt: event.created,
  };
}
