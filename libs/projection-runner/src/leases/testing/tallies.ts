import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventToAppend } from '@mpp/event-store';
import { defineProjection, type ProjectionContext, type ProjectionDefinition } from '../../projection.js';

/**
 * Test projections for the lease suites: each counts its events per stream in `<name>_counts`, so
 * a read model is exact when every stream's count equals the events appended to it.
 */
const counts = (name: string) => ({
  name,
  version: 1,
  tables: [`${name}_counts`],
  onPoisonEvent: 'stop' as const,
  async createTables(knex: Knex, schema: string) {
    await knex.schema.withSchema(schema).createTable(`${name}_counts`, (t) => {
      t.text('stream_id').primary();
      t.integer('n').notNullable();
    });
  },
});

async function count(ctx: ProjectionContext, name: string, streamId: string): Promise<void> {
  const table = ctx.qualified(`${name}_counts`);
  await ctx.trx.raw(`INSERT INTO ${table} (stream_id, n) VALUES (?, 1) ON CONFLICT (stream_id) DO UPDATE SET n = ${table}.n + 1`, [streamId]);
}

/** Counts `Counted` events. */
export function tally(name: string): ProjectionDefinition {
  return defineProjection({ ...counts(name), handlers: { Counted: (event, ctx) => count(ctx, name, event.streamId) } });
}

/**
 * Counts `Gated` events. Each batch records `label` in `entered` as its handler begins (its
 * transaction is open and past the lease fence), then waits at the gate `key` (closeGate).
 */
export function gatedTally(name: string, key: number, label: string, entered: string[]): ProjectionDefinition {
  return defineProjection({
    ...counts(name),
    eventTypes: ['Gated'],
    async applyBatch(events, ctx) {
      entered.push(label);
      await ctx.trx.raw('SELECT pg_advisory_xact_lock_shared(?)', [key]);
      for (const event of events) await count(ctx, name, event.streamId);
    },
  });
}

/**
 * A transaction of the test's own holding the advisory lock `key`; a gated tally's batches wait for
 * it inside their transaction, so a batch that reached the gate stays open until `open()`.
 */
export async function closeGate(knex: Knex, key: number): Promise<{ open(): Promise<void> }> {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const held = knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [key]);
    locked();
    await opened;
  });
  await Promise.race([isLocked, held]);
  return {
    open: async () => {
      open();
      await held;
    },
  };
}

export const countedEvent = (type: 'Counted' | 'Gated'): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data: {},
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1, occurredAt: new Date().toISOString() },
});
