import fc from 'fast-check';
import { buildStream, USER_ERASED, userErasureStream } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { buildsProjection } from './builds.projection.js';
import { describeBulkForm } from '../testing/both-forms.js';
import { recordedEvents, type GivenEvent } from '../testing/given-events.js';

/**
 * The builds projection's bulk form (runs between erasures folded in memory, one upsert and one
 * rewrite of parts lists) against its handlers one event at a time, on random histories of a few
 * builds of two owners: retried creations, updates before any creation, several updates and
 * deletes of one build in a page, updates after a delete, and erasures between them.
 */
const BUILD_IDS = ['0a1b2c3d-0000-4000-8000-000000000001', '0a1b2c3d-0000-4000-8000-000000000002', '0a1b2c3d-0000-4000-8000-000000000003'];
const OWNERS = ['user-owner-1', 'user-owner-2'];
const BIKES = ['6f1e2d3c-4b5a-4968-8776-655443322110', 'a3c5e7f9-1b2d-4f60-8a9c-0e1f2a3b4c5d'];
const PARTS = ['0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', '1c8d3d2f-9e4a-4b52-8d47-3c2a1f5e6b7c', '2d9e4e3a-af5b-4c63-9e58-4d3b2a6f7c8d'];

type Step = { event: GivenEvent; revision: number };

const created = fc
  .record({ buildId: fc.constantFrom(...BUILD_IDS), ownerId: fc.constantFrom(...OWNERS), bikeId: fc.constantFrom(...BIKES), at: fc.nat(9) })
  .map(({ buildId, ownerId, bikeId, at }): Step => ({
    event: { stream: buildStream(buildId), type: 'BuildCreated', data: { buildId, ownerId, bikeId, name: `Build ${at}`, visibility: 'private' }, occurredAt: minute(at) },
    revision: 0,
  }));

const updated = fc
  .record({
    buildId: fc.constantFrom(...BUILD_IDS),
    bikeId: fc.constantFrom(...BIKES),
    revision: fc.integer({ min: 2, max: 9 }),
    visibility: fc.constantFrom('private' as const, 'public' as const),
    parts: fc.subarray(PARTS).chain((ids) => fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length })),
    quantity: fc.integer({ min: 1, max: 3 }),
    note: fc.option(fc.constant('For the track'), { nil: undefined }),
    at: fc.nat(9),
  })
  .map(({ buildId, bikeId, revision, visibility, parts, quantity, note, at }): Step => ({
    event: {
      stream: buildStream(buildId),
      type: 'BuildUpdated',
      data: { buildId, bikeId, revision, visibility, name: `Renamed ${at}`, changes: ['parts'], parts: parts.map((partId) => ({ partId, quantity, ...(note ? { note } : {}) })) },
      occurredAt: minute(at),
    },
    revision: revision - 1,
  }));

const deleted = fc.record({ buildId: fc.constantFrom(...BUILD_IDS), revision: fc.integer({ min: 1, max: 9 }), at: fc.nat(9) }).map(({ buildId, revision, at }): Step => ({
  event: { stream: buildStream(buildId), type: 'BuildDeleted', data: { buildId }, occurredAt: minute(at) },
  revision,
}));

const erased = fc.constantFrom(...OWNERS).map((userId): Step => ({ event: { stream: userErasureStream(userId), type: USER_ERASED, data: { userId } } as unknown as GivenEvent, revision: 0 }));

const history = fc.array(fc.oneof({ weight: 3, arbitrary: created }, { weight: 4, arbitrary: updated }, { weight: 2, arbitrary: deleted }, { weight: 1, arbitrary: erased }), { minLength: 1, maxLength: 40 });

function minute(n: number): string {
  return new Date(Date.UTC(2025, 2, 1, 12, n)).toISOString();
}

function recorded(steps: readonly Step[]): RecordedEvent[] {
  return recordedEvents(steps.map((step) => step.event)).map((event, i) => ({ ...event, revision: BigInt(steps[i]!.revision) }));
}

describeBulkForm('leaves the same rows and rejects the same events as the handlers one event at a time', buildsProjection, history.map((steps) => recorded(steps)), { runs: 60 });
