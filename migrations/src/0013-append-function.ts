import type { Knex } from 'knex';

/**
 * `mpp_append`: a whole append of the PostgreSQL event store as one server-side call, so an append
 * is one round trip instead of seven (BEGIN, stream lock, stored-id check, revision read, position
 * reservation, insert, COMMIT). Design and numbers: docs/event-store.md, "PostgreSQL: an append".
 *
 * The order inside is the one the gap-free reading needs (migration 0002): the stream lock and the
 * checks write nothing, so the transaction has no id until `event_store_reserve_positions` gives it
 * one together with its positions, under that function's short lock.
 *
 * Refusals carry their own SQLSTATE so the adapter can raise typed errors without parsing messages:
 * - `MP001` wrong expected revision; DETAIL is the actual revision, or `no_stream`;
 * - `MP002` some ids already stored, not a replay; DETAIL is their 1-based places in the append,
 *   comma-separated (the adapter reports the caller's own spelling of those ids).
 * A replay (every id stored in this stream, in this order, at consecutive revisions) returns the
 * original result and writes nothing. A unique violation (23505) on `events_event_id_key` means
 * `p_check_stored => false` skipped a stored id: the adapter calls again with the check.
 *
 * 1297109075 is the advisory lock class of stream locks (the adapter took the same lock before this
 * function); the two-key form keeps them apart from the one-bigint locks other modules use. Literals
 * on purpose: a migration is history and must not move with code.
 */
export async function up(knex: Knex): Promise<void> {
  // The idempotency rule over the ids of an append: no row when none is stored; the original result
  // when the append already happened (every id stored in this stream, in this order, at consecutive
  // revisions: revision minus place is then one constant); else MP002.
  await knex.raw(String.raw`
    CREATE FUNCTION mpp_append_replayed(p_stream text, p_event_ids uuid[])
    RETURNS TABLE (next_revision bigint, last_position bigint)
    LANGUAGE plpgsql AS $$
    DECLARE
      v_stored integer;
      v_replay boolean;
    BEGIN
      SELECT count(*)::integer,
             coalesce(bool_and(e.stream_id = p_stream), false) AND count(DISTINCT e.revision - i.place) = 1
        INTO v_stored, v_replay
        FROM unnest(p_event_ids) WITH ORDINALITY AS i (event_id, place)
        JOIN events e ON e.event_id = i.event_id;
      IF v_stored = 0 THEN
        RETURN;
      END IF;
      IF v_stored = cardinality(p_event_ids) AND v_replay THEN
        RETURN QUERY SELECT e.revision, e.position FROM events e WHERE e.event_id = p_event_ids[cardinality(p_event_ids)];
        RETURN;
      END IF;
      RAISE EXCEPTION USING
        ERRCODE = 'MP002',
        MESSAGE = format('stream %s: event ids already stored by a different append', p_stream),
        DETAIL = (SELECT string_agg(i.place::text, ',' ORDER BY i.place)
                    FROM unnest(p_event_ids) WITH ORDINALITY AS i (event_id, place)
                    JOIN events e ON e.event_id = i.event_id);
    END
    $$`);

  // The ids are looked up only when they can matter: when the expected revision does not match (a
  // retry of an append that already happened must not turn into a conflict), or when the caller asks
  // (p_check_stored, after an attempt without it hit the unique index on event_id). The common append
  // leaves the check to that unique index, which probes every id anyway.
  await knex.raw(mppAppendFunction('per-event'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS mpp_append(text, text, uuid[], jsonb, boolean)');
  await knex.raw('DROP FUNCTION IF EXISTS mpp_append_replayed(text, uuid[])');
}

/**
 * The text of `mpp_append`. 'per-event' is this migration's: every event in the (stream_id, revision)
 * index. 'per-append' is migration 0036's: only the first event of each append is in that index, and
 * it carries the append's length (`append_size`, 0 on the others), so the function writes it and reads
 * the stream's current revision as the last append's first revision plus its length, minus one.
 * Both kept here, literal, so each migration recreates exactly what it installed.
 */
export function mppAppendFunction(streamIndex: 'per-event' | 'per-append'): string {
  return String.raw`
    CREATE OR REPLACE FUNCTION mpp_append(p_stream text, p_expected text, p_event_ids uuid[], p_events jsonb, p_check_stored boolean DEFAULT true)
    RETURNS TABLE (next_revision bigint, last_position bigint)
    LANGUAGE plpgsql AS $$
    DECLARE
      v_count integer := coalesce(cardinality(p_event_ids), 0);
      v_current bigint;
      v_matches boolean;
      v_first_position bigint;
      v_first_revision bigint;
    BEGIN
      IF v_count < 1 OR jsonb_typeof(p_events) IS DISTINCT FROM 'array' OR jsonb_array_length(p_events) <> v_count THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'mpp_append: one event per id, at least one';
      END IF;
      IF p_expected IS NULL OR p_expected !~ '^(any|no_stream|exists|\d{1,19})$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('mpp_append: expected revision %L is not any, no_stream, exists or a revision', p_expected);
      END IF;

      PERFORM pg_advisory_xact_lock(1297109075, hashtext(p_stream));

      IF p_check_stored THEN
        RETURN QUERY SELECT * FROM mpp_append_replayed(p_stream, p_event_ids);
        IF FOUND THEN
          RETURN;
        END IF;
      END IF;

${streamIndex === 'per-event' ? perEventRevision : perAppendRevision}
      -- IF/ELSIF rather than one boolean expression: SQL does not promise to skip the cast of 'any'.
      IF p_expected = 'any' THEN
        v_matches := true;
      ELSIF p_expected = 'no_stream' THEN
        v_matches := v_current IS NULL;
      ELSIF p_expected = 'exists' THEN
        v_matches := v_current IS NOT NULL;
      ELSE
        v_matches := v_current IS NOT DISTINCT FROM p_expected::bigint;
      END IF;
      IF NOT v_matches THEN
        IF NOT p_check_stored THEN
          RETURN QUERY SELECT * FROM mpp_append_replayed(p_stream, p_event_ids);
          IF FOUND THEN
            RETURN;
          END IF;
        END IF;
        RAISE EXCEPTION USING
          ERRCODE = 'MP001',
          MESSAGE = format('stream %s: expected revision %s, actual %s', p_stream, p_expected, coalesce(v_current::text, 'no_stream')),
          DETAIL = coalesce(v_current::text, 'no_stream');
      END IF;

      SELECT r.first_position INTO v_first_position FROM event_store_reserve_positions(v_count) r;
      v_first_revision := coalesce(v_current + 1, 0);
${streamIndex === 'per-event' ? perEventInsert : perAppendInsert}
        FROM ROWS FROM (jsonb_to_recordset(p_events) AS (type text, data jsonb, metadata jsonb)) WITH ORDINALITY AS r (type, data, metadata, place);

      next_revision := v_first_revision + v_count - 1;
      last_position := v_first_position + v_count - 1;
      RETURN NEXT;
    END
    $$`;
}

const perEventRevision = `      SELECT max(e.revision) INTO v_current FROM events e WHERE e.stream_id = p_stream;`;
const perAppendRevision = `      SELECT e.revision + e.append_size - 1 INTO v_current FROM events e
       WHERE e.stream_id = p_stream AND e.append_size > 0 ORDER BY e.revision DESC LIMIT 1;`;
const perEventInsert = `      INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
      SELECT v_first_position + r.place - 1, p_stream, v_first_revision + r.place - 1, p_event_ids[r.place], r.type, r.data, r.metadata`;
const perAppendInsert = `      INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, append_size)
      SELECT v_first_position + r.place - 1, p_stream, v_first_revision + r.place - 1, p_event_ids[r.place], r.type, r.data, r.metadata,
             CASE WHEN r.place = 1 THEN v_count ELSE 0 END`;
