import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Knex } from 'knex';
import type { EventStore } from '@mpp/event-store';
import { listDeployments, loadProjectionModule, ProjectionRunner, type ProjectionDeployment, type RunnerLogger } from '@mpp/projection-runner';

export interface DeployedProjectionsOptions {
  knex: Knex;
  store: EventStore;
  logger: RunnerLogger;
  /** How often to look for new deployments (`mpp projections deploy`). */
  pollMs?: number;
}

interface Running {
  sha256: string;
  runner: ProjectionRunner;
}

/**
 * Runs the projections deployed at run time beside the built-in ones: for each deployment (or new
 * version of one) it writes the recorded source to a file, loads it and hands it to a runner of its
 * own. Like every projection's first generation, it is served (public views) only once it has caught
 * up, and the runner logs that moment; a new version rebuilds blue/green.
 */
export class DeployedProjectionsWatcher {
  private readonly running = new Map<string, Running>();
  private readonly failed = new Set<string>();
  private poller?: NodeJS.Timeout;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: DeployedProjectionsOptions) {}

  async start(): Promise<void> {
    await this.poll();
    if (this.stopped) return;
    this.poller = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.options.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    await this.polling;
    await Promise.all([...this.running.values()].map(({ runner }) => runner.stop()));
    this.running.clear();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    let deployments: ProjectionDeployment[];
    try {
      deployments = await listDeployments(this.options.knex);
    } catch (error) {
      this.options.logger.warn(`could not read deployed projections: ${(error as Error).message}`);
      return;
    }
    for (const deployment of deployments) {
      if (this.running.get(deployment.name)?.sha256 === deployment.sha256 || this.failed.has(deployment.sha256)) continue;
      await this.run(deployment).catch((error: unknown) => {
        // Not retried: the same code would fail the same way; a fixed deployment has another digest.
        this.failed.add(deployment.sha256);
        this.options.logger.error(`deployed projection ${deployment.name} (${deployment.fileName}) could not be started: ${(error as Error).message}`);
      });
    }
  }

  private async run(deployment: ProjectionDeployment): Promise<void> {
    const { knex, store, logger } = this.options;
    const folder = join(tmpdir(), 'mpp-deployed-projections');
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${deployment.name}-${deployment.sha256.slice(0, 16)}${extname(deployment.fileName) || '.js'}`);
    await writeFile(file, deployment.source);
    const { projection } = await loadProjectionModule(file);
    if (projection.name !== deployment.name) throw new Error(`the module defines ${projection.name}, deployed as ${deployment.name}`);
    const previous = this.running.get(deployment.name);
    await previous?.runner.stop();
    const runner = new ProjectionRunner({ knex, store, projections: [projection], logger });
    this.running.set(deployment.name, { sha256: deployment.sha256, runner });
    await runner.start();
    logger.log(`deployed projection ${projection.name} v${projection.version} (${deployment.fileName}) loaded; it serves once caught up`);
  }
}
