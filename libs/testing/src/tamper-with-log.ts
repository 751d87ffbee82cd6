import type { Knex } from 'knex';
import { GENESIS_HASH, hashFitmentEvent, hashVersionOf, type ChainLink } from '@mpp/domain';

interface EventRow {
  event_id: string;
  revision: string | number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * What a database administrator can do: change one event of a fitment stream, then re-hash it and
 * every later event of the chain so that the chain verifies on its own again. Triggers are off for
 * the transaction (session_replication_role), as they would be for someone who owns the database.
 */
export async function rewriteChainConsistently(knex: Knex, streamId: string, edit: (row: EventRow) => Partial<Pick<EventRow, 'data' | 'metadata'>>): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    const rows: EventRow[] = await trx('events').where({ stream_id: streamId }).orderBy('revision').select('event_id', 'revision', 'type', 'data', 'metadata');
    let prevHash = GENESIS_HASH;
    for (const [index, original] of rows.entries()) {
      const row = index === 0 ? { ...original, ...edit(original) } : original;
      const version = hashVersionOf(row.metadata);
      const link: ChainLink =
        version === 2
          ? { hashVersion: 2, type: row.type, data: row.data, prevHash, revision: Number(row.revision), occurredAt: String(row.metadata.occurredAt), actor: String(row.metadata.actor) }
          : { type: row.type, data: row.data, prevHash, revision: Number(row.revision) };
      const hash = hashFitmentEvent(link);
      await trx('events').where({ event_id: row.event_id }).update({ data: row.data, metadata: { ...row.metadata, prevHash, hash } });
      prevHash = hash;
    }
  });
}

/** An edit without re-hashing: the chain itself shows it. */
export async function editEventMetadata(knex: Knex, eventId: string, changes: Record<string, unknown>): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw('UPDATE events SET metadata = metadata || ?::jsonb WHERE event_id = ?', [JSON.stringify(changes), eventId]);
  });
}
