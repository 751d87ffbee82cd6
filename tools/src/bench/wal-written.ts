import type { Knex } from '@mpp/db';

/** The server's WAL counters (`pg_stat_wal`): how much a phase wrote, and how much of it was whole pages. */
export interface WalReading {
  records: bigint;
  fullPageImages: bigint;
  bytes: bigint;
}

export interface WalWritten {
  records: number;
  fullPageImages: number;
  megabytes: number;
}

/**
 * Cumulative since the server's statistics were reset; backends report theirs at the end of a
 * transaction (within a second when idle), so a reading right after a phase may miss its last
 * second. Undefined where the view cannot be read.
 */
export async function readWal(knex: Knex): Promise<WalReading | undefined> {
  try {
    const { rows } = await knex.raw<{ rows: { records: string; fpi: string; bytes: string }[] }>(
      'SELECT wal_records::text AS records, wal_fpi::text AS fpi, wal_bytes::text AS bytes FROM pg_stat_wal',
    );
    const row = rows[0]!;
    return { records: BigInt(row.records), fullPageImages: BigInt(row.fpi), bytes: BigInt(row.bytes) };
  } catch {
    return undefined;
  }
}

export function walWritten(before: WalReading | undefined, after: WalReading | undefined): WalWritten | undefined {
  if (!before || !after) return undefined;
  return {
    records: Number(after.records - before.records),
    fullPageImages: Number(after.fullPageImages - before.fullPageImages),
    megabytes: Math.round(Number(after.bytes - before.bytes) / 1024 / 1024),
  };
}
