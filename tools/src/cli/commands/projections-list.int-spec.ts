import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defineProjection, recordDeployment, requestRebuild, type ProjectionStatus } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { bikeRegistered, partDetailsRevised, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { CliUsageError } from '../cli-context.js';
import { cliContextFor } from '../testing/cli-test-context.js';
import { listProjections } from './projections-list.js';
import { projectionStatus } from './projections-status.js';

describe('mpp projections list and status', () => {
  let harness: ProjectionHarness;
  let head: bigint;
  const orphanPartId = '00000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    // A revision of a part never cataloged: the catalog parks it (policy park).
    head = await harness.given(bikeRegistered(), partDetailsRevised(orphanPartId, { name: 'Ghost part' }));
  });
  afterAll(() => harness?.close());

  it('lists every projection with its serving generation, position, lag and state', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await listProjections(context, { json: false })).toBe(0);
    const [headLine, header, ...rows] = out.lines();
    expect(headLine).toBe(`head position ${head}`);
    expect(header).toMatch(/^NAME\s+CODE\s+ACTIVE\s+POSITION\s+LAG EVENTS\s+LAG MS\s+EVENTS\/S\s+STATE\s+DEAD LETTERS\s+BUILDING\s+OWNER$/);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(ALL_PROJECTIONS.map((p) => p.name));
    const catalog = rows.find((row) => row.startsWith('catalog '))!.split(/\s+/);
    expect(catalog).toEqual(['catalog', 'v1', 'g1', 'v1', String(head), '0', '0', '0', 'running', '1', '-', '-']);
  });

  it('lists the same as JSON', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await listProjections(context, { json: true })).toBe(0);
    const listed = JSON.parse(out.text()) as { head: string; items: ProjectionStatus[] };
    expect(listed.head).toBe(String(head));
    expect(listed.items.map((item) => item.name)).toEqual(ALL_PROJECTIONS.map((p) => p.name));
    for (const item of listed.items) expect(item.active).toEqual(expect.objectContaining({ state: 'running', position: String(head), lagEvents: 0 }));
  });

  it('shows one projection in detail, with its dead letters and their errors', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await projectionStatus(context, { name: 'catalog', json: false, deadLetters: 10 })).toBe(0);
    const text = out.text();
    expect(text).toContain('projection     catalog (code version 1, on poison event: park)');
    expect(text).toContain('active: generation 1, version 1, schema rm_catalog_v1_g1');
    expect(text).toContain(`position      ${head} of ${head} (lag 0 events, 0 ms)`);
    expect(text).toContain('building: none');
    expect(text).toContain('dead letters: 1 in the active and building generations');
    expect(text).toMatch(new RegExp(`PartDetailsRevised\\s+part-${orphanPartId}`));

    const json = cliContextFor(harness);
    await projectionStatus(json.context, { name: 'catalog', json: true, deadLetters: 10 });
    const status = JSON.parse(json.out.text());
    expect(status).toEqual(expect.objectContaining({ name: 'catalog', active: expect.objectContaining({ schema: 'rm_catalog_v1_g1', deadLetters: 1 }), building: null }));
    expect(status.deadLetters).toEqual([expect.objectContaining({ eventType: 'PartDetailsRevised', position: String(head), error: expect.stringContaining(orphanPartId) })]);
  });

  it('lists a deployed projection beside the built-in ones, with its state and lag, and shows it in detail', async () => {
    const spread = defineProjection({
      name: 'price-spread-daily',
      version: 2,
      tables: ['price_spread_daily'],
      onPoisonEvent: 'park',
      createTables: async () => {},
      handlers: {},
    });
    await recordDeployment(harness.knex, { name: spread.name, version: 2, fileName: 'spread.projection.ts', source: '// recorded, not run here', tables: ['price_spread_daily'], onPoisonEvent: 'park' });
    // What deploy requests; no projector of deployed code runs in this test, so it stays at position 0.
    await requestRebuild(harness.knex, spread);

    const { context, out } = cliContextFor(harness);
    expect(await listProjections(context, { json: false })).toBe(0);
    const row = out.lines().find((line) => line.startsWith('price-spread-daily '))!.split(/\s+/);
    expect(row).toEqual(['price-spread-daily', '(deployed)', 'v2', '-', '-', '-', '-', '-', 'none', '0', 'g1', 'v2', 'building', `0/${head}`, '(0%)', '-']);

    const json = cliContextFor(harness);
    await listProjections(json.context, { json: true });
    const item = (JSON.parse(json.out.text()) as { items: ProjectionStatus[] }).items.find((i) => i.name === 'price-spread-daily');
    expect(item).toMatchObject({ origin: 'deployed', deployed: { fileName: 'spread.projection.ts' }, active: null, building: { state: 'building', position: '0', lagEvents: Number(head) } });

    const detail = cliContextFor(harness);
    expect(await projectionStatus(detail.context, { name: 'price-spread-daily', json: false, deadLetters: 10 })).toBe(0);
    expect(detail.out.text()).toContain('projection     price-spread-daily (code version 2, on poison event: park)');
    expect(detail.out.text()).toMatch(/deployed\s+from spread\.projection\.ts at /);
    expect(detail.out.text()).toContain('tables         price_spread_daily');
    expect(detail.out.text()).toContain(`position      0 of ${head} (lag ${head} events`);

    const unknown = cliContextFor(harness);
    await expect(projectionStatus(unknown.context, { name: 'no-such-projection', json: false, deadLetters: 10 })).rejects.toThrow(
      new CliUsageError(`no projection named "no-such-projection"; known: ${[...ALL_PROJECTIONS.map((p) => p.name), 'price-spread-daily'].join(', ')}`),
    );
  });
});
