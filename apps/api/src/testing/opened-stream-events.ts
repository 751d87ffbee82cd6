import { readUserKeys, type Knex } from '@mpp/db';
import { openPersonalText, sealedTextOwners } from '@mpp/domain';

export interface OpenedEventRow {
  type: string;
  revision: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * A stream's stored events as their authors wrote them: riders' free text is sealed in the log
 * (docs/domain.md "Sealed free text"), so a test that checks what was recorded opens it with the
 * keys that exist, as the API and the projector do.
 */
export async function openedStreamEvents(knex: Knex, streamId: string): Promise<OpenedEventRow[]> {
  const rows: OpenedEventRow[] = await knex('events').where({ stream_id: streamId }).orderBy('revision').select('type', 'revision', 'data', 'metadata');
  const keys = await readUserKeys(knex, rows.flatMap((row) => sealedTextOwners(row.metadata)));
  return rows.map((row) => ({ ...row, data: openPersonalText(row.type, row.data, row.metadata, keys).data }));
}
