import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DeploymentNeedsNewVersion, recordDeployment, requestRebuild, runProjectionSpec } from '@mpp/projection-runner';
import { noPositionals, requiredString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError, EXIT, writeLine, type CliContext } from '../cli-context.js';
import { loadProjectionFile } from '../projection-file.js';

export interface ProjectionDeployOptions {
  file: string;
}

/**
 * Registers a projection module with the running projector (admin: it runs this code in the
 * projector). The file must load, must not reuse a built-in name and its specs must pass; then its
 * source is recorded and its next generation requested as `building`. The projector loads it
 * within a second, builds it from position 0 beside everything else and serves it (the public views
 * of its tables) only once it has caught up, logging when it does.
 */
export async function deployProjection(context: CliContext, options: ProjectionDeployOptions): Promise<number> {
  const { projection, specs, file } = await loadProjectionFile(options.file);
  if (context.projections.some((p) => p.name === projection.name)) {
    throw new CliUsageError(`${projection.name} is a built-in projection; a deployed one needs a name of its own`);
  }
  const out = (line: string) => writeLine(context.out, line);
  for (const spec of specs) {
    const result = await runProjectionSpec(context.knex, projection, spec);
    if (!result.passed) {
      writeLine(context.err, `not deployed: spec "${result.name}" fails (mpp projections test --file ${options.file} shows the rows)`);
      return EXIT.failed;
    }
  }
  let changed: boolean;
  try {
    changed = await recordDeployment(context.knex, {
      name: projection.name,
      version: projection.version,
      fileName: basename(file),
      source: await readFile(file, 'utf8'),
      tables: [...projection.tables],
      onPoisonEvent: projection.onPoisonEvent,
    });
  } catch (error) {
    if (error instanceof DeploymentNeedsNewVersion) throw new CliUsageError(error.message);
    throw error;
  }
  if (!changed) {
    out(`${projection.name} v${projection.version} is deployed with exactly this code already; nothing to do`);
    return EXIT.ok;
  }
  const generation = await requestRebuild(context.knex, projection);
  out(`deployed ${projection.name} v${projection.version}${specs.length > 0 ? ` (${specs.length} specs pass)` : ''}: the projector builds it as generation ${generation.generation} into ${generation.schemaName}`);
  out(`and serves ${projection.tables.map((t) => `public.${t}`).join(', ')} once it has caught up, never partial rows (until then: absent, or the previous version's)`);
  out(`follow it: mpp projections status ${projection.name} (or projections list)`);
  return EXIT.ok;
}

export const projectionsDeployCommand: CliCommand<ProjectionDeployOptions> = {
  words: ['projections', 'deploy'],
  usage: `mpp projections deploy --file <module>
  Admin: registers a projection module (.ts or .js) with the running projector, which builds it as
  a new generation and serves its tables once caught up. Its specs must pass first. A changed file
  needs a higher version (rebuilt blue/green). The projector runs this code: deploy only code you trust.
  --file PATH   the projection module, as for projections replay --file`,
  options: { file: { type: 'string' } },
  parse: (args) => {
    noPositionals(args);
    return { file: requiredString(args, 'file') };
  },
  run: deployProjection,
};
