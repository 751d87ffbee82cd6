import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@mpp/config';
import { parseClockCut } from '@mpp/domain';
import { qualify, replayIntoSchema, untilOf } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS, PART_PRICES } from '@mpp/projections';
import { databaseUrlOf } from '@mpp/testing';
import { at, bikeRegistered, partCataloged, priceObserved, retailerRegistered, verificationSubmitted, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { createApiApp } from '../../create-api-app.js';

/**
 * The two clocks of DESIGN §10 over HTTP, checked against a replay (what `mpp projections replay` runs) on the same log.
 * The history: a part cataloged on 1 Jan 2020; rider-1's confirmation (1 Jun) and a price of 100
 * (observed 1 Jun) recorded first; then an import back-fills rider-2's refutation and a price of 90,
 * both of which happened on 1 Mar, and a price of 120 observed on 1 Sep.
 */
describe('time travel on compatibility and prices: asOf (happened) and recordedAsOf (recorded)', () => {
  let harness: ProjectionHarness;
  let app: NestExpressApplication;
  const part = at('2020-01-01T00:00:00.000Z', partCataloged());
  const bike = at('2020-01-01T00:00:00.000Z', bikeRegistered());
  const retailer = at('2020-01-01T00:00:00.000Z', retailerRegistered());
  const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
  const { partId } = pair;
  const { retailerId } = retailer.data;
  let confirmationPosition: bigint;
  let recordedCut: string;

  beforeAll(async () => {
    harness = await startProjectionHarness(ALL_PROJECTIONS);
    await harness.given(part, bike, retailer);
    confirmationPosition = await harness.given(at('2020-06-01T00:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-1', fits: true })));
    const firstBatch = await harness.given(priceObserved(partId, retailerId, { priceCents: 100_00, observedAt: '2020-06-01T00:00:00.000Z' }));
    const [{ created_at }] = await harness.knex('events').where({ position: firstBatch.toString() }).select('created_at');
    // The commit time of the first batch, to the millisecond above; the back-fill commits later.
    recordedCut = new Date(new Date(created_at).getTime() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 25));
    await harness.given(
      at('2020-03-01T00:00:00.000Z', verificationSubmitted(pair, { userId: 'rider-2', fits: false })),
      priceObserved(partId, retailerId, { priceCents: 90_00, observedAt: '2020-03-01T00:00:00.000Z' }),
      priceObserved(partId, retailerId, { priceCents: 120_00, observedAt: '2020-09-01T00:00:00.000Z' }),
    );
    Logger.overrideLogger(false);
    app = await createApiApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), databaseUrl: databaseUrlOf(harness.knex) });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await harness?.close();
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);
  const compatibility = async (query: string) => (await get(`/api/parts/${partId}/compatibility?bikeId=${pair.bikeId}${query}`).expect(200)).body;
  const prices = async (query: string) => (await get(`/api/prices/${partId}${query ? `?${query.slice(1)}` : ''}`).expect(200)).body;

  /** A replay of one projection into a scratch schema, cut by the same two clocks (`mpp projections replay --until / --recorded-until`). */
  async function replay(projection: 'compatibility' | 'prices', cuts: { until?: string; recordedUntil?: string }) {
    const schema = `scratch_${projection}_${Math.random().toString(36).slice(2, 8)}`;
    const cut = (raw: string | undefined, field: string) => (raw === undefined ? undefined : parseClockCut(raw, field));
    const until = untilOf(cut(cuts.until, 'until'), cut(cuts.recordedUntil, 'recordedUntil'));
    const { outcome } = await replayIntoSchema({ knex: harness.knex, store: harness.store, projection: ALL_PROJECTIONS.find(({ name }) => name === projection)!, schema, signal: new AbortController().signal, ...(until ? { until } : {}) });
    expect(outcome).not.toBe('aborted');
    const table = projection === 'compatibility' ? COMPATIBILITY_RECORDS : PART_PRICES;
    const { rows } = await harness.knex.raw(`SELECT * FROM ${qualify(schema, table)} WHERE part_id = ?`, [partId]);
    return rows[0];
  }

  it('answers from the read model without a clock: both verifications, the newest observation', async () => {
    expect(await compatibility('')).toMatchObject({ asOf: null, recordedAsOf: null, status: 'disputed', confirmations: 1, refutations: 1 });
    expect((await prices('')).items).toEqual([expect.objectContaining({ priceCents: 120_00, observedAt: '2020-09-01T00:00:00.000Z' })]);
  });

  it('asOf: as it stood when things happened, back-filled events included, agreeing with replay --until', async () => {
    const asOf = '2020-04-01T02:00:00+02:00';
    const compat = await compatibility(`&asOf=${encodeURIComponent(asOf)}`);
    expect(compat).toMatchObject({ asOf: '2020-04-01T00:00:00.000Z', recordedAsOf: null, status: 'disputed', confirmations: 0, refutations: 1 });
    const price = await prices(`&asOf=${encodeURIComponent(asOf)}`);
    expect(price.items).toEqual([expect.objectContaining({ priceCents: 90_00, observedAt: '2020-03-01T00:00:00.000Z', stale: true })]);

    const replayed = await replay('compatibility', { until: asOf });
    expect({ status: replayed.status, confirmations: replayed.confirmations, refutations: replayed.refutations }).toEqual({
      status: compat.status,
      confirmations: compat.confirmations,
      refutations: compat.refutations,
    });
    expect((await replay('prices', { until: asOf })).price_cents).toBe(price.items[0].priceCents);
  });

  it('recordedAsOf: as the store had recorded it, before the back-fill, agreeing with replay --recorded-until', async () => {
    const compat = await compatibility(`&recordedAsOf=${encodeURIComponent(recordedCut)}`);
    expect(compat).toMatchObject({ asOf: null, recordedAsOf: recordedCut, status: 'community', confirmations: 1, refutations: 0 });
    const price = await prices(`&recordedAsOf=${encodeURIComponent(recordedCut)}`);
    expect(price.items).toEqual([expect.objectContaining({ priceCents: 100_00 })]);

    const replayed = await replay('compatibility', { recordedUntil: recordedCut });
    expect([replayed.status, replayed.confirmations, replayed.refutations]).toEqual([compat.status, compat.confirmations, compat.refutations]);
    expect((await replay('prices', { recordedUntil: recordedCut })).price_cents).toBe(100_00);
  });

  it('takes a log position on either clock, agreeing with replay --until <position>', async () => {
    const position = confirmationPosition.toString();
    const compat = await compatibility(`&asOf=${position}`);
    expect(compat).toMatchObject({ asOf: position, status: 'community', confirmations: 1 });
    expect(await compatibility(`&recordedAsOf=${position}`)).toMatchObject({ recordedAsOf: position, status: 'community' });
    expect((await prices(`&asOf=${position}`)).items).toEqual([]);
    const replayed = await replay('compatibility', { until: position });
    expect(replayed.status).toBe(compat.status);
    expect(await replay('prices', { until: position })).toBeUndefined();
  });

  it('applies both clocks together', async () => {
    const both = `&asOf=2020-04-01T00:00:00Z&recordedAsOf=${encodeURIComponent(recordedCut)}`;
    expect(await compatibility(both)).toMatchObject({ status: 'no_data', confirmations: 0, refutations: 0 });
    expect((await prices(both)).items).toEqual([]);
  });

  it.each([
    ['asOf', '2020-04-01T00:00:00'],
    ['asOf', '2020-04-01'],
    ['recordedAsOf', 'yesterday'],
    ['recordedAsOf', '2020-02-30T00:00:00Z'],
  ])('refuses %s=%s with a 400 naming the parameter, on both routes', async (name, value) => {
    for (const path of [`/api/parts/${partId}/compatibility?bikeId=${pair.bikeId}&`, `/api/prices/${partId}?`]) {
      const res = await get(`${path}${name}=${encodeURIComponent(value)}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([name]);
    }
  });

  it('refuses a parameter the route does not support instead of ignoring it', async () => {
    const compat = await get(`/api/parts/${partId}/compatibility?bikeId=${pair.bikeId}&until=2020-04-01T00:00:00Z`).expect(400);
    expect(compat.body.errors.map((e: { field: string }) => e.field)).toEqual(['until']);
    const price = await get(`/api/prices/${partId}?at=2020-04-01T00:00:00Z`).expect(400);
    expect(price.body.errors.map((e: { field: string }) => e.field)).toEqual(['at']);
  });
});
