import type { Knex } from 'knex';

/**
 * Signed checkpoints on their way to the operator's witness URL (AUDIT_WITNESS_URL, docs/domain.md):
 * one row per checkpoint, delivered by a job with retries, so a witness that is down delays only
 * its copy, never a checkpoint or an append.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_witness_deliveries', (t) => {
    // The checkpoint event's id: also the Idempotency-Key of every attempt, so a witness can drop repeats.
    t.uuid('id').primary();
    t.text('position').notNullable();
    // The witness document exactly as POSTed.
    t.text('body').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE audit_witness_deliveries ADD CONSTRAINT audit_witness_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed'))`);
  await knex.raw(`CREATE INDEX audit_witness_deliveries_due ON audit_witness_deliveries (next_attempt_at) WHERE status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_witness_deliveries');
}
