import type { Knex } from 'knex';

/**
 * `event_store_reserve_positions` marks its transaction as appending: a shared transaction-level
 * advisory lock `(1297109061, 1)`, taken before the transaction gets its id and held to its end.
 * Gap-free readers then wait only for older *appending* transactions, not for every older writing
 * transaction in the cluster (a projector batch, an API write): libs/event-store's
 * gap-free-visibility.ts reads the mark from `pg_locks`; docs/event-store.md explains why that is
 * safe. Shared, so appenders never wait for each other on it. Otherwise the function is 0002's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(reservePositions({ mark: true }));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(reservePositions({ mark: false }));
}

function reservePositions({ mark }: { mark: boolean }): string {
  return `
    CREATE OR REPLACE FUNCTION event_store_reserve_positions(p_count integer)
    RETURNS TABLE (transaction_id xid8, first_position bigint)
    LANGUAGE plpgsql AS $$
    BEGIN
      IF p_count < 1 THEN
        RAISE EXCEPTION 'event_store_reserve_positions: count must be >= 1, got %', p_count;
      END IF;
      IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'event_store_reserve_positions: the transaction already has an id; reserve positions before writing anything';
      END IF;
      ${mark ? 'PERFORM pg_advisory_xact_lock_shared(1297109061, 1);' : ''}
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
    $$`;
}
