import type { Knex } from 'knex';

/**
 * State-stored tables of the integrations (DESIGN §5, §7): outbound failures, Stripe webhook
 * bookkeeping, the mail outbox, scheduled job runs and affiliate clicks. None holds an email
 * address or an IP address in clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('integration_errors', (t) => {
    t.bigIncrements('id');
    t.text('integration').notNullable();
    t.text('operation').notNullable();
    // Identifiers only (user ids, outbox ids, Stripe ids); the writer redacts anything that looks personal.
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.text('error').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['integration', 'occurred_at']);
    t.index(['occurred_at']);
  });

  await knex.schema.createTable('processed_webhooks', (t) => {
    t.text('provider').notNullable();
    t.text('event_id').notNullable();
    t.text('event_type').notNullable();
    t.timestamp('processed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'event_id']);
    t.index(['processed_at']);
  });

  // One row per Stripe subscription: its last known status and the `created` time of the Stripe event
  // that set it, so an older event delivered late cannot undo a newer one (and `canceled` is final).
  await knex.schema.createTable('stripe_subscriptions', (t) => {
    t.text('subscription_id').primary();
    t.text('customer_id').notNullable();
    t.text('status').notNullable();
    t.timestamp('last_event_created', { useTz: true }).notNullable();
    t.text('last_event_id').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['customer_id']);
  });

  await knex.schema.createTable('email_outbox', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable();
    // A user's address is resolved from `users` when sending; an address that belongs to no account
    // (a build shared with a friend) is kept encrypted like users.email, and wiped once the mail is done.
    t.uuid('to_user_id').references('users.id').onDelete('CASCADE');
    t.text('to_email_encrypted');
    t.text('subject').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.text('dedupe_key').unique();
    t.text('provider_message_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['to_user_id']);
  });
  await knex.raw(`ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sent', 'logged', 'failed'))`);
  await knex.raw(`ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_one_recipient_check CHECK (to_user_id IS NULL OR to_email_encrypted IS NULL)`);
  // The sender's claim query: due pending mails, oldest first.
  await knex.raw(`CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending'`);
  await knex.raw(`CREATE INDEX email_outbox_logged_idx ON email_outbox (created_at DESC) WHERE status = 'logged'`);

  await knex.schema.createTable('job_runs', (t) => {
    t.bigIncrements('id');
    t.text('job').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).notNullable();
    t.integer('duration_ms').notNullable();
    t.text('outcome').notNullable();
    t.text('detail');
  });
  await knex.raw(`ALTER TABLE job_runs ADD CONSTRAINT job_runs_outcome_check CHECK (outcome IN ('ok', 'failed', 'skipped_locked'))`);
  // Last run per job (DISTINCT ON job ORDER BY started_at DESC) and the retention delete.
  await knex.raw(`CREATE INDEX job_runs_job_started_idx ON job_runs (job, started_at DESC)`);
  await knex.raw(`CREATE INDEX job_runs_started_idx ON job_runs (started_at)`);

  await knex.raw(`
    CREATE TABLE affiliate_clicks (
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      part_id uuid NOT NULL,
      retailer_id uuid NOT NULL,
      source text NOT NULL,
      visitor_hash text,
      clicked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (id, clicked_at)
    ) PARTITION BY RANGE (clicked_at)`);
  await knex.raw(`CREATE INDEX affiliate_clicks_part_retailer_idx ON affiliate_clicks (part_id, retailer_id, clicked_at)`);
  // The maintenance job keeps months ahead; the migration makes the ones a fresh install needs right now.
  const now = new Date();
  for (const offset of [0, 1]) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset + 1, 1));
    const name = `affiliate_clicks_y${from.getUTCFullYear()}m${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
    // DDL takes no bind parameters; the bounds are ISO strings we computed, never input.
    await knex.raw(`CREATE TABLE IF NOT EXISTS ?? PARTITION OF affiliate_clicks FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`, [name]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS affiliate_clicks CASCADE');
  await knex.schema.dropTableIfExists('job_runs');
  await knex.schema.dropTableIfExists('email_outbox');
  await knex.schema.dropTableIfExists('stripe_subscriptions');
  await knex.schema.dropTableIfExists('processed_webhooks');
  await knex.schema.dropTableIfExists('integration_errors');
}
