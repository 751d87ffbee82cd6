import { rmSync } from 'node:fs';
import type { RunningPostgres } from '../../db/src/embedded-postgres.ts';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __mppTestPostgres?: RunningPostgres }).__mppTestPostgres;
  await server?.stop();
  const dataDir = process.env.MPP_TEST_PG_DATA_DIR;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
