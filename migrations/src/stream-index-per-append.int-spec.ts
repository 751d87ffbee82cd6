import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { migrationSource } from './index.js';
import { databaseBelowMigration } from './testing/database-below-migration.js';

const MIGRATION = '0036-stream-index-per-append';

/** Migration 0036: events stored before it stay readable and appendable after it, and down gives back the per-event index. */
describe(MIGRATION, () => {
  const db = databaseBelowMigration(MIGRATION);

  const append = async (stream: string, expected: string, count: number) => {
    const events = Array.from({ length: count }, (_, n) => ({ type: 'Tested', data: { n }, metadata: {} }));
    const { rows } = await db.knex.raw<{ rows: { next_revision: string }[] }>('SELECT next_revision::text AS next_revision FROM mpp_append(?, ?, ?::uuid[], ?::jsonb)', [
      stream,
      expected,
      events.map(() => randomUUID()),
      JSON.stringify(events),
    ]);
    return rows[0]!.next_revision;
  };
  const refusal = (stream: string, expected: string) => append(stream, expected, 1).then(() => undefined, (error: { code?: string; detail?: string }) => ({ code: error.code, detail: error.detail }));
  const appendSizes = async (stream: string) =>
    (await db.knex('events').where({ stream_id: stream }).orderBy('revision').select('revision', 'append_size')).map((row) => [Number(row.revision), row.append_size]);

  it('reads a stream stored before it as one-event appends, goes on from its last revision, and writes the length on the first event of a new append', async () => {
    expect(await append('a', 'no_stream', 3)).toBe('2');
    expect(await append('b', 'no_stream', 1)).toBe('0');
    expect(await append('a', '2', 2)).toBe('4');

    await db.knex.migrate.up({ migrationSource, name: MIGRATION });

    expect(await appendSizes('a')).toEqual([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
    expect(await refusal('a', '3')).toEqual({ code: 'MP001', detail: '4' });
    expect(await append('a', '4', 3)).toBe('7');
    expect(await appendSizes('a')).toEqual([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 3], [6, 0], [7, 0]]);
    expect(await refusal('a', '6')).toEqual({ code: 'MP001', detail: '7' });
    expect(await append('b', '0', 1)).toBe('1');
    const { rows: indexed } = await db.knex.raw<{ rows: { n: string }[] }>("SELECT count(*)::text AS n FROM events WHERE stream_id = 'a' AND append_size > 0");
    expect(indexed[0]!.n).toBe('6');
  });

  it('refuses a second append starting at a revision a stream already has, as the per-event index did', async () => {
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });
    await append('c', 'no_stream', 2);
    const [first] = await db.knex('events').where({ stream_id: 'c', revision: 0 }).select('position');
    await expect(
      db.knex.raw(
        `INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, append_size)
         VALUES (?, 'c', 0, ?, 'Tested', '{}', '{}', 1)`,
        [Number(first.position) + 1000, randomUUID()],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'events_stream_append_key' });
  });

  it('down puts back the per-event unique index and the function that reads the revision from it', async () => {
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });
    await append('d', 'no_stream', 3);
    await db.knex.migrate.down({ migrationSource, name: MIGRATION });

    const { rows } = await db.knex.raw<{ rows: { conname: string }[] }>("SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'u' ORDER BY conname");
    expect(rows.map((row) => row.conname)).toEqual(['events_event_id_key', 'events_stream_revision_key']);
    expect(await refusal('d', '1')).toEqual({ code: 'MP001', detail: '2' });
    expect(await append('d', '2', 1)).toBe('3');
  });
});
