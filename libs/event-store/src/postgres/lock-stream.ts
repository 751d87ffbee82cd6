import type pg from 'pg';
import { streamLockClass } from './schema.js';

/**
 * Serialises appends to one stream until the transaction ends. An advisory lock rather than a row
 * lock because a row lock would give the transaction an id before its positions are reserved (see
 * reserve-positions.ts). The unique (stream_id, revision) constraint stays as the backstop.
 */
export async function lockStream(client: pg.PoolClient, stream: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [streamLockClass, stream]);
}
