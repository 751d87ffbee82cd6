import type { Knex } from 'knex';
import { PROJECTOR_PRIVILEGES } from './0018b-role-privileges.js';

const REACTOR = 'verification-receipts';
/** generationSchema({ name: REACTOR, version: 1 }, 1): the reactor has no tables, its schema stays empty. */
const FIRST_GENERATION_SCHEMA = 'rm_verification_receipts_v1_g1';

/**
 * The verification-receipts reactor moves from the API's scheduled job (with its own
 * `reactor_checkpoints` row) to the projection runner in the projector (docs/projections.md,
 * "Reactors"). Its position becomes the runner's checkpoint of its first generation, active, so a
 * deployed system neither mails a receipt twice nor skips one across the move. The projector may
 * queue receipts (INSERT into the outbox, and read the outbox columns the per-rider cap counts) and
 * ask which of some accounts want a receipt, through a function that answers ids and nothing else
 * of `users`, which it still may not read.
 */
export async function up(knex: Knex): Promise<void> {
  const row = await knex('reactor_checkpoints').where({ reactor: REACTOR }).first<{ position: string } | undefined>('position');
  if (row) {
    await knex('projection_checkpoints')
      .insert({ projection: REACTOR, generation: 1, version: 1, schema_name: FIRST_GENERATION_SCHEMA, state: 'active', position: row.position })
      .onConflict(['projection', 'generation'])
      .ignore();
  }
  await knex.schema.dropTable('reactor_checkpoints');

  await knex.raw(`
    CREATE FUNCTION mpp_receipt_recipients(candidates uuid[]) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT id FROM users
       WHERE id = ANY(candidates) AND erased_at IS NULL
         AND (email_preferences->>'verificationReceipts') IS DISTINCT FROM 'false'
    $$`);
  await knex.raw(`REVOKE ALL ON FUNCTION mpp_receipt_recipients(uuid[]) FROM PUBLIC`);
  await knex.raw(`GRANT EXECUTE ON FUNCTION mpp_receipt_recipients(uuid[]) TO ${PROJECTOR_PRIVILEGES}`);
  await knex.raw(`GRANT INSERT, SELECT (id, kind, to_user_id, created_at, dedupe_key) ON email_outbox TO ${PROJECTOR_PRIVILEGES}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`REVOKE INSERT, SELECT (id, kind, to_user_id, created_at, dedupe_key) ON email_outbox FROM ${PROJECTOR_PRIVILEGES}`);
  await knex.raw(`DROP FUNCTION IF EXISTS mpp_receipt_recipients(uuid[])`);
  await knex.schema.createTable('reactor_checkpoints', (t) => {
    t.text('reactor').primary();
    t.bigInteger('position').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  const active = await knex('projection_checkpoints').where({ projection: REACTOR, state: 'active' }).first<{ position: string } | undefined>('position');
  if (active) await knex('reactor_checkpoints').insert({ reactor: REACTOR, position: active.position });
}
