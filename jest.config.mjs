import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc.json', import.meta.url), 'utf8'));
delete swc.$schema;

/** One Jest run for the whole repo: one throwaway PostgreSQL server (globalSetup), a fresh database per suite. */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,projections,migrations,tools}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: {
    // ESM-only package with just an `import` condition, which CommonJS resolution cannot see.
    '^canonicalize$': '<rootDir>/node_modules/canonicalize/lib/canonicalize.js',
    '^@mpp/(domain|config|db|event-store|search|testing|projection-runner|generator)$': '<rootDir>/libs/$1/src/index.ts',
    '^@mpp/(projections|migrations)$': '<rootDir>/$1/src/index.ts',
    // Subpaths of a lib (package.json `exports`), TypeScript sources like the lib itself.
    '^@mpp/event-store/export$': '<rootDir>/libs/event-store/src/export/index.ts',
    // The web's paths into libs/domain (apps/web/tsconfig.json `paths`).
    '^@mpp/domain/part-categories$': '<rootDir>/libs/domain/src/part/part-categories.ts',
    '^@mpp/domain/regions$': '<rootDir>/libs/domain/src/price/regions.ts',
    // Test entry points (package.json `exports["./testing"]`): TypeScript sources, never built.
    '^@mpp/projections/testing$': '<rootDir>/projections/src/testing/index.ts',
    '^@mpp/api/testing$': '<rootDir>/apps/api/src/testing/index.ts',
    '^@mpp/projector/testing$': '<rootDir>/apps/projector/src/testing/index.ts',
    '^@mpp/search/testing$': '<rootDir>/libs/search/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  reporters: ['default', '<rootDir>/libs/testing/src/summary-reporter.cjs'],
  testTimeout: 60000,
  // A suite that leaks a timer or a pool (a failed test that never reached its cleanup) must fail
  // CI, not hang it until its time limit: Jest reports the open handles and exits.
  forceExit: true,
};
