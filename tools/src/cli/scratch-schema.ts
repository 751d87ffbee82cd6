import type { Knex } from 'knex';
import { dropSchema } from '@mpp/projection-runner';
import { CliUsageError } from './cli-context.js';

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A schema name a replay may write into. It is interpolated into DDL, so only plain lower-case
 * identifiers pass; and it must never be one the product serves from (`public`, a generation's
 * `rm_…`) or one PostgreSQL owns.
 */
export function checkScratchSchemaName(name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) {
    throw new CliUsageError(`schema ${JSON.stringify(name)} is not a safe identifier: use lower-case letters, digits and _ (at most 63, not starting with a digit)`);
  }
  if (name === 'public' || name === 'information_schema' || name.startsWith('pg_')) {
    throw new CliUsageError(`schema ${name} is a schema the product or PostgreSQL uses; pick a scratch name such as scratch_analysis`);
  }
  if (name.startsWith('rm_')) {
    throw new CliUsageError(`schema ${name}: rm_… is where projections keep their generations; pick a scratch name such as scratch_analysis`);
  }
  return name;
}

/**
 * Makes sure the scratch schema is free for a new replay. An existing schema is only ever dropped
 * with `drop`, and only when projection_checkpoints records it as an earlier replay: anything else
 * of that name (a generation's schema, someone's own schema) is refused, never dropped.
 */
export async function prepareScratchSchema(knex: Knex, schema: string, drop: boolean): Promise<void> {
  const owners: { projection: string; generation: number; state: string }[] = await knex('projection_checkpoints')
    .where({ schema_name: schema })
    .select('projection', 'generation', 'state');
  const serving = owners.find((o) => o.state !== 'replay');
  if (serving) throw new CliUsageError(`schema ${schema} belongs to generation ${serving.generation} of ${serving.projection} (${serving.state}); pick another name`);
  const exists = (await knex.raw<{ rows: unknown[] }>('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema])).rows.length > 0;
  if (!exists && owners.length === 0) return;
  if (!drop) throw new CliUsageError(`schema ${schema} already exists${owners.length > 0 ? ` (an earlier replay of ${owners[0].projection})` : ''}; pass --drop to replace it`);
  if (exists && owners.length === 0) throw new CliUsageError(`schema ${schema} exists but was not created by a replay; refusing to drop it`);
  await knex.transaction(async (trx) => {
    for (const owner of owners) {
      await trx('projection_dead_letters').where({ projection: owner.projection, generation: owner.generation }).delete();
      await trx('projection_checkpoints').where({ projection: owner.projection, generation: owner.generation, state: 'replay' }).delete();
    }
    await dropSchema(trx, schema);
  });
}
