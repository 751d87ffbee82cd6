import type { Knex } from 'knex';
import type { EventStoreKind } from '@mpp/event-store';
import { listGenerations, type Generation } from './checkpoints.js';
import type { ProjectionDefinition } from './projection.js';
import type { ProjectionRef } from './deployed-projections.js';

export interface GenerationStatus {
  generation: number;
  version: number;
  state: 'running' | 'building' | 'failed' | 'retired' | 'replay' | 'active';
  position: string;
  eventsProcessed: number;
  eventsPerSecond: number;
  /**
   * Events between the checkpoint and the head of the log: on PostgreSQL the position difference (an
   * upper bound: rolled-back appends leave gaps). `null` on EventStoreDB, where positions are byte
   * offsets in the log and their difference counts bytes, not events: unknown, see lagMs.
   */
  lagEvents: number | null;
  /** How far behind the newest processed event is, when not caught up; 0 when caught up. */
  lagMs: number;
  deadLetters: number;
  error: string | null;
  updatedAt: string;
}

export interface ProjectionStatus {
  name: string;
  /** The version the running code defines. */
  version: number;
  /** `deployed`: loaded at run time from a file (`mpp projections deploy`), with that file's name. */
  origin: 'built-in' | 'deployed';
  deployed?: { fileName: string; deployedAt: string };
  active: GenerationStatus | null;
  building: GenerationStatus | null;
}

/**
 * Status of every projection as the database records it, so any process (the API) can report it.
 * `storeKind` says what a position difference means (see lagEvents).
 */
export async function projectionStatuses(
  knex: Knex,
  projections: readonly (ProjectionRef | ProjectionDefinition)[],
  head: bigint,
  storeKind: EventStoreKind,
  now = new Date(),
): Promise<ProjectionStatus[]> {
  const generations = await listGenerations(knex);
  const deadLetters = await knex('projection_dead_letters')
    .select('projection', 'generation')
    .count<{ projection: string; generation: number; count: number }[]>('* as count')
    .groupBy('projection', 'generation');
  const parkedOf = (g: Generation) => Number(deadLetters.find((d) => d.projection === g.projection && d.generation === g.generation)?.count ?? 0);
  const describe = (g: Generation | undefined): GenerationStatus | null => {
    if (!g) return null;
    const lag = head > g.position ? head - g.position : 0n;
    return {
      generation: g.generation,
      version: g.version,
      state: g.error ? 'failed' : g.state === 'active' ? 'running' : g.state,
      position: g.position.toString(),
      eventsProcessed: g.eventsProcessed,
      eventsPerSecond: lag === 0n ? 0 : g.eventsPerSecond,
      lagEvents: storeKind === 'postgres' ? Number(lag) : null,
      lagMs: lag === 0n || !g.lastEventAt ? 0 : Math.max(0, now.getTime() - g.lastEventAt.getTime()),
      deadLetters: parkedOf(g),
      error: g.error,
      updatedAt: g.updatedAt.toISOString(),
    };
  };
  return projections.map((p) => ({
    name: p.name,
    version: p.version,
    origin: 'deployed' in p && p.deployed ? 'deployed' : 'built-in',
    ...('deployed' in p && p.deployed ? { deployed: p.deployed } : {}),
    active: describe(generations.find((g) => g.projection === p.name && g.state === 'active')),
    building: describe(generations.find((g) => g.projection === p.name && g.state === 'building')),
  }));
}
