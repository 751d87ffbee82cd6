import type { Knex } from 'knex';
import type { EventStoreKind } from '@mpp/event-store';

export type CheckpointAlignment = 'recorded' | 'unchanged' | 'reset';

/**
 * Makes sure the projection checkpoints refer to the deployment's event store. When the store kind
 * recorded with them (projection_event_store, migration 0010) is another one, every building or
 * active generation is retired in one transaction, so the runner's reconcile starts each projection
 * again from position 0 into a new generation (and drops the old tables). Nothing is recorded yet:
 * the kind is taken as it is. Runs under an advisory lock so that of several projector processes
 * starting together exactly one resets.
 */
export async function alignCheckpointsWithEventStore(knex: Knex, kind: EventStoreKind, log: (message: string) => void): Promise<CheckpointAlignment> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['projection-event-store']);
    const recorded = await trx('projection_event_store').first<{ kind: EventStoreKind } | undefined>('kind');
    if (recorded?.kind === kind) return 'unchanged';
    await trx.raw(
      `INSERT INTO projection_event_store (singleton, kind, recorded_at) VALUES (true, ?, now())
       ON CONFLICT (singleton) DO UPDATE SET kind = EXCLUDED.kind, recorded_at = EXCLUDED.recorded_at`,
      [kind],
    );
    if (!recorded) return 'recorded';
    const retired: { projection: string; generation: number }[] = await trx('projection_checkpoints')
      .whereIn('state', ['active', 'building'])
      .update({ state: 'retired', error: null, updated_at: trx.fn.now() })
      .returning(['projection', 'generation']);
    log(
      `event store changed from ${recorded.kind} to ${kind}: checkpoints of the ${recorded.kind} store mean nothing in the ${kind} store, ` +
        `so ${retired.length} generation(s) of ${new Set(retired.map((g) => g.projection)).size} projection(s) were retired and every projection ` +
        `is rebuilt from position 0 into a new generation (read models are empty until each catches up)`,
    );
    return 'reset';
  });
}
