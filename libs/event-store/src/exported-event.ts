import type { RecordedEvent } from './event-store.port.js';

/**
 * An event as JSON outside the process (`mpp events export` lines, verification proofs): bigints
 * as strings, because JSON numbers lose precision past 2^53. One shape, so one verifier reads both.
 */
export interface ExportedEvent {
  position: string;
  streamId: string;
  revision: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export function toExportedEvent(event: RecordedEvent): ExportedEvent {
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision.toString(),
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    createdAt: event.createdAt.toISOString(),
  };
}
