import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dockerComposeUnavailable } from './docker-engine.js';

/**
 * `npm run test:stores`: the contract suites of the production stores against real servers.
 * Starts KurrentDB and Meilisearch from docker-compose.yml (the pinned images), waits until their
 * healthchecks pass, runs the EventStoreDB and Meilisearch contract suites with EVENTSTORE_URL /
 * MEILI_URL / MEILI_MASTER_KEY pointing at them, and removes the containers and their volumes.
 * Without a Docker engine it says so in one line and exits 2 at once.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROJECT = 'mpp-stores';
const SERVICES = ['kurrentdb', 'meilisearch'];
const CONTRACT_SUITES = [
  'libs/event-store/src/eventstoredb/eventstoredb-event-store.int-spec.ts',
  'libs/search/src/meilisearch/meilisearch-catalog-search.int-spec.ts',
];
const HEALTHY_WITHIN_S = 180;

const masterKey = process.env.MEILI_MASTER_KEY ?? 'dev-master-key';
const compose = (...args: string[]) => ['compose', '-f', 'docker-compose.yml', '-p', PROJECT, ...args];
const composeEnv = { ...process.env, MEILI_MASTER_KEY: masterKey };

function composeDown(): void {
  spawnSync('docker', compose('down', '--volumes', '--remove-orphans'), { cwd: ROOT, env: composeEnv, stdio: 'inherit', timeout: 120_000 });
}

function runContractSuites(): Promise<number> {
  const jest = spawn(
    process.execPath,
    ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--ci', '--runTestsByPath', ...CONTRACT_SUITES],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', MEILI_URL: 'http://localhost:7700', MEILI_MASTER_KEY: masterKey },
    },
  );
  return new Promise((resolve) => jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const unavailable = dockerComposeUnavailable();
  if (unavailable) {
    console.error(`test:stores: cannot start KurrentDB and Meilisearch here: ${unavailable}. Run it on a machine with Docker, or see .github/workflows/stores.yml.`);
    return 2;
  }
  const stop = () => {
    composeDown();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    console.log(`test:stores: starting ${SERVICES.join(' and ')} (docker-compose.yml), waiting up to ${HEALTHY_WITHIN_S} s for them to be healthy`);
    const up = spawnSync('docker', compose('up', '--detach', '--wait', '--wait-timeout', String(HEALTHY_WITHIN_S), ...SERVICES), {
      cwd: ROOT,
      env: composeEnv,
      stdio: 'inherit',
      timeout: (HEALTHY_WITHIN_S + 600) * 1000,
    });
    if (up.status !== 0) {
      console.error(`test:stores: ${SERVICES.join(' and ')} did not become healthy (docker compose up exited ${up.status ?? up.signal}).`);
      return 1;
    }
    return await runContractSuites();
  } finally {
    composeDown();
  }
}

process.exit(await main());
