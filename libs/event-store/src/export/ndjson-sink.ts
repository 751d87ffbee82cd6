import type { ExportRow } from './export-columns.js';
import type { ExportSink } from './export-sink.js';
import { microsToIso } from './instants.js';
import { writeChunk } from './write-chunk.js';

/** One exported line. Positions and revisions are JSON numbers up to 2^53, strings beyond (JSON numbers lose precision there). */
export interface ExportedEvent {
  position: number | string;
  streamId: string;
  revision: number | string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** The store's commit time, to the microsecond: `2025-03-01T08:12:00.412345Z`. */
  createdAt: string;
}

export function toExportedEvent({ event, recordedAt }: ExportRow): ExportedEvent {
  return {
    position: safeNumber(event.position),
    streamId: event.streamId,
    revision: safeNumber(event.revision),
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    createdAt: microsToIso(recordedAt),
  };
}

export function safeNumber(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

export function ndjsonSink(out: NodeJS.WritableStream): ExportSink {
  return {
    async write(rows) {
      if (rows.length > 0) await writeChunk(out, rows.map((row) => `${JSON.stringify(toExportedEvent(row))}\n`).join(''));
    },
    async end() {},
  };
}
