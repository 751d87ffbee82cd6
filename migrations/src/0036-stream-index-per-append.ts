import type { Knex } from 'knex';
import { mppAppendFunction } from './0013-append-function.js';

/**
 * The stream index holds one entry per append instead of one per event. Every event went into the
 * unique (stream_id, revision) index, the widest of the log's three (the stream name is text): an
 * append of 100 events made 100 entries and their WAL, where readers only need to find where a
 * stream's appends start. An append's events have consecutive revisions *and* consecutive positions
 * (`event_store_reserve_positions` hands out one block), so its first event, with the append's length,
 * says where every event of it is. docs/event-store.md ("The stream index") has the reads and the numbers.
 *
 * - `append_size`: on the first event of an append, how many events it has; 0 on the others. Rows
 *   already stored read 1 (each its own append), which is true of them as far as any reader can tell,
 *   so nothing is rewritten; so is any row a tool writes without the column.
 * - `events_stream_append_key`: unique (stream_id, revision) over first events only, with the length
 *   and position included so the current revision and an append's extent need no heap visit.
 *   Revisions stay unique per stream because appends to a stream are serialised by the stream lock
 *   and each starts after the last one ends; two appends starting at one revision still collide here.
 * - `mpp_append` writes the column and reads the current revision from the new index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE events ADD COLUMN append_size integer NOT NULL DEFAULT 1 CONSTRAINT events_append_size_check CHECK (append_size >= 0)');
  await knex.raw(`CREATE UNIQUE INDEX events_stream_append_key ON events (stream_id, revision) INCLUDE (append_size, position)
                    WHERE append_size > 0`);
  await knex.raw(mppAppendFunction('per-append'));
  await knex.raw('ALTER TABLE events DROP CONSTRAINT events_stream_revision_key');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE events ADD CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)');
  await knex.raw(mppAppendFunction('per-event'));
  await knex.raw('DROP INDEX events_stream_append_key');
  await knex.raw('ALTER TABLE events DROP COLUMN append_size');
}
