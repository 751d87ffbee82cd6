import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const REPO_ROOT = resolve(__dirname, '../../..');
const MAP = readFileSync(join(REPO_ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
/** Build outputs and caches, not part of the map. */
const NOT_SOURCE = new Set(['dist', 'node_modules', '.nx', '.angular']);
const PACKAGE_ROOTS = ['apps', 'libs', 'projections', 'tools'];
/** The API's sides: each holds feature folders, every one of which the map names. */
const API_SIDES = ['commands', 'queries', 'integrations', 'operations'];

/** Every `code span` of the page. */
const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span!);
/** A path from the repository's root (`apps/api`, `docs/api.md`...). */
const REPO_PATH = /^(apps|libs|projections|tools|migrations|docker|docs)\/[\w./-]*$/;

/** The page's section under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = MAP.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no section "${heading}"`);
  const end = MAP.indexOf('\n## ', start + 3);
  return MAP.slice(start, end < 0 ? undefined : end);
}

/** Folders of the API's table, named relative to apps/api/src (`auth/`, `commands/builds/`...). */
const apiFoldersNamed = (): string[] =>
  codeSpans(section("The API's feature modules")).filter((span) => /^[\w-]+(\/[\w-]+)*\/$/.test(span) && !REPO_PATH.test(span)).map((span) => span.replace(/\/$/, ''));

const foldersOf = (dir: string): string[] =>
  readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_SOURCE.has(entry.name))
    .map((entry) => `${dir}/${entry.name}`);

describe('docs/ARCHITECTURE.md, the map of the code', () => {
  it('names only paths that exist', () => {
    const repoPaths = codeSpans(MAP).filter((span) => REPO_PATH.test(span));
    const apiFolders = apiFoldersNamed().map((folder) => `apps/api/src/${folder}`);
    expect(repoPaths.length).toBeGreaterThan(10);
    expect(apiFolders.length).toBeGreaterThan(20);
    expect([...repoPaths, ...apiFolders].filter((path) => !existsSync(join(REPO_ROOT, path)))).toEqual([]);
  });

  it('names every top-level folder of apps/, libs/, projections/ and tools/ in its layout', () => {
    const layout = new Set(codeSpans(section('Layout')).flatMap((span) => span.split(/,\s*/)).map((span) => span.replace(/\/$/, '')));
    expect(PACKAGE_ROOTS.flatMap(foldersOf).filter((folder) => !layout.has(folder))).toEqual([]);
  });

  it('names every folder of projections/src (a read model, shared, reactors, indexers, testing) in its layout', () => {
    const layout = new Set(codeSpans(section('Layout')).map((span) => span.replace(/\/$/, '')));
    const folders = foldersOf('projections/src');
    expect(folders.length).toBeGreaterThan(8);
    expect(folders.filter((folder) => !layout.has(folder))).toEqual([]);
  });

  it("names every folder of apps/api/src and every feature folder of the API's sides", () => {
    const named = new Set(apiFoldersNamed());
    const apiRoot = 'apps/api/src';
    const sides = foldersOf(apiRoot).map((folder) => folder.slice(apiRoot.length + 1));
    expect(sides).toEqual(expect.arrayContaining(API_SIDES));
    const features = API_SIDES.flatMap((side) => foldersOf(`${apiRoot}/${side}`).map((folder) => folder.slice(apiRoot.length + 1)));
    // A side is a grouping only: its features are folders, never loose files.
    const looseFiles = API_SIDES.flatMap((side) =>
      readdirSync(join(REPO_ROOT, apiRoot, side), { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => `${side}/${entry.name}`),
    );
    expect(looseFiles).toEqual([]);
    expect([...sides.filter((folder) => !API_SIDES.includes(folder)), ...features].filter((folder) => !named.has(folder))).toEqual([]);
  });

});

/** Every source file under a folder, build outputs and dependencies left out. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return NOT_SOURCE.has(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|mts|cts|mjs|cjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers a file imports, re-exports, requires or mocks. */
const specifiersOf = (text: string): string[] =>
  [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|jest\.(?:mock|unstable_mockModule)\(\s*)(['"])([^'"\n]+)\1/g)].map(([, , specifier]) => specifier!);

describe('the product never imports tools/', () => {
  // The tools (CLI, benchmarks, soak) depend on the product, never the other way round: what both
  // need lives in a lib (@mpp/generator, @mpp/event-store/export, @mpp/testing...). Running a tool as
  // a program (the offline verifier an auditor runs) is not an import.
  const PRODUCT_ROOTS = ['apps', 'libs', 'projections', 'migrations'];
  const toolsDir = join(REPO_ROOT, 'tools');

  function importsOfTools(file: string): string[] {
    return specifiersOf(readFileSync(join(REPO_ROOT, file), 'utf8'))
      .filter((specifier) => specifier === '@mpp/tools' || specifier.startsWith('@mpp/tools/') || (specifier.startsWith('.') && !relative(toolsDir, resolve(REPO_ROOT, dirname(file), specifier)).startsWith('..')))
      .map((specifier) => `${file} imports ${specifier}`);
  }

  it('finds the imports it looks for', () => {
    expect(specifiersOf(`import { a } from '../../tools/src/x.js';\nexport * from "@mpp/tools";\nconst b = await import('./c.js');\nimport './d.js';`)).toEqual(['../../tools/src/x.js', '@mpp/tools', './c.js', './d.js']);
    expect(importsOfTools('apps/api/src/main.ts')).toEqual([]);
  });

  it('has no file under apps/, libs/, projections/ or migrations/ importing from tools/', () => {
    const files = PRODUCT_ROOTS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(500);
    expect(files.flatMap(importsOfTools)).toEqual([]);
  });
});
