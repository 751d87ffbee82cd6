import type pg from 'pg';

/**
 * BEGIN … COMMIT on a pooled client. When ROLLBACK itself fails the connection is broken, so it is
 * destroyed instead of returned to the pool; the caller gets the original error either way.
 * A failed COMMIT leaves the outcome unknown: callers retry with the same event ids, which the
 * idempotency rule makes safe.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let connectionBroken = false;
  // A checked-out client reports a dropped socket as an 'error' event besides failing the query;
  // unheard, that event would crash the process.
  const onConnectionError = () => {
    connectionBroken = true;
  };
  client.on('error', onConnectionError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!connectionBroken) {
      connectionBroken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
    }
    throw error;
  } finally {
    client.off('error', onConnectionError);
    client.release(connectionBroken);
  }
}
