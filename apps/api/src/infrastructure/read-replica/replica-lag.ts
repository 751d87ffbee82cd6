import type { Knex } from '@mpp/db';

export interface ReplicaLag {
  /** False: the server answering is not a standby (promoted, or DATABASE_READ_URL names a primary). */
  standby: boolean;
  /**
   * How long ago the newest transaction it has replayed committed on the primary, while WAL it has
   * received still waits to be replayed; 0 when it has replayed everything it received.
   */
  lagMs: number;
  replayPaused: boolean;
}

/** Asked of the replica itself: replay delay by the primary's commit timestamps, no clock of ours involved. */
export async function replicaLag(replica: Knex, timeoutMs: number): Promise<ReplicaLag> {
  const { rows } = await replica
    .raw<{ rows: { standby: boolean; lag_ms: number | null; paused: boolean | null }[] }>(
      `SELECT pg_is_in_recovery() AS standby,
              CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 END AS lag_ms,
              CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() <> 'not paused' ELSE false END AS paused`,
    )
    .timeout(timeoutMs, { cancel: true });
  const row = rows[0]!;
  return { standby: row.standby, lagMs: Math.max(0, row.lag_ms ?? 0), replayPaused: row.paused ?? false };
}
