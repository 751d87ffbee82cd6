import type { Knex } from 'knex';

/**
 * Which event store the positions in projection_checkpoints come from (one row). A PostgreSQL
 * position is a sequence number, an EventStoreDB one a byte offset in its log: a checkpoint of one
 * means nothing in the other, so the projection runner rebuilds every projection from position 0
 * when the deployment's store is not the one recorded here (libs/projection-runner/src/event-store-kind.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projection_event_store', (t) => {
    t.boolean('singleton').primary().defaultTo(true);
    t.text('kind').notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE projection_event_store ADD CONSTRAINT projection_event_store_one_row CHECK (singleton)`);
  await knex.raw(`ALTER TABLE projection_event_store ADD CONSTRAINT projection_event_store_kind CHECK (kind IN ('postgres', 'eventstoredb'))`);
  // Checkpoints that exist already were built from the PostgreSQL store: until this change the
  // EventStoreDB adapter leaked read calls and stopped within minutes, so no deployment ran on it.
  await knex.raw(
    `INSERT INTO projection_event_store (kind)
     SELECT 'postgres' WHERE EXISTS (SELECT 1 FROM projection_checkpoints WHERE state IN ('active', 'building'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('projection_event_store');
}
