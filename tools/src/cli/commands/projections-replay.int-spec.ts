import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listGenerations, qualify } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, VERIFICATION_RECEIPTS, allConsumers, compatibilityProjection, verificationsPerMakeMonthProjection, COMPATIBILITY_RECORDS, VERIFICATIONS_PER_MAKE_MONTH } from '@mpp/projections';
import {
  at,
  bikeRegistered,
  buildCreated,
  buildUpdated,
  fitmentPublished,
  fitmentWithdrawn,
  partCataloged,
  partDetailsRevised,
  priceObserved,
  retailerRegistered,
  verificationRetracted,
  verificationSubmitted,
  startProjectionHarness,
  type ProjectionHarness,
} from '@mpp/projections/testing';
import { CliUsageError } from '../cli-context.js';
import { cliContextFor, rowsOf } from '../testing/cli-test-context.js';
import { dropReplay } from './projections-drop-replay.js';
import { replayProjection } from './projections-replay.js';

/**
 * Given a log in two parts, with the live projections' rows captured after the first part,
 * Then a replay "as of" the end of the first part writes exactly those rows.
 */
describe('mpp projections replay', () => {
  let harness: ProjectionHarness;
  let cut: bigint;
  let cutCommittedAt: Date;
  const liveAtCut = new Map<string, unknown[]>();
  const bike = bikeRegistered({ make: 'Ducati', model: 'Multistrada V4' });
  const part = partCataloged({ brand: 'SW-Motech', name: 'Crash bars', category: 'exhaust' });
  const retailer = retailerRegistered();
  const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
  const confirmation = verificationSubmitted(pair, { userId: 'rider-1', fits: true });
  const build = buildCreated({ ownerId: 'rider-1', bikeId: bike.data.bikeId });

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    cut = await harness.given(
      bike,
      part,
      retailer,
      at('2025-03-01T10:00:00.000Z', fitmentPublished(pair)),
      at('2025-03-02T10:00:00.000Z', confirmation),
      at('2025-03-03T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-2', fits: false })),
      priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 399_00, observedAt: '2025-03-02T10:00:00.000Z' }),
      build,
    );
    for (const projection of ALL_PROJECTIONS) {
      for (const table of projection.tables) liveAtCut.set(table, await rowsOf(harness.knex, table));
    }
    for await (const event of harness.store.readAll({ fromPosition: cut - 1n, maxCount: 1 })) cutCommittedAt = event.createdAt;
    // Commit times have microseconds and JS dates milliseconds: the next commit goes in a later millisecond.
    await harness.storeClockPast(cutCommittedAt);
    await harness.given(
      at('2025-03-04T10:00:00.000Z', fitmentWithdrawn(pair)),
      verificationRetracted(pair, confirmation.data.verificationId, 'rider-1'),
      partDetailsRevised(part.data.partId, { name: 'Crash bars, black' }),
      priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 349_00, observedAt: '2025-03-05T10:00:00.000Z' }),
      buildUpdated(build, { revision: 2, changes: ['parts'], parts: [{ partId: part.data.partId, quantity: 1 }] }),
      at('2025-04-02T10:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-3', fits: true })),
    );
  });
  afterAll(() => harness?.close());

  it.each(ALL_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
    'replays %s --until <position> into exactly the rows the live projection had at that position',
    async (name, projection) => {
      const schema = `scratch_${name.replaceAll('-', '_')}_pos`;
      const { context, out } = cliContextFor(harness);
      expect(await replayProjection(context, { name, schema, until: { position: cut }, drop: false })).toBe(0);
      expect(out.text()).toContain(`up to position ${cut} (stopped at the --until / --recorded-until limit`);
      for (const table of projection.tables) {
        expect({ table, rows: await rowsOf(harness.knex, qualify(schema, table)) }).toEqual({ table, rows: liveAtCut.get(table) });
      }
    },
  );

  it('replays --recorded-until <ISO time> up to the last event committed at or before it', async () => {
    const { context } = cliContextFor(harness);
    const schema = 'scratch_compat_time';
    expect(await replayProjection(context, { name: 'compatibility', schema, until: { recordedAt: cutCommittedAt }, drop: false })).toBe(0);
    const asOf = await rowsOf(harness.knex, qualify(schema, COMPATIBILITY_RECORDS));
    expect(asOf).toEqual(liveAtCut.get(COMPATIBILITY_RECORDS));
    expect(asOf).toEqual([expect.objectContaining({ status: 'verified', confirmations: 1, refutations: 1, official_status: 'published' })]);
  });

  it('ends its progress bar at 100% when --until stops it before the head', async () => {
    const { context, err } = cliContextFor(harness, { terminal: true });
    expect(await replayProjection(context, { name: 'catalog', schema: 'scratch_catalog_bar', until: { recordedAt: cutCommittedAt }, drop: false })).toBe(0);
    const frames = err.text().split(/\r|\n/).filter((frame) => frame.includes('%'));
    expect(frames.at(-1)).toContain(`100% | ${cut}/${cut} events`);
  });

  it('leaves the serving tables as they are and records the replay as its own generation', async () => {
    const before = await rowsOf(harness.knex, COMPATIBILITY_RECORDS);
    const { context } = cliContextFor(harness);
    await replayProjection(context, { name: 'compatibility', schema: 'scratch_compat_check', until: { position: 1n }, drop: false });
    expect(await rowsOf(harness.knex, COMPATIBILITY_RECORDS)).toEqual(before);
    expect(before).toEqual([expect.objectContaining({ status: 'disputed', official_status: 'withdrawn' })]);
    const replays = (await listGenerations(harness.knex, compatibilityProjection.name)).filter((g) => g.state === 'replay');
    expect(replays.map((g) => g.schemaName)).toEqual(expect.arrayContaining(['scratch_compat_time', 'scratch_compat_check']));
    expect(replays.find((g) => g.schemaName === 'scratch_compat_check')?.position).toBe(1n);
  });

  it('replays to the head of the log when no --until is given', async () => {
    const { context } = cliContextFor(harness);
    const schema = 'scratch_vpmm_all';
    expect(await replayProjection(context, { name: verificationsPerMakeMonthProjection.name, schema, drop: false })).toBe(0);
    expect(await rowsOf(harness.knex, qualify(schema, VERIFICATIONS_PER_MAKE_MONTH))).toEqual(await rowsOf(harness.knex, VERIFICATIONS_PER_MAKE_MONTH));
  });

  it('refuses to reuse a scratch schema without --drop, and replaces it with --drop', async () => {
    const schema = 'scratch_reused';
    const first = cliContextFor(harness);
    await replayProjection(first.context, { name: 'compatibility', schema, until: { position: cut }, drop: false });
    const again = cliContextFor(harness);
    await expect(replayProjection(again.context, { name: 'compatibility', schema, drop: false })).rejects.toThrow(/already exists.*--drop/);
    expect(await replayProjection(again.context, { name: 'compatibility', schema, drop: true })).toBe(0);
    expect(await rowsOf(harness.knex, qualify(schema, COMPATIBILITY_RECORDS))).toEqual(await rowsOf(harness.knex, COMPATIBILITY_RECORDS));
    expect((await listGenerations(harness.knex, 'compatibility')).filter((g) => g.schemaName === schema)).toHaveLength(1);
  });

  it('refuses a reactor: replaying it would queue its mails again', async () => {
    const { context } = cliContextFor(harness, { projections: allConsumers(harness.store) });
    await expect(replayProjection(context, { name: VERIFICATION_RECEIPTS, schema: 'scratch_receipts', drop: false })).rejects.toThrow(CliUsageError);
    expect((await harness.knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'scratch_receipts'`)).rows).toHaveLength(0);
  });

  it('never drops a schema a replay did not create, nor writes into a generation\'s schema', async () => {
    await harness.knex.raw('CREATE SCHEMA analyst_own');
    await harness.knex.raw('CREATE TABLE analyst_own.notes (id int)');
    const { context } = cliContextFor(harness);
    await expect(replayProjection(context, { name: 'catalog', schema: 'analyst_own', drop: true })).rejects.toThrow(CliUsageError);
    expect((await harness.knex.raw('SELECT 1 FROM analyst_own.notes')).rows).toEqual([]);
    const serving = (await listGenerations(harness.knex, 'catalog')).find((g) => g.state === 'active')!;
    await expect(replayProjection(context, { name: 'catalog', schema: serving.schemaName, drop: true })).rejects.toThrow(/rm_/);
    await expect(replayProjection(context, { name: 'catalog', schema: 'public', drop: true })).rejects.toThrow(CliUsageError);
  });

  it('drops a replay\'s scratch schema and its checkpoint, and nothing else', async () => {
    const { context, out } = cliContextFor(harness);
    await replayProjection(context, { name: 'catalog', schema: 'scratch_done', until: { position: 2n }, drop: false });
    expect(await dropReplay(context, { schema: 'scratch_done' })).toBe(0);
    expect(out.text()).toContain('dropped schema scratch_done (a replay of catalog)');
    expect((await harness.knex.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', ['scratch_done'])).rows).toEqual([]);
    expect((await listGenerations(harness.knex, 'catalog')).map((g) => g.schemaName)).not.toContain('scratch_done');
    await expect(dropReplay(context, { schema: 'analyst_own' })).rejects.toThrow(CliUsageError);
  });
});
