import { runProjectionSpec } from '@mpp/projection-runner';
import { noPositionals, requiredString } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT, writeLine, type CliContext } from '../cli-context.js';
import { loadProjectionFile } from '../projection-file.js';

export interface ProjectionTestOptions {
  file: string;
}

/**
 * Runs the Given/Then specs a projection file exports (`export const specs = [given(...).then(...)]`)
 * against this database, each in a transaction that is rolled back: the log and every schema stay
 * as they were. Exit 1 when one fails, with the rows it expected and the rows the projection wrote.
 */
export async function testProjectionFile(context: CliContext, options: ProjectionTestOptions): Promise<number> {
  const { projection, specs } = await loadProjectionFile(options.file);
  const out = (line: string) => writeLine(context.out, line);
  if (specs.length === 0) {
    writeLine(context.err, `${options.file} exports no specs: add  export const specs = [given(specEvent(...), ...).then('what it shows', { table: [rows] })]  (helpers from @mpp/projection-runner)`);
    return EXIT.failed;
  }
  let failed = 0;
  for (const spec of specs) {
    const result = await runProjectionSpec(context.knex, projection, spec);
    out(`${result.passed ? 'ok  ' : 'FAIL'} ${projection.name}: ${result.name}`);
    for (const difference of result.differences) {
      out(`     ${difference.table}: expected ${JSON.stringify(difference.expected)}`);
      out(`     ${' '.repeat(difference.table.length)}  but got  ${JSON.stringify(difference.actual)}`);
    }
    if (!result.passed) failed += 1;
  }
  out(`${specs.length - failed} passed, ${failed} failed`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

export const projectionsTestCommand: CliCommand<ProjectionTestOptions> = {
  words: ['projections', 'test'],
  usage: `mpp projections test --file <module>
  Runs the Given events / Then rows specs a projection file exports as \`specs\`, each in a
  transaction that is rolled back (nothing is written). Exit 1 when a spec fails.
  --file PATH   the projection module (.ts or .js), as for projections replay --file`,
  options: { file: { type: 'string' } },
  parse: (args) => {
    noPositionals(args);
    return { file: requiredString(args, 'file') };
  },
  run: testProjectionFile,
};
