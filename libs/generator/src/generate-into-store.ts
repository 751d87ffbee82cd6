import pg from 'pg';
import { bulkWriteEvents } from './bulk-write-events.js';
import { totalEvents, type ScalePlan } from './scale-plan.js';
import { scaleEvents } from './scale-events.js';

export interface GenerateIntoStoreOptions {
  /** A migrated database (the events table of migration 0002). */
  connectionString: string;
  plan: ScalePlan;
  seed: string;
  batchSize?: number;
  concurrency?: number;
  onProgress?: (committed: number, total: number) => void;
}

export interface GenerateIntoStoreResult {
  events: number;
  lastPosition: bigint;
  seconds: number;
  eventsPerSecond: number;
}

/** The event store already holds events; the generated streams would collide with them. */
export class EventStoreNotEmpty extends Error {
  constructor() {
    super('the event store already holds events; generate into an empty database');
    this.name = 'EventStoreNotEmpty';
  }
}

/**
 * Generates the plan's events and writes them into an empty PostgreSQL event store. Empty because
 * the generator owns the revisions of its streams, and catalog ids are derived from names (a
 * generated "2021 Yamaha MT-07" is the demo catalog's too).
 */
export async function generateIntoStore(options: GenerateIntoStoreOptions): Promise<GenerateIntoStoreResult> {
  const concurrency = options.concurrency ?? 2;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: concurrency + 1, application_name: 'mpp-generate' });
  try {
    const { rows } = await pool.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM events) AS empty');
    if (!rows[0]!.empty) throw new EventStoreNotEmpty();
    const total = totalEvents(options.plan);
    const started = process.hrtime.bigint();
    const result = await bulkWriteEvents(pool, scaleEvents({ plan: options.plan, seed: options.seed }), {
      batchSize: options.batchSize,
      concurrency,
      onProgress: (committed) => options.onProgress?.(committed, total),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { events: result.events, lastPosition: result.lastPosition, seconds, eventsPerSecond: result.events / seconds };
  } finally {
    await pool.end();
  }
}
