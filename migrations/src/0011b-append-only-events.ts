import type { Knex } from 'knex';

/**
 * The event log is append-only in the database itself (DESIGN §10): whatever role connects, an
 * UPDATE, DELETE or TRUNCATE of `events` fails. The hash chains detect a change after the fact;
 * this refuses it up front. (A superuser can still switch triggers off, which is why the apps
 * should not connect as one.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION refuse_event_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the event log is append-only: % on events is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_log_change()`);
  await knex.raw(`
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_log_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS events_no_truncate ON events');
  await knex.raw('DROP TRIGGER IF EXISTS events_append_only ON events');
  await knex.raw('DROP FUNCTION IF EXISTS refuse_event_log_change()');
}
