import type pg from 'pg';
import type { GeneratedEvent } from './generated-event.js';

export interface BulkWriteOptions {
  /** Events per transaction. Default 5,000. */
  batchSize?: number;
  /** Transactions in flight at once (each on its own connection). Default 2. */
  concurrency?: number;
  /** After each committed batch, with the number of events committed so far. */
  onProgress?: (committed: number) => void;
}

export interface BulkWriteResult {
  events: number;
  batches: number;
  lastPosition: bigint;
}

/**
 * Writes generated events straight into the PostgreSQL event store's `events` table, many streams
 * per transaction, keeping the invariants the adapter's gap-free readers rely on
 * (docs/event-store.md): each transaction's first write is `event_store_reserve_positions(n)`, which
 * gives it its transaction id and n consecutive positions under the store's lock, so positions
 * follow transaction ids. Reservations are also taken in batch order (a batch waits for the
 * previous batch's reservation before taking its own), so positions follow the generated order and
 * every stream's revisions increase with position, as readers of the global log expect, even
 * though batches commit concurrently.
 *
 * No concurrency checks: the caller guarantees the revisions are the next ones (the generator is
 * the only writer of its streams); the unique constraints still reject a duplicate.
 */
export async function bulkWriteEvents(pool: pg.Pool, events: Iterable<GeneratedEvent>, options: BulkWriteOptions = {}): Promise<BulkWriteResult> {
  const batchSize = options.batchSize ?? 5_000;
  const concurrency = options.concurrency ?? 2;
  const inFlight = new Set<Promise<void>>();
  let previousReservation: Promise<unknown> = Promise.resolve();
  let committed = 0;
  let batches = 0;
  let lastPosition = 0n;
  let failure: unknown;

  for (const batch of chunks(events, batchSize)) {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure !== undefined) break;
    let reserved!: (position: bigint | undefined) => void;
    const reservation = new Promise<bigint | undefined>((resolve) => (reserved = resolve));
    const after = previousReservation;
    previousReservation = reservation;
    const write = writeBatch(pool, batch, after, reserved).then(
      (last) => {
        committed += batch.length;
        batches += 1;
        if (last > lastPosition) lastPosition = last;
        options.onProgress?.(committed);
      },
      (error: unknown) => {
        reserved(undefined);
        failure ??= error;
      },
    );
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { events: committed, batches, lastPosition };
}

async function writeBatch(
  pool: pg.Pool,
  batch: readonly GeneratedEvent[],
  previousReservation: Promise<unknown>,
  reserved: (position: bigint) => void,
): Promise<bigint> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await previousReservation;
    const { rows } = await client.query<{ first_position: string }>('SELECT first_position::text AS first_position FROM event_store_reserve_positions($1)', [batch.length]);
    const firstPosition = BigInt(rows[0]!.first_position);
    reserved(firstPosition);
    await client.query(INSERT_BATCH, [
      firstPosition.toString(),
      batch.map((e) => e.stream),
      batch.map((e) => e.revision),
      batch.map((e) => e.eventId),
      batch.map((e) => e.type),
      batch.map((e) => JSON.stringify(e.data)),
      batch.map((e) => JSON.stringify(e.metadata)),
    ]);
    await client.query('COMMIT');
    return firstPosition + BigInt(batch.length - 1);
  } catch (error) {
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * One statement per batch, the columns travelling as arrays. Measured against the adapter's shape
 * (the batch as one JSON document, `jsonb_array_elements`): the same speed within noise, ~40,000
 * events/s on 2 cores; PostgreSQL's jsonb parsing and three unique indexes are the cost either way.
 */
const INSERT_BATCH = `
  INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
  SELECT $1::bigint + e.ordinal - 1, e.stream_id, e.revision, e.event_id, e.type, e.data::jsonb, e.metadata::jsonb
    FROM unnest($2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS e (stream_id, revision, event_id, type, data, metadata, ordinal)`;

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
