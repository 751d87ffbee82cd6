import type { Knex } from 'knex';

/**
 * Projection modules deployed at run time (`mpp projections deploy --file`, docs/analysts.md): the
 * running projector loads each one and builds it as a new generation, served once caught up. The
 * source is kept here, so every projector process (and a restarted one) runs the same code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deployed_projections', (t) => {
    t.text('name').primary();
    t.integer('version').notNullable();
    // The file's name as deployed, for its extension (.ts or .js) and for people.
    t.text('file_name').notNullable();
    t.text('source').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('deployed_projections');
}
