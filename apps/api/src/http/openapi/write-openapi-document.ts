import { writeFileSync } from 'node:fs';
import { describeApi, serialiseOpenApiDocument } from './describe-api.js';

/** `npm run openapi`: rewrites apps/api/openapi.json (the web's API types are generated from it). */
const target = new URL('../../../openapi.json', import.meta.url);
try {
  writeFileSync(target, serialiseOpenApiDocument(await describeApi()));
  process.stdout.write(`wrote ${target.pathname}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`could not describe the API: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
