import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const PROJECTOR_MAIN = resolve(REPO_ROOT, 'apps/projector/dist/main.js');
