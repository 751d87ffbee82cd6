import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const REPO_ROOT = resolve(__dirname, '../../..');
const MAP = readFileSync(join(REPO_ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
/** Build outputs and caches, not part of the map. */
const NOT_SOURCE = new Set(['dist', 'node_modules', '.nx', '.angular']);
const PACKAGE_ROOTS = ['apps', 'libs', 'projections', 'tools'];

/** Every `code span` of the page. */
const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span!);

/** The page's section under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = MAP.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no section "${heading}"`);
  const end = MAP.indexOf('\n## ', start + 3);
  return MAP.slice(start, end < 0 ? undefined : end);
}

const foldersOf = (dir: string): string[] =>
  readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_SOURCE.has(entry.name))
    .map((entry) => `${dir}/${entry.name}`);

describe('docs/ARCHITECTURE.md, the map of the code', () => {
  it('names only paths that exist', () => {
    const repoPaths = codeSpans(MAP).filter((span) => /^(apps|libs|projections|tools|migrations|docker|docs)\/[\w./-]*$/.test(span));
    // Folders of the API's table are named relative to apps/api/src (`auth/`, `http/`...).
    const apiFolders = codeSpans(section("The API's feature modules")).filter((span) => /^[\w-]+\/$/.test(span)).map((span) => `apps/api/src/${span}`);
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
});
