import type { Knex } from 'knex';

/**
 * State-stored tables of the scheduled jobs that are not projections (DESIGN §7): data-quality
 * findings, the generated sitemap, price alerts (a Pro feature) and the checkpoints of reactors
 * (consumers of the event log that cause side effects, such as receipt mails).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_quality_runs', (t) => {
    t.uuid('id').primary();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).notNullable();
    // {kind: count}, so the admin page shows totals without counting the findings.
    t.jsonb('counts').notNullable().defaultTo('{}');
  });
  // The latest run (ORDER BY started_at DESC LIMIT 1) and the retention delete.
  await knex.raw('CREATE INDEX data_quality_runs_started_idx ON data_quality_runs (started_at DESC)');

  await knex.schema.createTable('data_quality_findings', (t) => {
    t.bigIncrements('id');
    t.uuid('run_id').notNullable().references('data_quality_runs.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    // Ids of what the finding is about ({partId, retailerId}, {buildId, partId}...); never personal data.
    t.jsonb('subject').notNullable();
    t.text('detail').notNullable();
    // The admin listing of one run, optionally of one kind.
    t.index(['run_id', 'kind', 'id'], 'data_quality_findings_run_kind');
  });

  await knex.schema.createTable('sitemap_files', (t) => {
    // `sitemap.xml` (a urlset, or an index when the site outgrows one file) and `sitemap-{n}.xml`.
    t.text('name').primary();
    t.text('xml').notNullable();
    t.integer('url_count').notNullable();
    t.uuid('generation').notNullable();
    t.timestamp('generated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('price_alerts', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('part_id').notNullable();
    t.integer('target_price_cents').notNullable();
    // Null: any currency the part is offered in (amounts are compared as they are, as part_best_prices does).
    t.string('currency', 3);
    // Armed alerts fire once, then wait until the price is back above the target (re-armed by the job).
    t.boolean('armed').notNullable().defaultTo(true);
    t.integer('times_fired').notNullable().defaultTo(0);
    t.timestamp('last_fired_at', { useTz: true });
    t.bigInteger('last_fired_price_cents');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One alert per rider and part: posting again changes the target.
    t.unique(['user_id', 'part_id'], { indexName: 'price_alerts_user_part' });
  });
  await knex.raw('ALTER TABLE price_alerts ADD CONSTRAINT price_alerts_target_check CHECK (target_price_cents > 0)');
  // The alert job's scan: armed alerts by part, joined to the part's current prices.
  await knex.raw('CREATE INDEX price_alerts_armed_part_idx ON price_alerts (part_id) WHERE armed');
  await knex.raw('CREATE INDEX price_alerts_fired_part_idx ON price_alerts (part_id) WHERE NOT armed');

  await knex.schema.createTable('reactor_checkpoints', (t) => {
    t.text('reactor').primary();
    // Exclusive: the reactor has handled every event up to and including this global position.
    t.bigInteger('position').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('reactor_checkpoints');
  await knex.schema.dropTableIfExists('price_alerts');
  await knex.schema.dropTableIfExists('sitemap_files');
  await knex.schema.dropTableIfExists('data_quality_findings');
  await knex.schema.dropTableIfExists('data_quality_runs');
}
