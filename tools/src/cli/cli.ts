import { parseArgs } from 'node:util';
import type { ProjectionDefinition } from '@mpp/projection-runner';
import type { ParsedArgs } from './cli-args.js';
import { registerCommand, type RegisteredCommand } from './cli-command.js';
import { CliUsageError, EXIT, writeLine, type CliContext, type CliOutput } from './cli-context.js';
import { auditCheckpointCommand } from './commands/audit-checkpoint.js';
import { auditCompareCommand } from './commands/audit-compare.js';
import { analystsGrantCommand } from './commands/analysts-grant.js';
import { auditVerifyCommand } from './commands/audit-verify.js';
import { eventsExportCommand } from './commands/events-export.js';
import { projectionsDeployCommand } from './commands/projections-deploy.js';
import { projectionsDropReplayCommand } from './commands/projections-drop-replay.js';
import { projectionsListCommand } from './commands/projections-list.js';
import { projectionsRebuildCommand } from './commands/projections-rebuild.js';
import { projectionsReplayCommand } from './commands/projections-replay.js';
import { projectionsStatusCommand } from './commands/projections-status.js';
import { projectionsTestCommand } from './commands/projections-test.js';

export const COMMANDS: readonly RegisteredCommand[] = [
  registerCommand(projectionsListCommand),
  registerCommand(projectionsStatusCommand),
  registerCommand(projectionsRebuildCommand),
  registerCommand(projectionsReplayCommand),
  registerCommand(projectionsDropReplayCommand),
  registerCommand(projectionsTestCommand),
  registerCommand(projectionsDeployCommand),
  registerCommand(eventsExportCommand),
  registerCommand(auditVerifyCommand),
  registerCommand(auditCheckpointCommand),
  registerCommand(auditCompareCommand),
  registerCommand(analystsGrantCommand),
];

/** What a command gets once arguments are valid: the database and store, closed after the command. */
export interface CliConnection extends Pick<CliContext, 'knex' | 'store' | 'eventStoreKind'> {
  close(): Promise<void>;
}

export interface CliIo {
  out: CliOutput;
  err: CliOutput;
  signal: AbortSignal;
  projections: readonly ProjectionDefinition[];
  /** Called only when a command is about to run, so `--help` and typos never open a database. */
  connect(): Promise<CliConnection>;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Parses `argv` (without node and the script), runs the command, returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, verb, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    writeLine(io.out, overview());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.words[0] === group && c.words[1] === verb);
  if (!command) {
    const ofGroup = COMMANDS.filter((c) => c.words[0] === group);
    if (ofGroup.length > 0 && (verb === undefined || verb === '--help' || verb === '-h')) {
      writeLine(verb === undefined ? io.err : io.out, ofGroup.map((c) => c.usage).join('\n\n'));
      return verb === undefined ? EXIT.usage : EXIT.ok;
    }
    writeLine(io.err, `mpp: unknown command ${JSON.stringify([group, verb].filter(Boolean).join(' '))}\n\n${overview()}`);
    return EXIT.usage;
  }

  let run: (context: CliContext) => Promise<number>;
  try {
    const parsed = parseArgs({ args: [...rest], options: { ...command.options, ...HELP }, allowPositionals: true, strict: true }) as ParsedArgs;
    if (parsed.values.help === true) {
      writeLine(io.out, command.usage);
      return EXIT.ok;
    }
    run = command.prepare(parsed, io.projections);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    writeLine(io.err, `mpp ${command.words.join(' ')}: ${error.message}\nusage: ${command.usage.split('\n')[0]}   (--help for the options)`);
    return EXIT.usage;
  }

  const connection = await io.connect();
  try {
    return await run({ ...connection, projections: io.projections, out: io.out, err: io.err, signal: io.signal });
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    writeLine(io.err, `mpp ${command.words.join(' ')}: ${error.message}`);
    return EXIT.usage;
  } finally {
    await connection.close();
  }
}

/** Our own usage errors, and the ones util.parseArgs throws (unknown option, missing value...). */
function isUsageError(error: unknown): error is Error {
  if (error instanceof CliUsageError) return true;
  // By code, not `instanceof TypeError`: the error may come from another realm (a test's VM context).
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function overview(): string {
  return [
    'mpp: the analysts\' command line of MotoPartPicker (docs/analysts.md)',
    '',
    'Usage: mpp <command> [options]     (mpp <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.usage.split('\n')[0].replace(/^mpp /, '')}`),
    '',
    'Database: DATABASE_URL, else the embedded PostgreSQL of `npm start` (when npm start is not running).',
    'Exit codes: 0 done, 1 problem found or failed, 2 bad usage, 130 interrupted.',
  ].join('\n');
}
