import type pg from 'pg';

/**
 * Reserves `count` consecutive global positions and gives the transaction its id, both under one
 * short advisory lock (function `event_store_reserve_positions`, migration 0002). So positions are
 * handed out in transaction-id order, and a reader that only returns events of transactions older
 * than every running one (read-all-page.ts) always returns a prefix of the log: no gaps.
 * Must be the transaction's first write.
 */
export async function reservePositions(client: pg.PoolClient, count: number): Promise<bigint> {
  const { rows } = await client.query<{ first_position: string }>(
    'SELECT first_position::text AS first_position FROM event_store_reserve_positions($1)',
    [count],
  );
  return BigInt(rows[0]!.first_position);
}
