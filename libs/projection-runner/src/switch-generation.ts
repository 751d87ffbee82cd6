import type { Knex } from 'knex';
import type { ProjectionDefinition } from './projection.js';
import { pointViewsAt } from './projection-schema.js';
import { notifyProjectionProgress } from './notify-progress.js';

/**
 * Blue/green switch: in one transaction the caught-up generation becomes active, the previous one
 * retired, and the public views move to the new tables. Queries see one or the other, never both.
 */
export async function switchToGeneration(knex: Knex, projection: ProjectionDefinition, generation: number, schema: string): Promise<number | undefined> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`projection-generation:${projection.name}`]);
    const previous = await trx('projection_checkpoints').where({ projection: projection.name, state: 'active' }).first('generation');
    // Already serving (a retried switch after the first one committed): nothing to retire.
    if (previous?.generation === generation) return undefined;
    if (previous) {
      await trx('projection_checkpoints')
        .where({ projection: projection.name, generation: previous.generation })
        .update({ state: 'retired', updated_at: trx.fn.now() });
    }
    await trx('projection_checkpoints')
      .where({ projection: projection.name, generation })
      .update({ state: 'active', error: null, updated_at: trx.fn.now() });
    await pointViewsAt(trx, projection, schema);
    // Readers that cached answers from the previous generation drop them when they hear of the switch.
    const { position } = await trx('projection_checkpoints').where({ projection: projection.name, generation }).first('position');
    await notifyProjectionProgress(trx, { projection: projection.name, generation, position: String(position) });
    return previous?.generation as number | undefined;
  });
}
