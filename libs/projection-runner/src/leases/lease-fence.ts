import type { Knex } from 'knex';

/** This process no longer holds the projection's lease: the batch rolls back and its runner stops (no retry). */
export class LeaseLost extends Error {
  constructor(projection: string, holder: string) {
    super(`lease on ${projection} is no longer held by ${holder}`);
    this.name = 'LeaseLost';
  }
}

/**
 * A batch's first statement under leases: checks that this process still owns the projection's
 * lease and keeps it so until the batch ends. FOR KEY SHARE lets the holder's own renewal (an
 * UPDATE of non-key columns) pass, but not another process's take-over (acquireLeases locks FOR
 * UPDATE SKIP LOCKED and so skips the row): a lease moves only between batches, and a batch left
 * open by a holder that stalled holds its successor back instead of overlapping it. A holder
 * whose lease ran out but that nobody took yet may finish its batch: no other batch can run then.
 */
export async function holdLeaseForBatch(trx: Knex.Transaction, projection: string, holder: string): Promise<void> {
  const { rows } = await trx.raw<{ rows: unknown[] }>('SELECT 1 FROM projection_leases WHERE projection = ? AND owner = ? FOR KEY SHARE', [projection, holder]);
  if (rows.length === 0) throw new LeaseLost(projection, holder);
}
