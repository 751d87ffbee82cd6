import { EVENT_ENVELOPE_COLUMNS, eventDataColumns, isDomainEventType, type EventColumn, type EventColumnKind } from '@mpp/domain';
import type { RecordedEvent } from '../event-store.port.js';
import { isoToMicros, type Micros } from './instants.js';

/** One event with its commit time at full precision: a row of an export. */
export interface ExportRow {
  event: RecordedEvent;
  recordedAt: Micros;
}

/**
 * A column value in one shape for every format: bigint for bigint and timestamptz columns
 * (microseconds), number, boolean, string (uuid, text), a plain value for json, null when absent.
 */
export type ExportValue = bigint | number | boolean | string | Record<string, unknown> | unknown[] | null;

export interface ExportColumn extends EventColumn {
  valueOf(row: ExportRow): ExportValue;
}

/**
 * The columns of a tabular export (CSV, Parquet). One event type: the envelope and its data members
 * as typed columns (the same names and types as its `analytics` view). Several or all types: the
 * envelope, then `data` and `metadata` as JSON.
 */
export function exportColumnsFor(types: readonly string[]): ExportColumn[] {
  const envelope = EVENT_ENVELOPE_COLUMNS.map((column) => ({ ...column, valueOf: envelopeValue(column.name) }));
  const only = types.length === 1 ? types[0] : undefined;
  if (only !== undefined && isDomainEventType(only)) {
    return [
      ...envelope,
      ...eventDataColumns(only).map((column) => ({ ...column, valueOf: (row: ExportRow) => typed(column.kind, row.event.data[column.field]) })),
    ];
  }
  return [
    ...envelope,
    { name: 'data', kind: 'json', nullable: false, valueOf: (row) => row.event.data },
    { name: 'metadata', kind: 'json', nullable: false, valueOf: (row) => row.event.metadata },
  ];
}

function envelopeValue(name: string): (row: ExportRow) => ExportValue {
  switch (name) {
    case 'position':
      return (row) => row.event.position;
    case 'stream_id':
      return (row) => row.event.streamId;
    case 'revision':
      return (row) => row.event.revision;
    case 'event_id':
      return (row) => row.event.eventId;
    case 'type':
      return (row) => row.event.type;
    case 'occurred_at':
      return (row) => isoToMicros(row.event.metadata.occurredAt);
    case 'recorded_at':
      return (row) => row.recordedAt;
    case 'actor':
      return (row) => row.event.metadata.actor;
    case 'schema_version':
      return (row) => row.event.metadata.schemaVersion;
    default:
      throw new Error(`no export value for the envelope column ${name}`);
  }
}

function typed(kind: EventColumnKind, value: unknown): ExportValue {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'bigint':
      return BigInt(value as number);
    case 'timestamptz':
      return isoToMicros(String(value));
    case 'integer':
    case 'double':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    case 'json':
      return value as Record<string, unknown>;
    default:
      return String(value);
  }
}
