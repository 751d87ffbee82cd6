import type { Knex } from 'knex';

/**
 * Schema of the PostgreSQL event store (libs/event-store/src/postgres; design in docs/event-store.md).
 *
 * - `events`: one row per event. `position` is the global order, `revision` the order in a stream.
 *   `transaction_id` is the id of the appending transaction: readers of the global log only return
 *   rows whose transaction is older than every transaction still running, which is what makes
 *   catch-up gap-free.
 * - `event_store_reserve_positions(n)`: hands out the positions of one append under a short
 *   session-level advisory lock, together with the transaction id, so that positions are given out
 *   in transaction-id order.
 * - a statement trigger NOTIFYs `event_store_appended` so live subscribers wake up on commit.
 *
 * Names here are literals on purpose: a migration is history and must not change when code does.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE events_position_seq AS bigint MINVALUE 1 START 1 CACHE 1');
  await knex.raw(`
    CREATE TABLE events (
      position        bigint      PRIMARY KEY,
      transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
      stream_id       text        NOT NULL,
      revision        bigint      NOT NULL CHECK (revision >= 0),
      event_id        uuid        NOT NULL,
      type            text        NOT NULL,
      data            jsonb       NOT NULL,
      metadata        jsonb       NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
      CONSTRAINT events_event_id_key UNIQUE (event_id)
    )`);
  await knex.raw("COMMENT ON TABLE events IS 'Append-only event log; written only through the event store adapter'");
  await knex.raw(`ALTER SEQUENCE events_position_seq OWNED BY events.position`);

  // The lock is session-level so it can be released before commit: holding it until commit would
  // serialise every append. The exception block makes sure it is released even on cancellation.
  await knex.raw(`
    CREATE FUNCTION event_store_reserve_positions(p_count integer)
    RETURNS TABLE (transaction_id xid8, first_position bigint)
    LANGUAGE plpgsql AS $$
    BEGIN
      IF p_count < 1 THEN
        RAISE EXCEPTION 'event_store_reserve_positions: count must be >= 1, got %', p_count;
      END IF;
      IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'event_store_reserve_positions: the transaction already has an id; reserve positions before writing anything';
      END IF;
      PERFORM pg_advisory_lock(1297109061, 0);
      BEGIN
        transaction_id := pg_current_xact_id();
        first_position := nextval('events_position_seq');
        IF p_count > 1 THEN
          PERFORM setval('events_position_seq', first_position + p_count - 1);
        END IF;
      EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock(1297109061, 0);
        RAISE;
      END;
      PERFORM pg_advisory_unlock(1297109061, 0);
      RETURN NEXT;
    END
    $$`);

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

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS events_notify_appended ON events');
  await knex.raw('DROP FUNCTION IF EXISTS event_store_notify_appended()');
  await knex.raw('DROP FUNCTION IF EXISTS event_store_reserve_positions(integer)');
  await knex.raw('DROP TABLE IF EXISTS events');
  await knex.raw('DROP SEQUENCE IF EXISTS events_position_seq');
}
