import type { Knex } from 'knex';

/**
 * Copies the whole event log (positions and commit times included) and the user keys its sealed
 * free text opens with into another (migrated, empty) database: a clean build reads both, and
 * without the keys it would blank every note the first build showed.
 */
export async function copyEventLogWithKeys(from: Knex, to: Knex): Promise<number> {
  let after = 0;
  let copied = 0;
  for (;;) {
    const page: Record<string, unknown>[] = await from('events')
      .where('position', '>', after)
      .orderBy('position')
      .limit(2000)
      .select('position', 'stream_id', 'revision', 'event_id', 'type', 'data', 'metadata', 'created_at', 'append_size');
    if (page.length === 0) break;
    await to('events').insert(page.map((e) => ({ ...e, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })));
    after = Number(page.at(-1)!.position);
    copied += page.length;
  }
  await to.raw(`SELECT setval('events_position_seq', ?)`, [Math.max(after, 1)]);
  const keys: Record<string, unknown>[] = await from('user_keys').select('user_id', 'key', 'created_at');
  for (let i = 0; i < keys.length; i += 1000) await to('user_keys').insert(keys.slice(i, i + 1000));
  return copied;
}
