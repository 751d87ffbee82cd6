import type { z } from 'zod';
import { EVENT_DATA_SCHEMAS, type DomainEventType } from './domain-event.js';

/**
 * How a value of an event's data is typed once it is a column (the `analytics` views, typed Parquet
 * exports): derived from the event schemas, so a new field or event type reaches SQL and files
 * without a hand-kept second description. Nested values (lists, records) stay JSON.
 */
export type EventColumnKind = 'uuid' | 'text' | 'integer' | 'bigint' | 'double' | 'boolean' | 'timestamptz' | 'json';

export interface EventColumn {
  /** Column name, snake case. */
  name: string;
  kind: EventColumnKind;
  nullable: boolean;
}

export interface EventDataColumn extends EventColumn {
  /** The member of `data` it comes from. */
  field: string;
}

/**
 * The envelope every tabular event row starts with. `occurred_at` is `metadata.occurredAt` (when it
 * happened), `recorded_at` the store's commit time; the two clocks of DESIGN §10.
 */
export const EVENT_ENVELOPE_COLUMNS: readonly EventColumn[] = [
  { name: 'position', kind: 'bigint', nullable: false },
  { name: 'stream_id', kind: 'text', nullable: false },
  { name: 'revision', kind: 'bigint', nullable: false },
  { name: 'event_id', kind: 'uuid', nullable: false },
  { name: 'type', kind: 'text', nullable: false },
  { name: 'occurred_at', kind: 'timestamptz', nullable: false },
  { name: 'recorded_at', kind: 'timestamptz', nullable: false },
  { name: 'actor', kind: 'text', nullable: false },
  { name: 'schema_version', kind: 'integer', nullable: false },
];

const ENVELOPE_NAMES = new Set(EVENT_ENVELOPE_COLUMNS.map((column) => column.name));
const INT32_MAX = 2 ** 31 - 1;

export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** `analytics.<this>`: the event type in snake case (`PriceObserved` -> `price_observed`). */
export function eventTableName(type: string): string {
  return snakeCase(type);
}

/**
 * The data members of an event type as columns, in schema order. A member whose snake-case name is
 * an envelope column (BuildUpdated's `revision`) is prefixed `data_`, so both stay readable.
 */
export function eventDataColumns(type: DomainEventType): EventDataColumn[] {
  const shape = (EVENT_DATA_SCHEMAS[type] as unknown as z.ZodObject).shape;
  return Object.entries(shape).map(([field, schema]) => {
    const { kind, nullable } = columnKindOf(schema as z.ZodType, `${type}.${field}`);
    const snake = snakeCase(field);
    return { field, name: ENVELOPE_NAMES.has(snake) ? `data_${snake}` : snake, kind, nullable };
  });
}

function columnKindOf(schema: z.ZodType, where: string): { kind: EventColumnKind; nullable: boolean } {
  const def = schema._zod.def as { type: string; format?: string; innerType?: z.ZodType };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return { kind: columnKindOf(def.innerType!, where).kind, nullable: true };
    case 'string':
      return { kind: def.format === 'uuid' ? 'uuid' : def.format === 'datetime' ? 'timestamptz' : 'text', nullable: false };
    case 'enum':
      return { kind: 'text', nullable: false };
    case 'boolean':
      return { kind: 'boolean', nullable: false };
    case 'number': {
      const number = schema as z.ZodNumber;
      if (!number.isInt) return { kind: 'double', nullable: false };
      const fitsInt32 = (number.maxValue ?? Infinity) <= INT32_MAX && (number.minValue ?? -Infinity) >= -INT32_MAX - 1;
      return { kind: fitsInt32 ? 'integer' : 'bigint', nullable: false };
    }
    case 'array':
    case 'record':
    case 'object':
    case 'union':
      return { kind: 'json', nullable: false };
    default:
      // A new kind of schema must get a deliberate column type, not a silent text fallback.
      throw new Error(`${where}: no column type for a zod ${def.type} schema (libs/domain/src/events/event-columns.ts)`);
  }
}
