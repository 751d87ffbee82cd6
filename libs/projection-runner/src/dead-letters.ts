import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';

/** Parks an event its handler could not process, with the error, for someone to look at. */
export async function parkEvent(trx: Knex.Transaction, projection: string, generation: number, event: RecordedEvent, error: unknown): Promise<void> {
  await trx('projection_dead_letters')
    .insert({
      projection,
      generation,
      position: event.position.toString(),
      event_id: event.eventId,
      stream_id: event.streamId,
      event_type: event.type,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    })
    .onConflict(['projection', 'generation', 'event_id'])
    .ignore();
}

export async function countDeadLetters(knex: Knex, projection: string, generation: number): Promise<number> {
  const row = await knex('projection_dead_letters').where({ projection, generation }).count<{ count: number }>('* as count').first();
  return Number(row?.count ?? 0);
}
