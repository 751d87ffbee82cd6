import type { Knex } from 'knex';

/**
 * State-stored account tables (not event-sourced): people's details live here and only here, so an
 * account can be erased without rewriting history — events carry the user id alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    // AES-256-GCM ciphertext of the email; the HMAC below finds a user by email without decrypting.
    t.text('email_encrypted').notNullable();
    t.text('email_hash').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('role').notNullable().defaultTo('user');
    t.text('plan').notNullable().defaultTo('free');
    t.text('google_subject').unique();
    t.text('stripe_customer_id').unique();
    t.jsonb('email_preferences').notNullable().defaultTo(knex.raw(`'{"weeklyDigest": false}'::jsonb`));
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('erased_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('user', 'moderator', 'admin'))`);
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_plan_check CHECK (plan IN ('free', 'pro'))`);

  await knex.schema.createTable('sessions', (t) => {
    // SHA-256 of the cookie's token: a leaked table does not hand out live sessions.
    t.text('token_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('csrf_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.uuid('user_id').notNullable();
    t.text('key').notNullable();
    t.text('route').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'key']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
