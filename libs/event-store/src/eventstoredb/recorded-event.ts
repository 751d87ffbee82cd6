import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '../event-store.port.js';

/**
 * The port's RecordedEvent from a client event, or undefined for what the port does not show:
 * system streams (`$`-prefixed: projections, settings, statistics) and unresolved links.
 * Position is the commit position in the transaction file, which grows with every event written.
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.streamId.startsWith('$') || !event.isJson) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${event.id} without a position; the adapter needs server 22.6 or newer`);
  }
  return {
    streamId: event.streamId,
    revision: event.revision,
    position,
    eventId: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as EventMetadata,
    createdAt: event.created,
  };
}
