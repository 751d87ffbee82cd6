import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProjectionStatus } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import { bikeRegistered, partDetailsRevised, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
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
});
