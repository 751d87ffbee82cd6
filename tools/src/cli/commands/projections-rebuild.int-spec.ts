import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listGenerations } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, catalogProjection, verificationsPerMakeMonthProjection, BIKES, VERIFICATIONS_PER_MAKE_MONTH } from '@mpp/projections';
import { bikeRegistered, partCataloged, verificationSubmitted, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { cliContextFor, rowsOf } from '../testing/cli-test-context.js';
import { rebuildProjection } from './projections-rebuild.js';

const events = () => {
  const bike = bikeRegistered({ make: 'KTM', model: `890 Adventure ${Math.random()}` });
  const part = partCataloged();
  return [bike, part, verificationSubmitted({ partId: part.data.partId, bikeId: bike.data.bikeId }, { userId: 'rider-1', fits: true })];
};

describe('mpp projections rebuild, with a projector running', () => {
  // The harness runs the real ProjectionRunner, i.e. what the projector process runs.
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([catalogProjection, verificationsPerMakeMonthProjection]);
    await harness.given(...events());
  });
  afterAll(() => harness?.close());

  it('requests a building generation and returns at once', async () => {
    const { context, out } = cliContextFor(harness, { projections: ALL_PROJECTIONS });
    expect(await rebuildProjection(context, { name: 'catalog', wait: false, inline: false, stallTimeoutMs: 15_000 })).toBe(0);
    expect(out.text()).toContain('catalog: rebuild requested, generation 2 (version 1) builds into rm_catalog_v1_g2 from position 0');
    expect(out.text()).toContain('generation 1 keeps serving');
    const generation2 = (await listGenerations(harness.knex, 'catalog')).find((g) => g.generation === 2);
    expect(['building', 'active']).toContain(generation2?.state);
  });

  it('with --wait follows the new generation until the projector has switched to it', async () => {
    const before = await rowsOf(harness.knex, VERIFICATIONS_PER_MAKE_MONTH);
    const { context, out } = cliContextFor(harness);
    expect(await rebuildProjection(context, { name: verificationsPerMakeMonthProjection.name, wait: true, inline: false, stallTimeoutMs: 15_000, pollMs: 50 })).toBe(0);
    expect(out.text()).toMatch(/generation 2 of verifications-per-make-month caught up at position \d+ and now serves/);
    const states = (await listGenerations(harness.knex, verificationsPerMakeMonthProjection.name)).map((g) => [g.generation, g.state]);
    expect(states).toEqual([[1, 'retired'], [2, 'active']]);
    expect(await rowsOf(harness.knex, VERIFICATIONS_PER_MAKE_MONTH)).toEqual(before);
  });
});

describe('mpp projections rebuild, with no projector running', () => {
  // No projections in the harness: nothing builds what is requested.
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([]);
    await harness.given(...events(), ...events());
  });
  afterAll(() => harness?.close());

  it('with --wait gives up when the checkpoint does not move, asks whether the projector runs, and exits 1', async () => {
    const { context, err } = cliContextFor(harness);
    const started = Date.now();
    expect(await rebuildProjection(context, { name: 'catalog', wait: true, inline: false, stallTimeoutMs: 600, pollMs: 50 })).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.text()).toContain('no progress on generation 1 of catalog for 1 s (position 0 of');
    expect(err.text()).toContain('Is the projector running?');
    expect(err.text()).toContain('mpp projections rebuild catalog --inline');
    expect((await listGenerations(harness.knex, 'catalog')).map((g) => g.state)).toEqual(['building']);
  });

  it('with --inline builds the requested generation in this process until it serves', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await rebuildProjection(context, { name: 'catalog', wait: false, inline: true, stallTimeoutMs: 15_000, pollMs: 50 })).toBe(0);
    expect(out.text()).toContain('catalog: a rebuild is already under way, generation 1');
    expect(out.text()).toMatch(/generation 1 of catalog caught up at position \d+ and now serves/);
    expect((await listGenerations(harness.knex, 'catalog')).map((g) => g.state)).toEqual(['active']);
    expect(await harness.knex(BIKES).count<{ count: number }[]>('* as count')).toEqual([{ count: 2 }]);
    // Built by the operator, owned by the projector's role: the projector goes on writing it (docs/reliability.md "Database roles").
    const [built] = await listGenerations(harness.knex, 'catalog');
    const owner = await harness.knex.raw<{ rows: { owner: string }[] }>('SELECT pg_get_userbyid(nspowner)::text AS owner FROM pg_namespace WHERE nspname = ?', [built!.schemaName]);
    expect(owner.rows[0]!.owner).toBe('mpp_projector');

    const again = cliContextFor(harness);
    expect(await rebuildProjection(again.context, { name: 'catalog', wait: false, inline: true, stallTimeoutMs: 15_000, pollMs: 50 })).toBe(0);
    expect((await listGenerations(harness.knex, 'catalog')).map((g) => [g.generation, g.state])).toEqual([[1, 'retired'], [2, 'active']]);
    expect(await harness.knex(BIKES).count<{ count: number }[]>('* as count')).toEqual([{ count: 2 }]);
  });
});
