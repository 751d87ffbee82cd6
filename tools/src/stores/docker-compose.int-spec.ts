import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { runDocker } from './docker-engine.js';

// docker-compose.yml and the CI workflow are the two places real servers run: they must pin the
// same servers, wait for health, and run the contract suites with the URLs set.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => parse(readFileSync(`${ROOT}${path}`, 'utf8')) as Record<string, unknown>;

interface ComposeService {
  image?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}
interface WorkflowJob {
  services: Record<string, { image: string; env?: Record<string, string>; options?: string }>;
  env: Record<string, string>;
  steps: { run?: string }[];
}

const compose = read('docker-compose.yml') as { services: Record<string, ComposeService> };
const workflow = read('.github/workflows/stores.yml') as { jobs: { contracts: WorkflowJob } };
const job = workflow.jobs.contracts;

describe('docker-compose.yml', () => {
  it('gives every service a healthcheck', () => {
    const without = Object.entries(compose.services).filter(([, service]) => !service.healthcheck?.test?.length).map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('starts a service only once what it needs is healthy; the API and the projector need all three stores', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
      }
    }
    for (const app of ['api', 'projector']) {
      expect(Object.keys(compose.services[app].depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'kurrentdb', 'meilisearch']));
    }
  });

  it('pins KurrentDB and Meilisearch to exact versions, Meilisearch one whose swap API the client speaks (v1.18+)', () => {
    expect(compose.services.kurrentdb.image).toMatch(/:\d+\.\d+\.\d+$/);
    const meili = /:v(\d+)\.(\d+)\.(\d+)$/.exec(compose.services.meilisearch.image ?? '');
    expect(meili).not.toBeNull();
    const [major, minor] = [Number(meili![1]), Number(meili![2])];
    expect(major > 1 || (major === 1 && minor >= 18)).toBe(true);
  });
});

describe('.github/workflows/stores.yml', () => {
  it('runs the same server images as docker-compose.yml, each with a health check', () => {
    for (const name of ['kurrentdb', 'meilisearch', 'postgres']) {
      expect({ name, image: job.services[name].image }).toEqual({ name, image: compose.services[name].image });
      expect(job.services[name].options).toContain('--health-cmd');
    }
  });

  it('points both contract suites at the service containers, with the key the Meilisearch service has', () => {
    expect(job.env.EVENTSTORE_URL).toBe('esdb://localhost:2113?tls=false');
    expect(job.env.MEILI_URL).toBe('http://localhost:7700');
    expect(job.env.MEILI_MASTER_KEY).toBe(job.services.meilisearch.env?.MEILI_MASTER_KEY);
    const run = job.steps.map((step) => step.run ?? '').join('\n');
    expect(run).toContain('npm ci');
    for (const suite of ['libs/event-store/src/eventstoredb/eventstoredb-event-store.int-spec.ts', 'libs/search/src/meilisearch/meilisearch-catalog-search.int-spec.ts']) {
      expect({ suite, named: run.includes(suite), exists: existsSync(`${ROOT}${suite}`) }).toEqual({ suite, named: true, exists: true });
    }
  });
});

// The compose plugin validates the file the way `docker compose up` reads it; where it is absent
// (these build machines have the docker client only), the test says so instead of passing silently.
const composePlugin = runDocker(['compose', 'version']);
if (composePlugin.ok) {
  it('is a valid compose file (docker compose config -q)', () => {
    const config = runDocker(['compose', '-f', `${ROOT}docker-compose.yml`, 'config', '-q'], 60_000);
    expect(config).toEqual({ ok: true, reason: expect.any(String) });
  });
} else {
  it.skip(`is a valid compose file (skipped: docker compose is not available here: ${composePlugin.reason})`, () => undefined);
}
