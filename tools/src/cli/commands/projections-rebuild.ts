import { createKnex, PROJECTOR_PRIVILEGES } from '@mpp/db';
import { findGeneration, listGenerations, ProjectionRunner, requestRebuild, type Generation, type ProjectionDefinition } from '@mpp/projection-runner';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { findProjection, flag, onePositional, positiveNumber } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { pause } from '../pause.js';
import { formatDuration, startProgress } from '../progress-bar.js';

export interface RebuildOptions {
  name: string;
  /** Follow the building generation until it serves. */
  wait: boolean;
  /** Build in this process (a ProjectionRunner for this one projection) instead of the projector; implies wait. */
  inline: boolean;
  /** Give up waiting when the checkpoint has not moved for this long. */
  stallTimeoutMs: number;
  pollMs?: number;
}

type WaitOutcome =
  | { kind: 'active'; generation: Generation }
  | { kind: 'retired'; generation: Generation | undefined }
  | { kind: 'stalled'; generation: Generation; head: bigint }
  | { kind: 'interrupted'; generation: Generation };

/**
 * Records a blue/green rebuild (the same row `POST /api/admin/projections/:name/rebuild` writes);
 * the projector builds it beside the serving generation and switches when it has caught up.
 */
export async function rebuildProjection(context: CliContext, options: RebuildOptions): Promise<number> {
  const projection = findProjection(context.projections, options.name);
  const out = (line: string) => writeLine(context.out, line);
  const already = (await listGenerations(context.knex, projection.name)).find((g) => g.state === 'building' && g.version === projection.version);
  const generation = await requestRebuild(context.knex, projection);
  const active = (await listGenerations(context.knex, projection.name)).find((g) => g.state === 'active');
  out(already
    ? `${projection.name}: a rebuild is already under way, generation ${generation.generation} (schema ${generation.schemaName}, position ${generation.position})`
    : `${projection.name}: rebuild requested, generation ${generation.generation} (version ${generation.version}) builds into ${generation.schemaName} from position 0`);
  out(active
    ? `generation ${active.generation} keeps serving until the new one has caught up; then the switch is atomic and the old schema is dropped`
    : 'no generation serves yet; the new one serves as soon as it has caught up');
  if (!options.wait && !options.inline) {
    out(`follow it with: mpp projections status ${projection.name}   (or rebuild --wait)`);
    return EXIT.ok;
  }

  const runner = options.inline ? await startInlineRunner(context, projection) : undefined;
  const started = Date.now();
  let outcome: WaitOutcome;
  try {
    outcome = await waitUntilServing(context, projection, generation.generation, options);
  } finally {
    await runner?.stop();
  }
  switch (outcome.kind) {
    case 'active':
      out(`generation ${outcome.generation.generation} of ${projection.name} caught up at position ${outcome.generation.position} and now serves (${formatDuration(Date.now() - started)})`);
      return EXIT.ok;
    case 'retired':
      out(`generation ${generation.generation} of ${projection.name} was retired before it served: a newer version or rebuild replaced it`);
      return EXIT.failed;
    case 'interrupted':
      out(`stopped waiting at position ${outcome.generation.position}; the rebuild request stays recorded and ${options.inline ? 'a projector (or another --inline run) resumes it from this checkpoint' : 'the projector goes on with it'}`);
      return EXIT.interrupted;
    case 'stalled':
      writeLine(context.err, stallMessage(projection, outcome, options));
      return EXIT.failed;
  }
}

/**
 * The generation this builds is the projector's to write and drop afterwards, so it is built as the
 * projector's role when the operator may act as it (migration 0018 made it; the owner is a member).
 */
async function startInlineRunner(context: CliContext, projection: ProjectionDefinition): Promise<{ stop(): Promise<void> }> {
  const { rows } = await context.knex.raw<{ rows: { may: boolean }[] }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?) AND pg_has_role(current_user, ?, 'MEMBER') AS may`,
    [PROJECTOR_PRIVILEGES, PROJECTOR_PRIVILEGES],
  ).catch(() => ({ rows: [{ may: false }] }));
  const connection = (context.knex.client.config as { connection?: { connectionString?: string } }).connection;
  const knex = rows[0]?.may && connection?.connectionString
    ? createKnex(connection.connectionString, { applicationName: 'mpp-cli-rebuild', poolMax: 4, actAs: PROJECTOR_PRIVILEGES })
    : undefined;
  const runner = new ProjectionRunner({
    knex: knex ?? context.knex,
    store: context.store,
    projections: [projection],
    logger: {
      log: () => {},
      warn: (message) => writeLine(context.err, `warning: ${message}`),
      error: (message) => writeLine(context.err, `error: ${message}`),
    },
  });
  await runner.start();
  return {
    async stop() {
      await runner.stop();
      await knex?.destroy();
    },
  };
}

/** Polls the generation's checkpoint (whoever builds it) until it serves, is replaced, or stops moving. */
async function waitUntilServing(context: CliContext, projection: ProjectionDefinition, generationNumber: number, options: RebuildOptions): Promise<WaitOutcome> {
  const progress = startProgress(context.err, { label: `${projection.name} g${generationNumber}`, unit: 'events' });
  let lastPosition: bigint | undefined;
  let lastMovedAt = Date.now();
  try {
    while (true) {
      const generation = await findGeneration(context.knex, projection.name, generationNumber);
      if (!generation || generation.state === 'retired' || generation.state === 'failed') return { kind: 'retired', generation };
      const head = await context.store.headPosition();
      if (generation.state === 'active') {
        progress.update(Number(generation.position), Number(generation.position), 0);
        return { kind: 'active', generation };
      }
      if (context.signal.aborted) return { kind: 'interrupted', generation };
      if (generation.position !== lastPosition) {
        lastPosition = generation.position;
        lastMovedAt = Date.now();
      } else if (Date.now() - lastMovedAt >= options.stallTimeoutMs) {
        return { kind: 'stalled', generation, head };
      }
      progress.update(Number(generation.position), Number(head), Math.round(generation.eventsPerSecond));
      await pause(options.pollMs ?? 500, context.signal);
    }
  } finally {
    progress.stop();
  }
}

function stallMessage(projection: ProjectionDefinition, outcome: Extract<WaitOutcome, { kind: 'stalled' }>, options: RebuildOptions): string {
  const { generation, head } = outcome;
  const seconds = Math.round(options.stallTimeoutMs / 1000);
  const lines = [`no progress on generation ${generation.generation} of ${projection.name} for ${seconds} s (position ${generation.position} of ${head}).`];
  if (generation.error) lines.push(`last error: ${generation.error}`);
  if (options.inline) {
    lines.push('The in-process rebuild is stuck; see the error above and `mpp projections status`. Its checkpoint is kept: a later run resumes from it.');
  } else {
    lines.push(
      'Is the projector running? It builds requested generations (npm start, or `node apps/projector/dist/main.js` with DATABASE_URL).',
      `The request stays recorded; a projector that starts later builds it. To build it here instead: mpp projections rebuild ${projection.name} --inline`,
    );
  }
  return lines.join('\n');
}

export const projectionsRebuildCommand: CliCommand<RebuildOptions> = {
  words: ['projections', 'rebuild'],
  usage: `mpp projections rebuild <name> [--wait | --inline] [--stall-timeout SECONDS]
  Requests a blue/green rebuild from position 0: the running projector builds a new generation
  beside the serving one and switches atomically when it has caught up.
  --wait                   show a progress bar until the new generation serves; gives up (exit 1)
                           when its checkpoint does not move for --stall-timeout seconds (default 15),
                           e.g. because no projector is running
  --inline                 build it in this process (the projector's own runner, for this one
                           projection) and exit when it serves; for when no projector runs
  --stall-timeout SECONDS  see --wait`,
  options: { wait: { type: 'boolean' }, inline: { type: 'boolean' }, 'stall-timeout': { type: 'string' } },
  parse: (args, projections) => {
    const wait = flag(args, 'wait');
    const inline = flag(args, 'inline');
    if (args.values['stall-timeout'] !== undefined && !wait && !inline) throw new CliUsageError('--stall-timeout only applies with --wait or --inline');
    return {
      name: findProjection(projections, onePositional(args, 'name')).name,
      wait,
      inline,
      stallTimeoutMs: positiveNumber(args, 'stall-timeout', 15) * 1000,
    };
  },
  run: rebuildProjection,
};
