import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineProjection, type ProjectionDefinition } from './projection.js';
import type { ProjectionSpec } from './projection-spec.js';

/** A projection module that cannot be used: missing, not loadable, or exporting no (or several) projections. */
export class ProjectionModuleInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionModuleInvalid';
  }
}

/** What a projection file exports: one projection, and optionally its Given/Then specs. */
export interface ProjectionModule {
  projection: ProjectionDefinition;
  specs: readonly ProjectionSpec[];
  file: string;
}

/** Bare imports a file outside the repo cannot resolve itself (`@mpp/projection-runner`, `zod`) resolve as from this package. */
const RESOLVE_FROM = new URL('../package.json', import.meta.url).href;
let hooksRegistered = false;

function resolveOurPackagesForOutsideFiles(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':');
        if (!bare || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
        return nextResolve(specifier, { ...context, parentURL: RESOLVE_FROM });
      }
    },
  });
}

/**
 * Loads a projection module from anywhere (`./spread.projection.ts`), at run time, without editing
 * or rebuilding the app. TypeScript runs through Node's type stripping (erasable syntax: types and
 * `import type`; no enums or namespaces), JavaScript as it is. It may import our published packages
 * (`@mpp/projection-runner` for `defineProjection` and the spec helpers, `@mpp/projections` for
 * `dataOf`/`occurredAt`, `@mpp/domain`) and what they depend on (`knex`, `zod`).
 */
export async function loadProjectionModule(path: string): Promise<ProjectionModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ProjectionModuleInvalid(`${path}: no such file`);
  resolveOurPackagesForOutsideFiles();
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint = code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? ' (Node runs TypeScript by erasing types: use no enums, namespaces or parameter properties, or write JavaScript)' : '';
    throw new ProjectionModuleInvalid(`${path} did not load: ${(error as Error).message.split('\n')[0]}${hint}`);
  }
  const candidates = Object.entries(exports).filter(([, value]) => looksLikeProjection(value));
  const chosen = candidates.find(([name]) => name === 'default') ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!chosen) {
    throw new ProjectionModuleInvalid(
      candidates.length === 0
        ? `${path} exports no projection: export one made with defineProjection (from @mpp/projection-runner), as default or by name`
        : `${path} exports ${candidates.length} projections (${candidates.map(([name]) => name).join(', ')}); export one, or make one the default export`,
    );
  }
  let projection: ProjectionDefinition;
  try {
    projection = defineProjection(chosen[1] as ProjectionDefinition);
  } catch (error) {
    throw new ProjectionModuleInvalid(`${path}: ${(error as Error).message}`);
  }
  const specs = exports.specs ?? [];
  if (!Array.isArray(specs)) throw new ProjectionModuleInvalid(`${path}: \`specs\` must be an array of given(...).then(...) specs`);
  return { projection, specs: specs as ProjectionSpec[], file };
}

function looksLikeProjection(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Record<string, unknown>>;
  return typeof candidate.name === 'string' && typeof candidate.createTables === 'function' && Array.isArray(candidate.tables) && ('handlers' in candidate || 'applyBatch' in candidate);
}
