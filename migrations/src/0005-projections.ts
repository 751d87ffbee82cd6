import type { Knex } from 'knex';

/**
 * Bookkeeping of the projection runner. One row per build ("generation") of a projection: the
 * active one serves queries through views; a building one catches up beside it (blue/green).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projection_checkpoints', (t) => {
    t.text('projection').notNullable();
    t.integer('generation').notNullable();
    t.integer('version').notNullable();
    t.text('schema_name').notNullable().unique();
    // building | active | retired | failed | replay
    t.text('state').notNullable();
    t.bigInteger('position').notNullable().defaultTo(0);
    t.bigInteger('events_processed').notNullable().defaultTo(0);
    t.double('events_per_second').notNullable().defaultTo(0);
    t.timestamp('last_event_at', { useTz: true });
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['projection', 'generation']);
  });
  // At most one serving generation per projection.
  await knex.raw(`CREATE UNIQUE INDEX projection_checkpoints_one_active ON projection_checkpoints (projection) WHERE state = 'active'`);

  await knex.schema.createTable('projection_dead_letters', (t) => {
    t.bigIncrements('id');
    t.text('projection').notNullable();
    t.integer('generation').notNullable();
    t.bigInteger('position').notNullable();
    t.uuid('event_id').notNullable();
    t.text('stream_id').notNullable();
    t.text('event_type').notNullable();
    t.text('error').notNullable();
    t.timestamp('parked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['projection', 'generation', 'event_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('projection_dead_letters');
  await knex.schema.dropTable('projection_checkpoints');
}
