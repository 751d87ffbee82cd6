import type { Knex } from 'knex';
import type { EventStoreKind } from '@mpp/event-store';
import type { ProjectionDefinition } from '../projection.js';
import type { ProjectionRef } from '../deployed-projections.js';
import { projectionStatuses, type ProjectionStatus } from '../projection-status.js';
import { listLeases } from './projection-leases.js';

export interface ProjectionOwner {
  /** host:pid:random of the projector process running it. */
  id: string;
  heartbeatAt: string | null;
  /** The holder stopped renewing (died or stalled); another process takes it over on its next heartbeat. */
  expired: boolean;
}

export interface OwnedProjectionStatus extends ProjectionStatus {
  /** Null when no projector holds it (leases off, or between a release and the next take-over). */
  owner: ProjectionOwner | null;
}

/** projectionStatuses plus which projector process holds each projection's lease. */
export async function projectionStatusesWithOwners(
  knex: Knex,
  projections: readonly (ProjectionRef | ProjectionDefinition)[],
  head: bigint,
  storeKind: EventStoreKind,
  now = new Date(),
): Promise<OwnedProjectionStatus[]> {
  const [statuses, leases] = await Promise.all([projectionStatuses(knex, projections, head, storeKind, now), listLeases(knex)]);
  return statuses.map((status) => {
    const lease = leases.find((l) => l.projection === status.name && l.owner !== null);
    return {
      ...status,
      owner: lease ? { id: lease.owner!, heartbeatAt: lease.heartbeatAt?.toISOString() ?? null, expired: lease.expired } : null,
    };
  });
}
