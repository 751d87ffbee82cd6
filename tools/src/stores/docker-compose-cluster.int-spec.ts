import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

// The clustered topology (DESIGN §10): checked here for what `docker compose up` would only reveal
// on a real cluster (a missing replica, a service that starts before its stores are healthy, a
// proxy that hides the client's address).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = `${ROOT}docker-compose.cluster.yml`;

interface ComposeService {
  image?: string;
  build?: { dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}

// Merge keys (<<) as docker compose reads them.
const cluster = parse(readFileSync(FILE, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = cluster.services;
const named = (prefix: string) => Object.keys(services).filter((name) => name.startsWith(prefix)).sort();
const byDockerfile = (dockerfile: string) => Object.keys(services).filter((name) => services[name]!.build?.dockerfile === dockerfile).sort();

describe('docker-compose.cluster.yml', () => {
  it('runs three KurrentDB nodes that gossip with each other, and points the apps at all three', () => {
    const nodes = named('kurrentdb-');
    expect(nodes).toEqual(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3']);
    for (const node of nodes) {
      const env = services[node]!.environment!;
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe('3');
      expect(env.KURRENTDB_GOSSIP_SEED!.split(',').map((seed) => seed.split(':')[0]).sort()).toEqual(nodes.filter((n) => n !== node));
      expect(env.KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS).toBe(node);
    }
    const url = services['api-1']!.environment!.EVENTSTORE_URL!;
    for (const node of nodes) expect(url).toContain(`${node}:2113`);
  });

  it('runs a PostgreSQL primary and a streaming replica, and gives the apps the replica as DATABASE_READ_URL', () => {
    expect(services['postgres-primary']!.command).toEqual(expect.arrayContaining(['wal_level=replica']));
    expect(services['postgres-replica']!.entrypoint!.join(' ')).toContain('postgres-replica-entrypoint.sh');
    expect(readFileSync(`${ROOT}docker/cluster/postgres-replica-entrypoint.sh`, 'utf8')).toMatch(/pg_basebackup .*-h postgres-primary .*-R/);
    expect(services['postgres-replica']!.depends_on).toEqual({ 'postgres-primary': { condition: 'service_healthy' } });
    for (const app of [...named('api-'), ...named('projector-')]) {
      expect(services[app]!.environment!.DATABASE_URL).toContain('@postgres-primary:');
    }
    for (const api of named('api-')) expect(services[api]!.environment!.DATABASE_READ_URL).toContain('@postgres-replica:');
  });

  it('runs two api, two projector (sharing projections by lease) and two web processes', () => {
    expect(byDockerfile('docker/api.Dockerfile')).toEqual(['api-1', 'api-2']);
    expect(byDockerfile('docker/projector.Dockerfile')).toEqual(['projector-1', 'projector-2']);
    expect(byDockerfile('docker/web.Dockerfile')).toEqual(['web-1', 'web-2']);
    for (const projector of named('projector-')) expect(services[projector]!.environment!.PROJECTOR_LEASES).toBe('1');
  });

  it('publishes only the reverse proxy, which balances over both web and both API processes and forwards the client address', () => {
    const published = Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0).map(([name]) => name);
    expect(published).toEqual(['proxy']);
    const nginx = readFileSync(`${ROOT}docker/cluster/nginx.conf`, 'utf8');
    for (const upstream of ['web-1:4000', 'web-2:4000', 'api-1:3000', 'api-2:3000']) expect(nginx).toContain(`server ${upstream}`);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(nginx).toMatch(/location \/api\/ \{ proxy_pass http:\/\/api; \}/);
    expect(services.proxy!.volumes).toContain('./docker/cluster/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('gives every service a healthcheck and starts each only once what it needs is healthy', () => {
    expect(Object.entries(services).filter(([, s]) => !s.healthcheck?.test?.length).map(([name]) => name)).toEqual([]);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, known: dependency in services, condition }).toEqual({ name, dependency, known: true, condition: 'service_healthy' });
      }
    }
    for (const app of [...named('api-'), ...named('projector-')]) {
      expect(Object.keys(services[app]!.depends_on!)).toEqual(expect.arrayContaining(['postgres-primary', 'postgres-replica', 'kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'meilisearch']));
    }
  });

  it('pins KurrentDB and Meilisearch to exact versions, one KurrentDB version on all three nodes', () => {
    const images = new Set(named('kurrentdb-').map((node) => services[node]!.image));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/:\d+\.\d+\.\d+$/);
    expect(services.meilisearch!.image).toMatch(/:v\d+\.\d+\.\d+$/);
  });
});

// `docker compose config` reads the file the way `docker compose up` does; these build machines have
// the docker client without the compose plugin, so there the test says why it does not run.
const composeVersion = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 10_000 });
if (composeVersion.status === 0) {
  it('is a valid compose file (docker compose config -q)', () => {
    const config = spawnSync('docker', ['compose', '-f', FILE, 'config', '-q'], { encoding: 'utf8', timeout: 60_000, cwd: ROOT });
    expect({ status: config.status, stderr: config.stderr }).toEqual({ status: 0, stderr: '' });
  });
} else {
  const reason = (composeVersion.error?.message ?? composeVersion.stderr ?? '').trim().split('\n')[0];
  process.stdout.write(`skipped: docker compose config -q on docker-compose.cluster.yml (no docker compose here: ${reason})\n`);
  it.skip(`is a valid compose file (docker compose config -q): skipped, no docker compose here (${reason})`, () => {});
}
