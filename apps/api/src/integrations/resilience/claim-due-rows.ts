import type { Knex } from '@mpp/db';

export interface ClaimDueRows {
  /** A queue table with `id`, `status`, `attempts` and `next_attempt_at` (email_outbox, audit_witness_deliveries). */
  table: string;
  returning: readonly string[];
  now: Date;
  /** Claimed rows are invisible to other senders this long; a sender that dies mid-call leaves them to be retried. */
  leaseMs: number;
  batchSize: number;
}

/**
 * Takes the due pending rows of an outbound queue with SKIP LOCKED, so concurrent senders (several
 * API instances) never pick the same row, counts the attempt and leases the rows.
 */
export async function claimDueRows<Row>(knex: Knex, claim: ClaimDueRows): Promise<Row[]> {
  const { rows } = await knex.raw<{ rows: Row[] }>(
    `UPDATE ?? SET attempts = attempts + 1, next_attempt_at = ?
     WHERE id IN (
       SELECT id FROM ??
       WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at
       LIMIT ?
       FOR UPDATE SKIP LOCKED)
     RETURNING ??`,
    [claim.table, new Date(claim.now.getTime() + claim.leaseMs), claim.table, claim.now, claim.batchSize, [...claim.returning]],
  );
  return rows;
}
