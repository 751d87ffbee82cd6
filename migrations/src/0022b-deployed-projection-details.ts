import type { Knex } from 'knex';

/**
 * What `mpp projections status` says of a deployed projection without loading its code: the tables
 * it serves and its poison-event policy, recorded by `mpp projections deploy` from the loaded module.
 * NULL for a deployment recorded before this migration (status then shows them as unknown).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployed_projections', (t) => {
    t.specificType('tables', 'text[]');
    t.text('on_poison_event');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployed_projections', (t) => {
    t.dropColumn('tables');
    t.dropColumn('on_poison_event');
  });
}
