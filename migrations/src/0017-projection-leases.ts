import type { Knex } from 'knex';

/**
 * Several projector processes share the projections (DESIGN §10 "Scale-out"): each projection is run
 * by the one process holding its lease; every process keeps a membership row alive so the others
 * know how many share the work. Expiry is judged by the database's clock, so the processes' own
 * clocks never have to agree.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE projection_leases (
      projection   text PRIMARY KEY,
      -- host:pid:random of the holding process; NULL once released.
      owner        text,
      heartbeat_at timestamptz,
      -- '-infinity' for a lease nobody holds, so "expires_at < now()" alone means "free to take".
      expires_at   timestamptz NOT NULL DEFAULT '-infinity',
      acquired_at  timestamptz
    )`);
  await knex.raw(`
    CREATE TABLE projector_members (
      member       text PRIMARY KEY,
      started_at   timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      expires_at   timestamptz NOT NULL
    )`);
  // The live-member count every heartbeat runs, and the sweep of long-dead members.
  await knex.raw('CREATE INDEX projector_members_expires_idx ON projector_members (expires_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS projector_members');
  await knex.raw('DROP TABLE IF EXISTS projection_leases');
}
