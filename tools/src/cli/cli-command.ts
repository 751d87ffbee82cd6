import type { ParseArgsOptionsConfig } from 'node:util';
import type { ProjectionDefinition } from '@mpp/projection-runner';
import type { ParsedArgs } from './cli-args.js';
import type { CliContext } from './cli-context.js';

/**
 * One subcommand: how its arguments parse into typed options (before any connection is made, so a
 * typo never starts a database), and what runs with them. Returns the exit code.
 */
export interface CliCommand<Options> {
  words: readonly [string, string];
  /** Synopsis and option lines, shown by `--help` and after a usage error. */
  usage: string;
  options: ParseArgsOptionsConfig;
  parse(args: ParsedArgs, projections: readonly ProjectionDefinition[]): Options;
  run(context: CliContext, options: Options): Promise<number>;
}

/** A command with its options type hidden, so commands of different options share one list. */
export interface RegisteredCommand {
  words: readonly [string, string];
  usage: string;
  options: ParseArgsOptionsConfig;
  prepare(args: ParsedArgs, projections: readonly ProjectionDefinition[]): (context: CliContext) => Promise<number>;
}

export function registerCommand<Options>(command: CliCommand<Options>): RegisteredCommand {
  return {
    words: command.words,
    usage: command.usage,
    options: command.options,
    prepare(args, projections) {
      const options = command.parse(args, projections);
      return (context) => command.run(context, options);
    },
  };
}
