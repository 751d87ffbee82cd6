import { onePositional } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { checkScratchSchemaName, prepareScratchSchema } from '../scratch-schema.js';

export interface DropReplayOptions {
  schema: string;
}

/** Removes a replay's scratch schema and its checkpoint row; refuses anything a replay did not create. */
export async function dropReplay(context: CliContext, options: DropReplayOptions): Promise<number> {
  const schema = checkScratchSchemaName(options.schema);
  const recorded = await context.knex('projection_checkpoints').where({ schema_name: schema, state: 'replay' }).first('projection');
  if (!recorded) throw new CliUsageError(`schema ${schema} is not the scratch schema of a replay; nothing dropped`);
  await prepareScratchSchema(context.knex, schema, true);
  writeLine(context.out, `dropped schema ${schema} (a replay of ${recorded.projection}) and its checkpoint`);
  return EXIT.ok;
}

export const projectionsDropReplayCommand: CliCommand<DropReplayOptions> = {
  words: ['projections', 'drop-replay'],
  usage: `mpp projections drop-replay <scratch>
  Drops the scratch schema of an earlier replay, with its checkpoint row and dead letters.
  Refuses any schema that \`projections replay\` did not create.`,
  options: {},
  parse: (args) => ({ schema: checkScratchSchemaName(onePositional(args, 'scratch')) }),
  run: dropReplay,
};
