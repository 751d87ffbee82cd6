import type { Knex } from 'knex';

/** Verification receipts one rider gets per rolling 24 hours; later verifications are not mailed. */
export const RECEIPTS_PER_DAY = 10;

/**
 * How many more receipts each rider may still get in the current 24 hours. A cap rather than a
 * digest: a receipt confirms an action the rider just took, and after ten in a day the eleventh
 * confirms nothing new; "my verifications" lists every one. The outbox is the counter (indexed by
 * recipient), read inside the reactor's batch transaction, which one runner at a time holds.
 */
export async function receiptsLeftToday(trx: Knex.Transaction, userIds: readonly string[]): Promise<Map<string, number>> {
  const left = new Map(userIds.map((id) => [id, RECEIPTS_PER_DAY]));
  if (userIds.length === 0) return left;
  const rows: { to_user_id: string; n: number }[] = await trx('email_outbox')
    .where({ kind: 'verification-received' })
    .whereIn('to_user_id', userIds)
    .andWhere('created_at', '>', trx.raw(`now() - interval '24 hours'`))
    .groupBy('to_user_id')
    .select('to_user_id', trx.raw('count(*)::int AS n'));
  for (const row of rows) left.set(row.to_user_id, Math.max(0, RECEIPTS_PER_DAY - row.n));
  return left;
}
