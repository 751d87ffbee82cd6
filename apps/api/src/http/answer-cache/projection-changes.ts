import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Knex } from '@mpp/db';
import { PROJECTION_PROGRESS_CHANNEL, parseProjectionProgress, waitForPosition, type ProjectionProgress } from '@mpp/projection-runner';
import {
  BIKE_LISTING_VERSIONS,
  COMPATIBILITY_VERSIONS,
  PRICE_VERSIONS,
  VERIFICATION_LOG_VERSIONS,
  bikeListingsProjection,
  compatibilityProjection,
  pricesProjection,
  readKeysChangedAfter,
  verificationLogProjection,
} from '@mpp/projections';
import { KNEX } from '../../infrastructure/tokens.js';
import { AnswerCache } from './answer-cache.js';
import { generationKey, projectionKey } from './versioned-answer.js';

export const ANSWER_CACHE_DATABASE_URL = Symbol('ANSWER_CACHE_DATABASE_URL');

/** The projections that version their keys, and the public view of their versions. */
const KEY_VERSIONS: ReadonlyMap<string, string> = new Map([
  [bikeListingsProjection.name, BIKE_LISTING_VERSIONS],
  [verificationLogProjection.name, VERIFICATION_LOG_VERSIONS],
  [compatibilityProjection.name, COMPATIBILITY_VERSIONS],
  [pricesProjection.name, PRICE_VERSIONS],
]);
/** More changed keys than this in one notice (a burst, a catch-up): cheaper to drop everything. */
const MAX_CHANGED_KEYS = 5_000;
/**
 * Waits between attempts to LISTEN again. While the connection is down the answer cache is off and
 * every read computes its answer, so the cap stays at a second: with a 5 s cap, a database back
 * from a 10 s outage left the cache off for up to 5 s more, and the first seconds of load after it
 * queued on the database (the soak's worst seconds). One connection attempt a second costs nothing.
 */
const RECONNECT_MS = [100, 250, 500, 1_000] as const;

interface Waiter {
  projections: readonly string[];
  position: bigint;
  resolve(): void;
}

/**
 * Follows the projector's commit notices (one LISTEN connection per API process) and keeps two
 * things true in this process: the answer cache holds nothing a committed change made outdated
 * (a live batch's notice names the keys it moved, read in the batch's own transaction; otherwise
 * the changed keys are read from the projection's versions after the position last seen, so every
 * API process applies the same truth), and read-your-writes knows how
 * far each serving projection is without asking the database. While the connection is down the
 * cache is empty and bypassed, and waits fall back to reading the checkpoints.
 */
@Injectable()
export class ProjectionChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ProjectionChanges.name);
  private client: pg.Client | undefined;
  private following = false;
  private stopping = false;
  private attempts = 0;
  private readonly active = new Map<string, { generation: number; position: bigint }>();
  /** Per projection with key versions: versions up to here have been applied to the cache. */
  private readonly seen = new Map<string, bigint>();
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<Waiter>();

  constructor(
    @Inject(ANSWER_CACHE_DATABASE_URL) private readonly databaseUrl: string,
    @Inject(KNEX) private readonly knex: Knex,
    private readonly cache: AnswerCache,
  ) {}

  /** True while every committed change has been (or is being) applied: the cache may serve. */
  get isFollowing(): boolean {
    return this.following;
  }

  /** The serving generation of a projection as this process knows it (part of every ETag). */
  generationOf(projection: string): number | undefined {
    return this.active.get(projection)?.generation;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect().catch((error: unknown) => this.lost(error));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.following = false;
    for (const waiter of this.waiters) waiter.resolve();
    await this.client?.end().catch(() => undefined);
  }

  /**
   * Resolves once every named projection has passed the position here (changes applied to the
   * cache), bounded by the timeout; `synced` false means the answer cache must not be trusted for
   * this request (the database was asked instead).
   */
  async waitFor(projections: readonly string[], position: bigint, timeoutMs: number): Promise<{ consistent: boolean; synced: boolean }> {
    if (!this.following) return { consistent: await waitForPosition(this.knex, projections, position, timeoutMs), synced: false };
    if (this.reached(projections, position)) return { consistent: true, synced: true };
    const reached = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = { projections, position, resolve: () => finish(true) };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value && this.reached(projections, position));
      };
      this.waiters.add(waiter);
    });
    if (reached) return { consistent: true, synced: true };
    // A notice lost or late: the checkpoints are the truth.
    return { consistent: await waitForPosition(this.knex, projections, position, 0), synced: false };
  }

  private reached(projections: readonly string[], position: bigint): boolean {
    return projections.every((name) => (this.active.get(name)?.position ?? -1n) >= position);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'mpp-api-changes' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== PROJECTION_PROGRESS_CHANNEL) return;
      const progress = parseProjectionProgress(message.payload);
      if (progress) this.enqueue(() => this.apply(progress));
    });
    client.on('error', (error) => this.lost(error));
    client.on('end', () => this.lost(new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${PROJECTION_PROGRESS_CHANNEL}`);
    // Listening first, then reading where everything stands: no notice falls between the two.
    await this.enqueue(() => this.reload());
    this.attempts = 0;
    this.following = true;
  }

  private lost(error: unknown): void {
    if (this.stopping || this.client === undefined) return;
    const client = this.client;
    this.client = undefined;
    this.following = false;
    this.cache.flush();
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    const delay = RECONNECT_MS[Math.min(this.attempts, RECONNECT_MS.length - 1)]!;
    this.attempts += 1;
    this.log.warn(`projection change notices lost (${(error as Error)?.message ?? String(error)}); answer cache off, reconnecting in ${delay} ms`);
    setTimeout(() => {
      if (!this.stopping) this.connect().catch((again: unknown) => this.lost(again));
    }, delay).unref();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work).catch((error: unknown) => {
      // Could not apply a change: nothing cached may be trusted any more.
      this.cache.flush();
      this.log.warn(`applying a projection change failed: ${(error as Error)?.message ?? String(error)}`);
    });
    this.queue = next;
    return next;
  }

  private async reload(): Promise<void> {
    const rows: { projection: string; generation: number; position: string }[] = await this.knex('projection_checkpoints').where({ state: 'active' }).select('projection', 'generation', 'position');
    this.cache.flush();
    this.active.clear();
    for (const row of rows) this.active.set(row.projection, { generation: row.generation, position: BigInt(row.position) });
    this.seen.clear();
    for (const projection of KEY_VERSIONS.keys()) this.seen.set(projection, this.active.get(projection)?.position ?? 0n);
    this.wake();
  }

  private async apply(progress: ProjectionProgress): Promise<void> {
    const known = this.active.get(progress.projection);
    if (known?.generation !== progress.generation) {
      const row: { generation: number; position: string } | undefined = await this.knex('projection_checkpoints')
        .where({ projection: progress.projection, state: 'active' })
        .first('generation', 'position');
      if (!row) return;
      if (known?.generation !== row.generation) {
        // Blue/green switch (or the first generation): every answer of the old one goes.
        this.cache.invalidate([generationKey(progress.projection), projectionKey(progress.projection)]);
        this.active.set(progress.projection, { generation: row.generation, position: BigInt(row.position) });
        if (KEY_VERSIONS.has(progress.projection)) this.seen.set(progress.projection, BigInt(row.position));
      }
      // A batch of a generation still building changes nothing that is served.
      if (row.generation !== progress.generation) return this.wake();
    }
    const position = BigInt(progress.position);
    const versions = KEY_VERSIONS.get(progress.projection);
    if (versions) await this.applyKeyChanges(progress, versions, position);
    if (progress.changed !== false) this.cache.invalidate([projectionKey(progress.projection)]);
    const state = this.active.get(progress.projection)!;
    if (position > state.position) state.position = position;
    this.wake();
  }

  private async applyKeyChanges(progress: ProjectionProgress, versions: string, noticed: bigint): Promise<void> {
    const { projection } = progress;
    const seen = this.seen.get(projection) ?? 0n;
    // A read already returned a key at or past this position: the batches of one projection commit
    // in order, so every key up to it was visible to that read (queued notices cost one read).
    if (noticed <= seen) return;
    if (progress.keys !== undefined && progress.from !== undefined && BigInt(progress.from) <= seen) {
      // The notice names every key its batch moved after `from`, and everything up to `from` is
      // applied already: nothing to read, and a waiter wakes on this notice alone. Notices arrive in
      // commit order, so a later batch's keys are never applied before this one's.
      if (progress.keys.length > 0) this.cache.invalidate(progress.keys);
      this.seen.set(projection, noticed);
      return;
    }
    // No keys (a bulk catch-up, too many to name) or a batch not heard of between (`from` past what
    // was applied): read every key moved since.
    const rows = await readKeysChangedAfter(this.knex, versions, seen, MAX_CHANGED_KEYS + 1);
    if (rows.length > MAX_CHANGED_KEYS) this.cache.flush();
    else if (rows.length > 0) this.cache.invalidate(rows.map((row) => row.key));
    // Every batch up to the noticed position had committed before the notice, so all its keys were read.
    const newest = rows.reduce((max, row) => (BigInt(row.position) > max ? BigInt(row.position) : max), noticed);
    if (newest > seen) this.seen.set(projection, newest);
  }

  private wake(): void {
    for (const waiter of this.waiters) if (this.reached(waiter.projections, waiter.position)) waiter.resolve();
  }
}
