import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ALL_PROJECTIONS } from '@mpp/projections';

const REPO_ROOT = resolve(__dirname, '../../..');
/**
 * The code that reads read models from outside projections/. Migrations are left out: they are
 * history, never edited. libs/search names the search tables itself (`search-tables.ts`) because
 * it sits below @mpp/projections (docs/projections.md); its statements go through those names.
 */
const READERS = ['apps/api/src', 'apps/projector/src', 'tools/src', ...readdirSync(join(REPO_ROOT, 'libs')).map((lib) => `libs/${lib}/src`)];

const PUBLIC_TABLES = [...new Set(ALL_PROJECTIONS.flatMap((projection) => projection.tables))];

/** knex and the helpers that take a table name (the tests' `rowsOf`, `rowsWhere`, a role's own knex). */
const QUERY_CALLS = ['knex', 'trx', 'table', 'join', 'leftJoin', 'rightJoin', 'innerJoin', 'from', 'into', 'qualify', 'rowsOf', 'rowsWhere', 'asApi', 'readsPrimary'];

/**
 * A table named in code: a knex call or a helper given the name (`knex('part_prices as pp')`,
 * `.join('parts as p', …)`, `qualify(schema, 'builds')`), or SQL naming it after FROM, JOIN, INTO or
 * UPDATE. Comments are skipped: a comment may say which table a query reads.
 */
function spellings(source: string, tables: readonly string[]): string[] {
  const names = tables.map((table) => table.replace(/[^\w]/g, '')).join('|');
  const call = new RegExp(`\\b(?:${QUERY_CALLS.join('|')})\\(\\s*(?:[^,()'"\`]+,\\s*)?(['"\`])(?:public\\.)?(${names})(?:\\s+as\\s+\\w+)?\\1`);
  const sql = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(?:"?public"?\\.)?"?(${names})\\b(?![.(])`);
  return source
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => !/^(\/\/|\*|\/\*)/.test(line))
    .filter(({ line }) => call.test(line) || sql.test(line))
    .map(({ line, number }) => `${number}: ${line}`);
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.split('/').some((part) => part === 'node_modules' || part === 'dist'))
    .map((file) => `${dir}/${file}`);
}

describe('a read model table is spelled in its read model folder alone', () => {
  it('finds a table spelled in a knex call or in SQL, and not in a comment or another word', () => {
    const source = [
      "await knex('part_prices as pp').join('retailers as r', 'r.id', 'pp.retailer_id');",
      'const sql = `SELECT 1 FROM part_prices pp JOIN parts p ON p.id = pp.part_id`;',
      "await knex.raw(`SELECT * FROM ${qualify(schema, 'builds')}`);",
      '// reads part_prices: FROM part_prices',
      "@ApiTags('builds')",
      "await knex(PART_PRICES).join(`${RETAILERS} as r`, 'r.id', 'pp.retailer_id');",
      'SELECT 1 FROM part_prices_archive',
    ].join('\n');
    expect(spellings(source, ['part_prices', 'parts', 'retailers', 'builds']).map((hit) => Number(hit.split(':')[0]))).toEqual([1, 2, 3]);
  });

  it('leaves the API, the projector, the tools and the libs to the names and reads @mpp/projections exports', () => {
    expect(PUBLIC_TABLES.length).toBeGreaterThan(15);
    // This file's own samples are the detector's test above.
    const files = READERS.flatMap(typeScriptFiles).filter((file) => file !== 'tools/src/checks/read-model-tables.int-spec.ts');
    expect(files.length).toBeGreaterThan(300);
    const found = files.flatMap((file) => spellings(readFileSync(join(REPO_ROOT, file), 'utf8'), PUBLIC_TABLES).map((hit) => `${file}:${hit}`));
    expect(found).toEqual([]);
  });
});
