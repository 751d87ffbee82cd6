import { describe, expect, it } from '@jest/globals';
import { Conflict, Forbidden, NotFound, StaleRevision, ValidationFailed } from '../errors.js';
import type { BuildCreated, BuildDeleted, BuildUpdated } from '../events/domain-event.js';
import { bikeIdFor } from '../identity/deterministic-ids.js';
import { BRAKE_PADS_ID, BUILD_ID, MT07_ID, OTHER_RIDER, RIDER, SLIP_ON_ID } from '../testing/catalog-fixtures.js';
import { errorOf, given } from '../testing/given-events.js';
import type { CreateBuild, DeleteBuild, UpdateBuild } from './build.commands.js';
import { buildDecider } from './build.decider.js';
import { UNREADABLE_BUILD_NAME } from './build.events.js';

const TRACER_ID = bikeIdFor(2021, 'Yamaha', 'Tracer 7');

const create = (overrides: Partial<CreateBuild> = {}): CreateBuild => ({
  type: 'CreateBuild',
  buildId: BUILD_ID,
  ownerId: RIDER,
  name: 'Loud MT',
  bikeId: MT07_ID,
  bikeExists: true,
  ...overrides,
});
const update = (overrides: Partial<UpdateBuild> = {}): UpdateBuild => ({
  type: 'UpdateBuild',
  buildId: BUILD_ID,
  actorId: RIDER,
  expectedRevision: 1,
  ...overrides,
});
const remove = (overrides: Partial<DeleteBuild> = {}): DeleteBuild => ({ type: 'DeleteBuild', buildId: BUILD_ID, actorId: RIDER, ...overrides });

const created: BuildCreated = {
  type: 'BuildCreated',
  data: { buildId: BUILD_ID, ownerId: RIDER, name: 'Loud MT', bikeId: MT07_ID, visibility: 'private' },
};
const slipOnAdded: BuildUpdated = {
  type: 'BuildUpdated',
  data: { buildId: BUILD_ID, ownerId: RIDER, revision: 2, name: 'Loud MT', bikeId: MT07_ID, visibility: 'private', parts: [{ partId: SLIP_ON_ID, quantity: 1 }], changes: ['parts'] },
};
const deleted: BuildDeleted = { type: 'BuildDeleted', data: { buildId: BUILD_ID } };

describe('build decider: create', () => {
  it('creates a private build by default', () => {
    expect(given(buildDecider).when(create())).toEqual([created]);
  });

  it('creates a build with parts as BuildCreated then BuildUpdated at revision 2', () => {
    expect(given(buildDecider).when(create({ parts: [{ partId: SLIP_ON_ID, quantity: 1 }] }))).toEqual([created, slipOnAdded]);
  });

  it('refuses a build on a bike that does not exist', () => {
    expect(errorOf(() => given(buildDecider).when(create({ bikeExists: false })))).toEqual(new NotFound('bike', MT07_ID));
  });

  it('refuses a build with a part that does not exist', () => {
    const unknown = create({ parts: [{ partId: BRAKE_PADS_ID, quantity: 1 }], unknownPartIds: [BRAKE_PADS_ID] });
    expect(errorOf(() => given(buildDecider).when(unknown))).toEqual(new NotFound('part', BRAKE_PADS_ID));
  });

  it.each([
    ['parts.0.quantity', [{ partId: SLIP_ON_ID, quantity: 0 }]],
    ['parts.0.quantity', [{ partId: SLIP_ON_ID, quantity: 100 }]],
    ['parts', [{ partId: SLIP_ON_ID, quantity: 1 }, { partId: SLIP_ON_ID, quantity: 2 }]],
  ] as const)('names %s when the parts are invalid', (field, parts) => {
    expect((errorOf(() => given(buildDecider).when(create({ parts }))) as ValidationFailed).field).toBe(field);
  });

  it('refuses contact details in a part note or the name, naming the field (a shared build shows them to its recipients)', () => {
    const parts = [{ partId: SLIP_ON_ID, quantity: 1 }, { partId: BRAKE_PADS_ID, quantity: 1, note: 'bought from jo@example.com' }];
    expect((errorOf(() => given(buildDecider).when(create({ parts }))) as ValidationFailed).field).toBe('parts.1.note');
    expect((errorOf(() => given(buildDecider, created).when(update({ name: 'Call 555-123-4567' }))) as ValidationFailed).field).toBe('name');
  });

  it('requires a name', () => {
    expect((errorOf(() => given(buildDecider).when(create({ name: ' ' }))) as ValidationFailed).field).toBe('name');
  });

  it('appends nothing when the same create is retried', () => {
    expect(given(buildDecider, created, slipOnAdded).when(create({ parts: [{ partId: SLIP_ON_ID, quantity: 1 }] }))).toEqual([]);
  });

  it('refuses a build id that is already taken', () => {
    expect(() => given(buildDecider, created).when(create({ ownerId: OTHER_RIDER }))).toThrow(Conflict);
  });
});

describe('build decider: update', () => {
  it('records the changed fields with the next revision and the whole build', () => {
    expect(given(buildDecider, created).when(update({ name: 'Quiet MT', visibility: 'public' }))).toEqual([
      {
        type: 'BuildUpdated',
        data: { buildId: BUILD_ID, ownerId: RIDER, revision: 2, name: 'Quiet MT', bikeId: MT07_ID, visibility: 'public', parts: [], changes: ['name', 'visibility'] },
      },
    ]);
  });

  it('forbids anyone but the owner to change a build', () => {
    expect(errorOf(() => given(buildDecider, created).when(update({ actorId: OTHER_RIDER, name: 'Mine now' })))).toBeInstanceOf(Forbidden);
  });

  it('refuses an edit based on a stale revision instead of losing an update', () => {
    const error = errorOf(() => given(buildDecider, created, slipOnAdded).when(update({ expectedRevision: 1, name: 'Quiet MT' })));
    expect(error).toEqual(new StaleRevision('build', BUILD_ID, 1, 2));
    expect(error).toMatchObject({ expected: 1, actual: 2 });
  });

  it('appends nothing when nothing changes', () => {
    expect(given(buildDecider, created, slipOnAdded).when(update({ expectedRevision: 2, name: 'Loud MT', parts: [{ partId: SLIP_ON_ID, quantity: 1 }] }))).toEqual([]);
  });

  it('replaces the parts list', () => {
    const [event] = given(buildDecider, created, slipOnAdded).when(update({ expectedRevision: 2, parts: [{ partId: BRAKE_PADS_ID, quantity: 2, note: 'front' }] }));
    expect(event?.data).toMatchObject({ revision: 3, parts: [{ partId: BRAKE_PADS_ID, quantity: 2, note: 'front' }], changes: ['parts'] });
  });

  it('moves the build to another bike that exists', () => {
    expect(given(buildDecider, created).when(update({ bikeId: TRACER_ID, bikeExists: true }))[0]?.data).toMatchObject({ bikeId: TRACER_ID, changes: ['bikeId'] });
  });

  it('refuses to move the build to a bike that does not exist', () => {
    expect(errorOf(() => given(buildDecider, created).when(update({ bikeId: TRACER_ID, bikeExists: false })))).toEqual(new NotFound('bike', TRACER_ID));
  });

  it('names the owner in every update, whose key seals its name and notes', () => {
    const [event] = given(buildDecider, created, slipOnAdded).when(update({ expectedRevision: 2, name: 'Quiet MT' }));
    expect(event?.data).toMatchObject({ ownerId: RIDER });
  });

  it('folds an update written before builds were sealed, which names no owner and carries plain text', () => {
    const { ownerId: _ownerId, ...plain } = slipOnAdded.data;
    const [event] = given(buildDecider, created, { type: 'BuildUpdated', data: plain }).when(update({ expectedRevision: 2, name: 'Quiet MT' }));
    expect(event?.data).toMatchObject({ ownerId: RIDER, name: 'Quiet MT', parts: [{ partId: SLIP_ON_ID, quantity: 1 }] });
  });

  it('reads a name or note it cannot open (still sealed: the owner was erased) as unreadable, never as text', () => {
    const sealed = { commitment: 'a'.repeat(64) };
    const erasedCreate: BuildCreated = { type: 'BuildCreated', data: { ...created.data, name: sealed } };
    const erasedUpdate: BuildUpdated = { type: 'BuildUpdated', data: { ...slipOnAdded.data, name: sealed, parts: [{ partId: SLIP_ON_ID, quantity: 1, note: sealed }] } };
    const [event] = given(buildDecider, erasedCreate, erasedUpdate).when(update({ expectedRevision: 2, visibility: 'public' }));
    expect(event?.data).toMatchObject({ name: UNREADABLE_BUILD_NAME, parts: [{ partId: SLIP_ON_ID, quantity: 1 }] });
    expect(JSON.stringify(event)).not.toContain('commitment');
    expect(given(buildDecider, erasedCreate, erasedUpdate).when(remove())).toEqual([deleted]);
  });

  it('reports a deleted build as not found', () => {
    expect(() => given(buildDecider, created, deleted).when(update({ expectedRevision: 2, name: 'Back' }))).toThrow(NotFound);
  });
});

describe('build decider: delete', () => {
  it('deletes a build for its owner', () => {
    expect(given(buildDecider, created).when(remove())).toEqual([deleted]);
  });

  it('forbids anyone but the owner to delete a build', () => {
    expect(() => given(buildDecider, created).when(remove({ actorId: OTHER_RIDER }))).toThrow(Forbidden);
  });

  it('appends nothing when a delete is retried', () => {
    expect(given(buildDecider, created, deleted).when(remove())).toEqual([]);
  });

  it('refuses a delete based on a stale revision', () => {
    expect(() => given(buildDecider, created, slipOnAdded).when(remove({ expectedRevision: 1 }))).toThrow(StaleRevision);
  });

  it('reports an unknown build as not found', () => {
    expect(() => given(buildDecider).when(remove())).toThrow(NotFound);
  });
});
