import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS, QUERY_PROJECTIONS, type ProjectionName } from './index.js';

/** `*.projection.ts` of this folder and of its read-model folders, as `dir/file.projection.ts`. */
function projectionModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? readdirSync(join(dir, entry.name)).map((file) => `${entry.name}/${file}`) : [entry.name]))
    .filter((file) => file.endsWith('.projection.ts'))
    .sort();
}

describe('projection registry', () => {
  it('runs every *.projection.ts module of the folder, as the generated registry lists them', () => {
    const modules = projectionModules(__dirname);
    const registry = readFileSync(join(__dirname, 'projection-registry.generated.ts'), 'utf8');
    const listed = [...registry.matchAll(/from '\.\/([\w./-]+\.projection)\.js'/g)].map(([, module]) => `${module}.ts`).sort();
    // When this fails: node tools/projections/write-projection-registry.mjs (npm runs it before every build).
    expect(listed).toEqual(modules);
    expect(ALL_PROJECTIONS).toHaveLength(modules.length);
  });

  it('types ProjectionName as the names the projections define', () => {
    const registry = readFileSync(join(__dirname, 'projection-registry.generated.ts'), 'utf8');
    const typed = [...(/export type ProjectionName = (.*);/.exec(registry)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(([, name]) => name);
    expect(typed.sort()).toEqual(ALL_PROJECTIONS.map((projection) => projection.name).sort());
    const names: ProjectionName[] = ALL_PROJECTIONS.map((projection) => projection.name as ProjectionName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps each projection in its read model folder, beside the tables file that names its tables', () => {
    const modules = projectionModules(__dirname);
    expect(modules.filter((module) => !module.includes('/'))).toEqual([]);
    const withoutTables = modules.map((module) => module.split('/')[0]!).filter((folder) => !existsSync(join(__dirname, folder, `${folder}.tables.ts`)));
    expect(withoutTables).toEqual([]);
  });

  it('serves no public table name from two projections', () => {
    const tables = ALL_PROJECTIONS.flatMap((projection) => projection.tables);
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('makes every query family wait only for projections the projector runs', () => {
    const running = new Set(ALL_PROJECTIONS.map((projection) => projection.name));
    for (const [family, names] of Object.entries(QUERY_PROJECTIONS)) {
      expect({ family, missing: names.filter((name) => !running.has(name)) }).toEqual({ family, missing: [] });
    }
  });
});
