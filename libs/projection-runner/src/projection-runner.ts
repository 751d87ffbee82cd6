import type { Knex } from 'knex';
import { abortableDelay, type EventStore } from '@mpp/event-store';
import { createGeneration, findGeneration, listGenerations, recordGenerationError, setGenerationState, type Generation } from './checkpoints.js';
import { alignCheckpointsWithEventStore } from './event-store-kind.js';
import { ProjectionHandlerFailed } from './apply-batch.js';
import { LeaseLost } from './leases/lease-fence.js';
import type { ProjectionDefinition } from './projection.js';
import { dropSchema, ensureTables, generationSchema } from './projection-schema.js';
import { DEFAULT_BATCH_SIZE, runProjectionWorker } from './projection-worker.js';
import { SharedLogReader } from './shared-log-reader.js';
import { switchToGeneration } from './switch-generation.js';
import { startOfNewGeneration } from './new-generation-start.js';

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  knex: Knex;
  store: EventStore;
  projections: readonly ProjectionDefinition[];
  batchSize?: number;
  /** How often to look for rebuilds requested by other processes (the API's admin route). */
  rebuildPollMs?: number;
  logger?: RunnerLogger;
  /**
   * Set when this runner runs under a lease (LeaseKeeper): every batch checks in its own
   * transaction that this holder still owns the projection's lease, and a worker that finds it
   * gone stops instead of retrying.
   */
  leaseHolder?: string;
  /**
   * The reading of the log to share (shared-log-reader.ts). Under leases each projection has a
   * runner of its own; handing them one reader keeps one page read and decoded per append for all
   * of them, instead of one per projection. Default: a reader of this runner's own.
   */
  reader?: SharedLogReader;
  /** The most start() holds the readings for workers still starting (default 30 s; see `startup`). */
  startupHoldMs?: number;
}

interface RunningWorker {
  generation: number;
  /** Aborts this worker alone (its generation was retired); stop() aborts them all. */
  controller: AbortController;
  done: Promise<void>;
}

const RETRY_DELAYS_MS = [200, 500, 1000, 2000, 5000];
/** The most start() holds the readings for workers still starting: a worker failing to start must not hold the others. */
const STARTUP_HOLD_MS = 30_000;
const silentLogger: RunnerLogger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * Runs every projection: the active generation follows the live log; a building generation (a new
 * version, or a requested rebuild) catches up beside it and takes over atomically when it has.
 */
export class ProjectionRunner {
  private readonly workers = new Map<string, RunningWorker>();
  private readonly logger: RunnerLogger;
  private readonly stopped = new AbortController();
  /** Reconciles and polls under way (start, requestRebuild, the poller): stop() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private poller?: NodeJS.Timeout;
  /** Workers at nearby positions share one reading of the log: each page is read and decoded once. */
  private readonly reader: SharedLogReader;
  /**
   * While start() starts its workers, the readings keep every page (SharedLogReader.hold): the
   * workers start one after another (tables to create first), and one that asks for the log after
   * the first ones had it read past its start would read it all again. Released once every worker
   * started then has its place in the reading (or ended), or after STARTUP_HOLD_MS.
   */
  private startup: { reconciling: boolean; pending: Set<string>; release: () => void } | undefined;

  constructor(private readonly options: RunnerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.reader = options.reader ?? new SharedLogReader({ store: options.store, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE });
  }

  async start(): Promise<void> {
    await alignCheckpointsWithEventStore(this.options.knex, this.options.store.kind, (message) => this.logger.warn(message));
    const release = this.reader.hold();
    const timeout = setTimeout(() => this.started('all'), this.options.startupHoldMs ?? STARTUP_HOLD_MS);
    timeout.unref();
    const releaseNow = () => {
      clearTimeout(timeout);
      release();
    };
    this.startup = { reconciling: true, pending: new Set(), release: releaseNow };
    try {
      for (const projection of this.options.projections) await this.reconcile(projection);
    } finally {
      if (this.startup) this.startup.reconciling = false;
      this.started();
    }
    // stop() may have come while reconciling (SIGTERM during startup): an interval set now would never be cleared.
    if (this.stopped.signal.aborted) return;
    this.poller = setInterval(() => void this.track(this.pollRebuildRequests()), this.options.rebuildPollMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.stopped.abort();
    this.started('all');
    // A reconcile under way starts no more workers once stopped, so after it the set of workers is final.
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.workers.values()].map((w) => w.done));
    this.workers.clear();
  }

  /** Starts a blue/green rebuild of one projection from position 0 (a reactor: from where it is; startOfNewGeneration). */
  async requestRebuild(name: string): Promise<Generation> {
    const projection = this.definition(name);
    const generation = await requestRebuild(this.options.knex, projection);
    await this.reconcile(projection);
    return generation;
  }

  /**
   * A worker started by start() has its place in the reading (`key`), or start() has reconciled
   * every projection (no key): the hold goes once both. `all` releases it now (the bound, stop()).
   */
  private started(key?: string | 'all'): void {
    const startup = this.startup;
    if (!startup) return;
    if (key !== undefined) startup.pending.delete(key);
    if (key !== 'all' && (startup.reconciling || startup.pending.size > 0)) return;
    this.startup = undefined;
    startup.release();
  }

  private definition(name: string): ProjectionDefinition {
    const projection = this.options.projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return projection;
  }

  /** Makes the running workers match what projection_checkpoints and the code say should run. */
  private reconcile(projection: ProjectionDefinition): Promise<void> {
    return this.stopped.signal.aborted ? Promise.resolve() : this.track(this.reconcileNow(projection));
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async reconcileNow(projection: ProjectionDefinition): Promise<void> {
    const { knex } = this.options;
    const generations = await listGenerations(knex, projection.name);
    let active = generations.find((g) => g.state === 'active');
    const building = generations.filter((g) => g.state === 'building');
    for (const stale of building.filter((g) => g.version !== projection.version)) {
      await setGenerationState(knex, projection.name, stale.generation, 'retired');
      await dropSchema(knex, stale.schemaName);
    }
    // A process that died between the switch and the drop (switchOver) left a retired generation's
    // schema behind, a full copy of the read model that nothing else would ever remove.
    await dropLeftoverSchemas(knex, generations.filter((g) => g.state === 'retired'));
    let candidate = building.find((g) => g.version === projection.version);
    if (!active && !candidate) {
      // First run: the first generation is built like any other and served only once caught up, so
      // no query ever reads its tables half filled (until then its views do not exist: the API
      // answers 503 "catching up"). On an empty log there is nothing to fill: it serves at once.
      const start = await startOfNewGeneration(knex, projection, () => this.options.store.headPosition());
      candidate = await createGeneration(knex, projection.name, projection.version, 'building', (g) => generationSchema(projection, g), start);
      if ((await this.options.store.headPosition()) === 0n) {
        await ensureTables(knex, projection, candidate.schemaName);
        await switchToGeneration(knex, projection, candidate.generation, candidate.schemaName);
        active = await findGeneration(knex, projection.name, candidate.generation);
        candidate = undefined;
      } else {
        this.logger.log(`projection ${projection.name}: first run, building generation ${candidate.generation}; it serves once caught up`);
      }
    }
    if (active && active.version === projection.version) this.ensureWorker(projection, active, 'live');
    if (!candidate && active && active.version !== projection.version) {
      const start = await startOfNewGeneration(knex, projection, () => this.options.store.headPosition());
      candidate = await createGeneration(knex, projection.name, projection.version, 'building', (g) => generationSchema(projection, g), start);
      this.logger.log(`projection ${projection.name}: version ${active.version} -> ${projection.version}, rebuilding as generation ${candidate.generation}`);
    }
    if (candidate) this.ensureWorker(projection, candidate, 'build');
  }

  private ensureWorker(projection: ProjectionDefinition, generation: Generation, mode: 'live' | 'build'): void {
    const key = `${projection.name}#${generation.generation}`;
    if (this.workers.has(key) || this.stopped.signal.aborted) return;
    const controller = new AbortController();
    const signal = AbortSignal.any([this.stopped.signal, controller.signal]);
    // Never rejects: nothing awaits a worker until stop(), and an unawaited rejection would end the process.
    this.startup?.pending.add(key);
    const done = this.superviseWorker(projection, generation, mode, signal)
      .catch((error: unknown) => this.logger.error(`projection ${projection.name} generation ${generation.generation} stopped: ${(error as Error).message}`))
      .finally(() => {
        this.workers.delete(key);
        this.started(key);
      });
    this.workers.set(key, { generation: generation.generation, controller, done });
  }

  /** Runs a worker and restarts it after transient failures (database or event store down). */
  private async superviseWorker(projection: ProjectionDefinition, start: Generation, mode: 'live' | 'build', signal: AbortSignal): Promise<void> {
    const { knex, store } = this.options;
    let attempt = 0;
    let switched = mode === 'live';
    let tablesReady = false;
    while (!signal.aborted) {
      try {
        if (!tablesReady) {
          await ensureTables(knex, projection, start.schemaName);
          tablesReady = true;
        }
        const current = await findGeneration(knex, projection.name, start.generation);
        if (!current || current.state === 'retired') return;
        await runProjectionWorker({
          knex,
          store,
          projection,
          generation: start.generation,
          schema: start.schemaName,
          fromPosition: current.position,
          leaseHolder: this.options.leaseHolder,
          reader: this.reader,
          signal,
          onReading: () => this.started(`${projection.name}#${start.generation}`),
          onProgress: async (progress) => {
            if (attempt > 0) {
              attempt = 0;
              await recordGenerationError(knex, projection.name, start.generation, null);
            }
            // Marked only once the switch committed: a failed switch is tried again when next caught up.
            if (progress.caughtUp && !switched) {
              await this.switchOver(projection, start);
              switched = true;
            }
          },
        });
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof LeaseLost) {
          // Another process runs this projection now; this one's lease keeper stops the rest of it.
          this.logger.warn(`projection ${projection.name}: ${error.message}; stopping here`);
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        await recordGenerationError(knex, projection.name, start.generation, message).catch((recordError: unknown) =>
          this.logger.warn(`could not record the error of ${projection.name}: ${(recordError as Error).message}`),
        );
        if (error instanceof ProjectionHandlerFailed) {
          this.logger.error(`projection ${projection.name} stopped: ${message}`);
          return;
        }
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
        attempt += 1;
        this.logger.warn(`projection ${projection.name} generation ${start.generation}: ${message}; retrying in ${delay} ms`);
        await abortableDelay(delay, signal);
      }
    }
  }

  private async switchOver(projection: ProjectionDefinition, generation: Generation): Promise<void> {
    const previous = await switchToGeneration(this.options.knex, projection, generation.generation, generation.schemaName);
    this.logger.log(`projection ${projection.name}: generation ${generation.generation} caught up and now serves`);
    await projection.onServe?.(generation.generation);
    if (previous === undefined) return;
    const old = this.workers.get(`${projection.name}#${previous}`);
    if (old) {
      old.controller.abort();
      await old.done;
    }
    const retired = await findGeneration(this.options.knex, projection.name, previous);
    if (retired) await dropSchema(this.options.knex, retired.schemaName);
  }

  private async pollRebuildRequests(): Promise<void> {
    try {
      const building = await this.options.knex('projection_checkpoints').where({ state: 'building' }).select('projection', 'generation');
      for (const row of building as { projection: string; generation: number }[]) {
        const projection = this.options.projections.find((p) => p.name === row.projection);
        if (projection && !this.workers.has(`${row.projection}#${row.generation}`)) await this.reconcile(projection);
      }
    } catch (error) {
      this.logger.warn(`could not check for rebuild requests: ${(error as Error).message}`);
    }
  }
}

async function dropLeftoverSchemas(knex: Knex, retired: readonly Generation[]): Promise<void> {
  if (retired.length === 0) return;
  const leftover: string[] = await knex('information_schema.schemata').whereIn('schema_name', retired.map((g) => g.schemaName)).pluck('schema_name');
  for (const schema of leftover) await dropSchema(knex, schema);
}

/** Records a rebuild request; whichever runner process sees it builds it (see pollRebuildRequests). */
export async function requestRebuild(knex: Knex, projection: ProjectionDefinition): Promise<Generation> {
  const existing = (await listGenerations(knex, projection.name)).find((g) => g.state === 'building' && g.version === projection.version);
  if (existing) return existing;
  const start = await startOfNewGeneration(knex, projection, () => Promise.reject(new Error(`reactor ${projection.name} has never run: the projector starts it at the head of the log`)));
  return createGeneration(knex, projection.name, projection.version, 'building', (g) => generationSchema(projection, g), start);
}
