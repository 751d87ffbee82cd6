import type { Knex } from 'knex';

/** Who holds one projection's lease, as the database records it. */
export interface ProjectionLease {
  projection: string;
  /** Null when nobody holds it (released, or never taken). */
  owner: string | null;
  heartbeatAt: Date | null;
  expiresAt: Date | null;
  /** The lease ran out without being renewed or released: its holder died or stalled. */
  expired: boolean;
}

/** One row per projection, so that taking a lease is always an UPDATE of an existing row. */
export async function ensureLeaseRows(knex: Knex, names: readonly string[]): Promise<void> {
  await knex.raw('INSERT INTO projection_leases (projection) SELECT unnest(?::text[]) ON CONFLICT (projection) DO NOTHING', [[...names]]);
}

/**
 * Takes up to `limit` of the named leases that are free (released or expired), or with `freeForMs`
 * only those free for at least that long. One statement; rows another process is taking at this
 * moment are skipped rather than waited for, and the row lock re-checks expiry on the newest
 * version, so two processes can never both take one lease. A lease never held (its row just made,
 * expiry '-infinity') has no "free since": `freeForMs` never takes it.
 */
export async function acquireLeases(knex: Knex, owner: string, names: readonly string[], limit: number, ttlMs: number, freeForMs = 0): Promise<string[]> {
  if (limit <= 0 || names.length === 0) return [];
  const free = freeForMs > 0 ? `isfinite(expires_at) AND expires_at < now() - ${Math.round(freeForMs)} * interval '1 millisecond'` : 'expires_at < now()';
  const { rows } = await knex.raw<{ rows: { projection: string }[] }>(
    `UPDATE projection_leases SET owner = ?, heartbeat_at = now(), acquired_at = now(), expires_at = now() + ? * interval '1 millisecond'
      WHERE projection IN (
        SELECT projection FROM projection_leases
         WHERE projection = ANY(?::text[]) AND (${free} OR owner = ?)
         ORDER BY random() LIMIT ? FOR UPDATE SKIP LOCKED)
      RETURNING projection`,
    [owner, ttlMs, [...names], owner, limit],
  );
  return rows.map((r) => r.projection);
}

/**
 * Extends the leases this process still holds; returns those it still holds. A lease missing from
 * the answer was taken by another process (or released): stop it. One that ran out but that nobody
 * took is still this process's: a late renewal (a busy machine) keeps it rather than forcing a hand-over.
 */
export async function renewLeases(knex: Knex, owner: string, names: readonly string[], ttlMs: number): Promise<string[]> {
  if (names.length === 0) return [];
  const { rows } = await knex.raw<{ rows: { projection: string }[] }>(
    `UPDATE projection_leases SET heartbeat_at = now(), expires_at = now() + ? * interval '1 millisecond'
      WHERE projection = ANY(?::text[]) AND owner = ?
      RETURNING projection`,
    [ttlMs, [...names], owner],
  );
  return rows.map((r) => r.projection);
}

/**
 * Hands a lease back at once (after its projection stopped), so another process need not wait for
 * expiry. Its expiry becomes the moment of release: how long it has been free tells a lease nobody
 * takes (acquireLeases' `freeForMs`) from one just handed over.
 */
export async function releaseLease(knex: Knex, owner: string, name: string): Promise<void> {
  await knex.raw(`UPDATE projection_leases SET owner = NULL, expires_at = now() WHERE projection = ? AND owner = ?`, [name, owner]);
}

export async function listLeases(knex: Knex): Promise<ProjectionLease[]> {
  const { rows } = await knex.raw<{ rows: { projection: string; owner: string | null; heartbeat_at: Date | null; expires_at: Date | null; expired: boolean }[] }>(
    `SELECT projection, owner, heartbeat_at, CASE WHEN isfinite(expires_at) THEN expires_at END AS expires_at,
            owner IS NOT NULL AND expires_at < now() AS expired
       FROM projection_leases ORDER BY projection`,
  );
  return rows.map((r) => ({ projection: r.projection, owner: r.owner, heartbeatAt: r.heartbeat_at, expiresAt: r.expires_at, expired: r.expired }));
}
