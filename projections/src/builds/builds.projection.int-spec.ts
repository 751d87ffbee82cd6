import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { deleteUserKey } from '@mpp/db';
import { UNREADABLE_BUILD_NAME } from '@mpp/domain';
import { buildsProjection } from './builds.projection.js';
import { at, buildCreated, buildDeleted, buildUpdated, sealedWith } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('builds projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([buildsProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  const buildRow = (id: string) => harness.knex('builds').where({ id }).first();
  const partsOf = (id: string) =>
    harness.knex('build_parts').where({ build_id: id }).orderBy('position').select('part_id', 'quantity', 'note', 'position');

  it('creates a build at revision 1 with no parts', async () => {
    const created = at('2025-03-01T09:00:00.000Z', buildCreated({ ownerId: 'rider-1', bikeId: randomUUID(), name: 'Alps trip', visibility: 'public' }));
    await harness.given(created);
    const row = await buildRow(created.data.buildId);
    expect(row).toMatchObject({ owner_id: 'rider-1', name: 'Alps trip', bike_id: created.data.bikeId, visibility: 'public', revision: 1, deleted: false, deleted_at: null });
    expect(row.created_at.toISOString()).toBe('2025-03-01T09:00:00.000Z');
    expect(row.updated_at.toISOString()).toBe('2025-03-01T09:00:00.000Z');
    expect(await partsOf(created.data.buildId)).toEqual([]);
  });

  it('replaces the parts list with the one each update carries, in its order', async () => {
    const [exhaust, pads, sliders] = [randomUUID(), randomUUID(), randomUUID()];
    const created = buildCreated({ ownerId: 'rider-1', bikeId: randomUUID() });
    await harness.given(
      created,
      buildUpdated(created, { revision: 2, changes: ['parts'], parts: [{ partId: exhaust, quantity: 1 }, { partId: pads, quantity: 2, note: 'front' }] }),
      at(
        '2025-03-02T10:00:00.000Z',
        buildUpdated(created, {
          revision: 3,
          changes: ['name', 'parts'],
          name: 'Track day',
          parts: [{ partId: sliders, quantity: 1 }, { partId: pads, quantity: 1 }],
        }),
      ),
    );
    expect(await partsOf(created.data.buildId)).toEqual([
      { part_id: sliders, quantity: 1, note: null, position: 0 },
      { part_id: pads, quantity: 1, note: null, position: 1 },
    ]);
    const row = await buildRow(created.data.buildId);
    expect(row).toMatchObject({ name: 'Track day', revision: 3 });
    expect(row.updated_at.toISOString()).toBe('2025-03-02T10:00:00.000Z');
  });

  it('moves a build to another bike and visibility when an update says so', async () => {
    const created = buildCreated({ ownerId: 'rider-1', bikeId: randomUUID() });
    const newBike = randomUUID();
    await harness.given(created, buildUpdated(created, { revision: 2, changes: ['bikeId', 'visibility'], bikeId: newBike, visibility: 'unlisted', parts: [] }));
    expect(await buildRow(created.data.buildId)).toMatchObject({ bike_id: newBike, visibility: 'unlisted', revision: 2 });
  });

  it('marks a deleted build, at the revision of the delete, and removes its parts', async () => {
    const created = buildCreated({ ownerId: 'rider-1', bikeId: randomUUID() });
    await harness.given(
      created,
      buildUpdated(created, { revision: 2, changes: ['parts'], parts: [{ partId: randomUUID(), quantity: 1 }] }),
      at('2025-03-05T00:00:00.000Z', buildDeleted(created.data.buildId)),
    );
    const row = await buildRow(created.data.buildId);
    expect(row).toMatchObject({ deleted: true, revision: 3 });
    expect(row.deleted_at.toISOString()).toBe('2025-03-05T00:00:00.000Z');
    expect(await partsOf(created.data.buildId)).toEqual([]);
  });

  it("lists an owner's builds, most recently changed first, without the deleted ones", async () => {
    const owner = `rider-${randomUUID()}`;
    const older = at('2025-03-01T00:00:00.000Z', buildCreated({ ownerId: owner, bikeId: randomUUID(), name: 'Older' }));
    const newer = at('2025-03-02T00:00:00.000Z', buildCreated({ ownerId: owner, bikeId: randomUUID(), name: 'Newer' }));
    const gone = buildCreated({ ownerId: owner, bikeId: randomUUID(), name: 'Gone' });
    await harness.given(older, newer, gone, buildDeleted(gone.data.buildId));
    const names = await harness.knex('builds').where({ owner_id: owner, deleted: false }).orderBy('updated_at', 'desc').pluck('name');
    expect(names).toEqual(['Newer', 'Older']);
  });

  it('opens a sealed name and part notes with the owner’s key, as the API appends them', async () => {
    const owner = `rider-${randomUUID()}`;
    const key = await harness.userKey(owner);
    const [exhaust, pads] = [randomUUID(), randomUUID()];
    const plain = buildCreated({ ownerId: owner, bikeId: randomUUID(), name: 'Alps tourer' });
    const created = sealedWith(key, plain);
    await harness.given(created, sealedWith(key, buildUpdated(plain, { revision: 2, changes: ['parts'], parts: [{ partId: exhaust, quantity: 1 }, { partId: pads, quantity: 2, note: 'front only' }] })));
    expect(JSON.stringify(created.data)).not.toContain('Alps');
    expect(await buildRow(created.data.buildId)).toMatchObject({ name: 'Alps tourer', revision: 2 });
    expect(await partsOf(created.data.buildId)).toEqual([
      { part_id: exhaust, quantity: 1, note: null, position: 0 },
      { part_id: pads, quantity: 2, note: 'front only', position: 1 },
    ]);
  });

  it('writes no text it cannot open (the owner’s key is shredded): the name reads as unreadable and the notes as none', async () => {
    const owner = `rider-${randomUUID()}`;
    const key = await harness.userKey(owner);
    const pads = randomUUID();
    const plain = buildCreated({ ownerId: owner, bikeId: randomUUID(), name: 'Shredded tourer' });
    const created = sealedWith(key, plain);
    const updated = sealedWith(key, buildUpdated(plain, { revision: 2, changes: ['parts'], parts: [{ partId: pads, quantity: 1, note: 'shredded note' }] }));
    await deleteUserKey(harness.knex, owner);
    await harness.given(created, updated);
    const row = await buildRow(created.data.buildId);
    expect(row).toMatchObject({ name: UNREADABLE_BUILD_NAME, revision: 2 });
    expect(await partsOf(created.data.buildId)).toEqual([{ part_id: pads, quantity: 1, note: null, position: 0 }]);
    expect(JSON.stringify(row)).not.toContain('commitment');
  });

  it('still reads builds written before sealing, whose name and notes are plain and whose updates name no owner', async () => {
    const created = buildCreated({ ownerId: 'rider-1', bikeId: randomUUID(), name: 'Plain old build' });
    const pads = randomUUID();
    const { ownerId: _ownerId, ...plainUpdate } = buildUpdated(created, { revision: 2, changes: ['parts'], parts: [{ partId: pads, quantity: 1, note: 'plain note' }] }).data;
    await harness.given(created, { stream: created.stream, type: 'BuildUpdated', data: plainUpdate });
    expect(await buildRow(created.data.buildId)).toMatchObject({ name: 'Plain old build', revision: 2 });
    expect(await partsOf(created.data.buildId)).toEqual([{ part_id: pads, quantity: 1, note: 'plain note', position: 0 }]);
  });
});
