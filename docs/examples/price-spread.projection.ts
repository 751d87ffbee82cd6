// "Price spread per part per day": the cheapest and the dearest price seen for a part on a UTC day,
// per currency (amounts of two currencies are never compared). A projection file of one's own, run
// without touching the app (docs/analysts.md):
//   mpp projections test   --file price-spread.projection.ts
//   mpp projections replay --file price-spread.projection.ts --schema scratch_spread [--until 2025-03-01]
import type { Knex } from 'knex';
import { defineProjection, given, qualify, specEvent } from '@mpp/projection-runner';
import { dataOf } from '@mpp/projections';

const SPREAD = 'price_spread_daily';

export default defineProjection({
  name: 'price-spread-daily',
  version: 1,
  tables: [SPREAD],
  onPoisonEvent: 'park',
  async createTables(knex: Knex, schema: string) {
    await knex.schema.withSchema(schema).createTable(SPREAD, (t) => {
      t.uuid('part_id').notNullable();
      t.date('day').notNullable();
      t.text('currency').notNullable();
      t.bigInteger('min_cents').notNullable();
      t.bigInteger('max_cents').notNullable();
      t.integer('observations').notNullable();
      t.primary(['part_id', 'day', 'currency']);
    });
  },
  handlers: {
    PriceObserved: async (event, ctx) => {
      const { partId, priceCents, currency, observedAt } = dataOf(event, 'PriceObserved');
      const spread = ctx.qualified(SPREAD);
      await ctx.trx.raw(
        `INSERT INTO ${spread} (part_id, day, currency, min_cents, max_cents, observations)
         VALUES (?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?, ?, ?, 1)
         ON CONFLICT (part_id, day, currency) DO UPDATE SET
           min_cents = least(${spread}.min_cents, EXCLUDED.min_cents),
           max_cents = greatest(${spread}.max_cents, EXCLUDED.max_cents),
           observations = ${spread}.observations + 1`,
        [partId, observedAt, currency, priceCents, priceCents],
      );
    },
  },
});

const part = '6f1c2a9e-2f4b-5d7a-9c3e-1b2d3e4f5a6b';
const shopA = '0a1b2c3d-4e5f-5a6b-8c7d-9e0f1a2b3c4d';
const shopB = '1b2c3d4e-5f6a-5b7c-8d9e-0f1a2b3c4d5e';
const observed = (retailerId: string, priceCents: number, observedAt: string, currency = 'EUR') =>
  specEvent('PriceObserved', { partId: part, retailerId, priceCents, currency, inStock: true, url: 'https://shop.example/p', observedAt, source: 'feed:example' });

export const specs = [
  given(
    observed(shopA, 129_00, '2025-03-01T08:00:00Z'),
    observed(shopB, 119_00, '2025-03-01T21:00:00Z'),
    observed(shopA, 125_00, '2025-03-02T08:00:00Z'),
  ).then('the lowest and highest price of each UTC day', {
    [SPREAD]: [
      { part_id: part, day: '2025-03-01', currency: 'EUR', min_cents: 119_00, max_cents: 129_00, observations: 2 },
      { part_id: part, day: '2025-03-02', currency: 'EUR', min_cents: 125_00, max_cents: 125_00, observations: 1 },
    ],
  }),
  given(observed(shopA, 129_00, '2025-03-01T08:00:00Z'), observed(shopB, 99_00, '2025-03-01T09:00:00Z', 'GBP')).then('one row per currency', {
    [SPREAD]: [
      { currency: 'EUR', min_cents: 129_00, max_cents: 129_00 },
      { currency: 'GBP', min_cents: 99_00, max_cents: 99_00 },
    ],
  }),
];
