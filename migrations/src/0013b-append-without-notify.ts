import type { Knex } from 'knex';

/**
 * Appends stop sending NOTIFY. The statement trigger of migration 0002 ran `pg_notify` inside every
 * appending transaction, and a transaction that has notified takes the notification queue's lock
 * (one lock for the whole cluster) at pre-commit and keeps it until its commit is flushed: committing
 * appends waited for one another's fsync, so concurrent writers lost group commit (measured: 8
 * writers of single events ran at a quarter to a third of the rate without the trigger). Live
 * subscribers now learn of commits by polling the committed head while they wait
 * (libs/event-store/src/postgres/committed-head-watcher.ts; docs/event-store.md).
 *
 * Only the event log's trigger goes: NOTIFYs other code sends (the projection runner's, for
 * instance) are unaffected.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS events_notify_appended ON events');
  await knex.raw('DROP FUNCTION IF EXISTS event_store_notify_appended()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION event_store_notify_appended() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('event_store_appended', '');
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER events_notify_appended AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION event_store_notify_appended()`);
}
