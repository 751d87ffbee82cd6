import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const REPO_ROOT = resolve(__dirname, '../../..');
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** The projects `npm run typecheck` hands to `tsc -p`, read from the script itself so the test follows it. */
function typecheckProjects(): string[] {
  const script: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.typecheck;
  const projects = [...script.matchAll(/tsc -p (\S+)/g)].map(([, project]) => resolve(REPO_ROOT, project!));
  return projects.map((project) => (project.endsWith('.json') ? project : join(project, 'tsconfig.json')));
}

function filesOf(configPath: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`could not read ${configPath}`);
  return parsed.fileNames.map((file) => resolve(file));
}

function repoTypeScriptFiles(): string[] {
  const found = ts.sys.readDirectory(REPO_ROOT, ['.ts'], ['**/node_modules', '**/dist', '**/.nx', '**/.angular'], ['apps/**/*', 'libs/**/*', 'projections/**/*', 'migrations/**/*', 'tools/**/*']);
  return found.map((file) => resolve(file)).filter((file) => !file.endsWith('.d.ts'));
}

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TSC, '-p', project, '--pretty', 'false'], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('npm run typecheck', () => {
  it('covers every TypeScript file of the repo, tests and benchmarks included', () => {
    const checked = new Set(typecheckProjects().flatMap(filesOf));
    const files = repoTypeScriptFiles();
    expect(files.filter((file) => TEST_FILE.test(file)).length).toBeGreaterThan(50);
    expect(files.filter((file) => !checked.has(file)).map((file) => relative(REPO_ROOT, file))).toEqual([]);
  });

  describe('on a spec file with a type error', () => {
    // A throwaway project with the real settings, one real spec and one broken spec: as small as the check can be.
    let scratch: string;
    const realSpec = join(REPO_ROOT, 'libs/domain/src/price/price-staleness.spec.ts');

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'mpp-typecheck-'));
      writeFileSync(join(scratch, 'broken.spec.ts'), "export const confirmations: number = 'three';\n");
      // Type roots resolve from the config's own folder, which here is outside the repo.
      const compilerOptions = { typeRoots: [join(REPO_ROOT, 'node_modules/@types')] };
      const project = (files: string[]) => JSON.stringify({ extends: join(REPO_ROOT, 'tsconfig.typecheck.json'), compilerOptions, files, include: [] });
      writeFileSync(join(scratch, 'tsconfig.broken.json'), project([realSpec, join(scratch, 'broken.spec.ts')]));
      writeFileSync(join(scratch, 'tsconfig.sound.json'), project([realSpec]));
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('exits non-zero and names the file and the line', async () => {
      const { code, output } = await tsc(join(scratch, 'tsconfig.broken.json'));
      expect(code).not.toBe(0);
      expect(output).toContain('broken.spec.ts(1,14): error TS2322');
      expect(output).not.toContain('price-staleness.spec.ts');
    });

    it('passes the same real spec without the broken one', async () => {
      await expect(tsc(join(scratch, 'tsconfig.sound.json'))).resolves.toEqual({ code: 0, output: '' });
    });
  });
});
