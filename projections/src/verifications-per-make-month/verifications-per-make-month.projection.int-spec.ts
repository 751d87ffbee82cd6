import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { verificationsPerMakeMonthProjection } from './verifications-per-make-month.projection.js';
import { at, bikeRegistered, partCataloged, unique, verificationRetracted, verificationSubmitted } from '../testing/given-events.js';
import { startProjectionHarness, type ProjectionHarness } from '../testing/projection-harness.js';

describe('verifications per make and month projection', () => {
  let harness: ProjectionHarness;

  beforeAll(async () => {
    harness = await startProjectionHarness([verificationsPerMakeMonthProjection]);
  });
  afterEach(async () => {
    expect(await harness.deadLetters()).toEqual([]);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('counts confirmations and refutations per bike make and UTC month', async () => {
    const [yamaha, honda] = [`Yamaha ${unique()}`, `Honda ${unique()}`];
    const mt07 = bikeRegistered({ make: yamaha, model: 'MT-07' });
    const tracer = bikeRegistered({ make: yamaha, model: 'Tracer 9' });
    const africaTwin = bikeRegistered({ make: honda, model: 'Africa Twin' });
    const part = partCataloged();
    const on = (bike: typeof mt07) => ({ partId: part.data.partId, bikeId: bike.data.bikeId });
    const retractedLater = at('2025-01-20T12:00:00.000Z', verificationSubmitted(on(tracer), { userId: 'rider-3', fits: true }));

    await harness.given(
      mt07,
      tracer,
      africaTwin,
      part,
      at('2025-01-10T12:00:00.000Z', verificationSubmitted(on(mt07), { userId: 'rider-1', fits: true })),
      at('2025-01-15T12:00:00.000Z', verificationSubmitted(on(mt07), { userId: 'rider-2', fits: false })),
      retractedLater,
      // Still January where it was submitted, already February in UTC.
      at('2025-01-31T23:30:00-01:00', verificationSubmitted(on(tracer), { userId: 'rider-4', fits: true })),
      at('2025-02-03T12:00:00.000Z', verificationSubmitted(on(africaTwin), { userId: 'rider-1', fits: false })),
      at('2025-02-04T12:00:00.000Z', verificationRetracted(on(tracer), retractedLater.data.verificationId, 'rider-3')),
    );

    const rows = await harness
      .knex('verifications_per_make_month')
      .whereIn('make', [yamaha, honda])
      .orderBy(['make', 'month'])
      .select('make', harness.knex.raw(`to_char(month, 'YYYY-MM') AS month`), 'confirmations', 'refutations');
    expect(rows).toEqual([
      { make: honda, month: '2025-02', confirmations: 0, refutations: 1 },
      { make: yamaha, month: '2025-01', confirmations: 2, refutations: 1 },
      { make: yamaha, month: '2025-02', confirmations: 1, refutations: 0 },
    ]);
  });
});
