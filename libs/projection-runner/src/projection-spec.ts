import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { contextFor } from './apply-batch.js';
import { batchHandlerOf, eventTypesOf, type ProjectionDefinition } from './projection.js';
import { qualify } from './projection-schema.js';

/** One event of a spec's history; what the store would add (positions, ids, revisions) is filled in. */
export interface SpecEvent {
  type: string;
  data: Record<string, unknown>;
  /** Default `spec-<n>`; give the real stream name when the projection reads it (fitment pairs). */
  streamId?: string;
  /** ISO-8601 instant; default 2025-01-01T00:00:00Z plus n seconds. Also the commit time. */
  occurredAt?: string;
  actor?: string;
}

/**
 * Given events / Then rows: after the events, each named table holds exactly these rows, compared
 * on the columns the rows name, in any order, values as PostgreSQL's `to_jsonb` writes them
 * (numbers, strings, dates as `2025-03-01`, timestamptz as `2025-03-01T08:00:00+00:00`).
 */
export interface ProjectionSpec {
  name: string;
  given: readonly SpecEvent[];
  then: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

export function specEvent(type: string, data: Record<string, unknown>, options: Omit<SpecEvent, 'type' | 'data'> = {}): SpecEvent {
  return { type, data, ...options };
}

/** `given(a, b).then('what it shows', { table: [rows] })`: a spec, read as it runs. */
export function given(...events: SpecEvent[]): { then(name: string, tables: ProjectionSpec['then']): ProjectionSpec } {
  return { then: (name, tables) => ({ name, given: events, then: tables }) };
}

export interface SpecResult {
  name: string;
  passed: boolean;
  /** Per table whose rows differ: what the spec expected and what the projection wrote (on the expected columns). */
  differences: { table: string; expected: unknown[]; actual: unknown[] }[];
}

const SPEC_EPOCH = Date.parse('2025-01-01T00:00:00.000Z');

export function recordedEventsOf(events: readonly SpecEvent[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return events.map((event, index) => {
    const streamId = event.streamId ?? `spec-${index + 1}`;
    const revision = revisions.get(streamId) ?? 0n;
    revisions.set(streamId, revision + 1n);
    const occurredAt = event.occurredAt ?? new Date(SPEC_EPOCH + index * 1000).toISOString();
    return {
      streamId,
      revision,
      position: BigInt(index + 1),
      eventId: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { actor: event.actor ?? 'system:spec', occurredAt, schemaVersion: 1, correlationId: randomUUID(), causationId: randomUUID() },
      createdAt: new Date(occurredAt),
    };
  });
}

/**
 * Runs one spec in a transaction that is rolled back: a schema of its own, the projection's tables,
 * its handlers over the given events (only the types it consumes, as the runner hands them), then the
 * rows. Nothing stays in the database, so it can run against any database the projection's SQL fits.
 */
export async function runProjectionSpec(knex: Knex, projection: ProjectionDefinition, spec: ProjectionSpec): Promise<SpecResult> {
  const schema = `mpp_spec_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const differences: SpecResult['differences'] = [];
  const rollback = new Error('roll back the spec');
  await knex
    .transaction(async (trx) => {
      await trx.raw(`CREATE SCHEMA "${schema}"`);
      await projection.createTables(trx, schema);
      const types = eventTypesOf(projection);
      const events = recordedEventsOf(spec.given).filter((event) => types.has(event.type));
      if (events.length > 0) await batchHandlerOf(projection)(events, contextFor(trx, schema, 1));
      for (const [table, rows] of Object.entries(spec.then)) {
        const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        const { rows: written } = await trx.raw<{ rows: { row: Record<string, unknown> }[] }>(`SELECT to_jsonb(t) AS row FROM ${qualify(schema, table)} t`);
        const actual = sortedJson(written.map(({ row }) => (columns.length > 0 ? Object.fromEntries(columns.map((c) => [c, row[c] ?? null])) : row)));
        const expected = sortedJson(rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push({ table, expected, actual });
      }
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return { name: spec.name, passed: differences.length === 0, differences };
}

function sortedJson(rows: Record<string, unknown>[]): unknown[] {
  return rows.map((row) => JSON.stringify(row)).sort().map((text) => JSON.parse(text) as unknown);
}
