import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Jest loads global setup outside its module mapper, so reach the source file directly.
import { startEmbeddedPostgres } from '../../db/src/embedded-postgres.ts';
import { findFreePort } from './free-port.ts';

const PREFIX = 'mpp-test-pg-';

/**
 * One throwaway PostgreSQL server for the whole `npm test` run; each suite makes its own database
 * in it (see createTestDatabase). The URL reaches the workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  // A server named by the caller (CI's PostgreSQL service container, .github/workflows/stores.yml):
  // suites make their databases there, and there is nothing to start or stop.
  if (process.env.MPP_TEST_PG_ADMIN_URL) return;
  removeStaleClusters();
  const dataDir = mkdtempSync(join(tmpdir(), PREFIX));
  const port = await findFreePort();
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  process.env.MPP_TEST_PG_ADMIN_URL = server.adminUrl;
  process.env.MPP_TEST_PG_DATA_DIR = dataDir;
  (globalThis as { __mppTestPostgres?: typeof server }).__mppTestPostgres = server;
}

/** A killed run leaves its cluster directory behind; anything older than a day is garbage. */
function removeStaleClusters(): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    if (statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
  }
}
