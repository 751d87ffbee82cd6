import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { defineProjection } from './projection.js';
import { given, runProjectionSpec, specEvent } from './projection-spec.js';

/** Sums an amount per stream per day; ignores events it does not consume. */
const dailyTotals = defineProjection({
  name: 'daily-totals',
  version: 1,
  tables: ['daily_totals'],
  onPoisonEvent: 'stop',
  async createTables(knex, schema) {
    await knex.schema.withSchema(schema).createTable('daily_totals', (t) => {
      t.text('stream_id').notNullable();
      t.date('day').notNullable();
      t.integer('total').notNullable();
      t.primary(['stream_id', 'day']);
    });
  },
  handlers: {
    Paid: async (event, ctx) => {
      await ctx.trx.raw(
        `INSERT INTO ${ctx.qualified('daily_totals')} (stream_id, day, total) VALUES (?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?)
         ON CONFLICT (stream_id, day) DO UPDATE SET total = ${ctx.qualified('daily_totals')}.total + EXCLUDED.total`,
        [event.streamId, event.metadata.occurredAt, Number(event.data.amount)],
      );
    },
  },
});

describe('projection specs: Given events / Then rows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const history = [
    specEvent('Paid', { amount: 5 }, { streamId: 'a', occurredAt: '2025-03-01T08:00:00Z' }),
    specEvent('Paid', { amount: 7 }, { streamId: 'a', occurredAt: '2025-03-01T20:00:00Z' }),
    specEvent('Ignored', { amount: 1000 }, { streamId: 'a', occurredAt: '2025-03-01T21:00:00Z' }),
    specEvent('Paid', { amount: 2 }, { streamId: 'b', occurredAt: '2025-03-02T00:30:00Z' }),
  ];

  it('passes when the tables hold exactly the expected rows, in any order, on the columns named', async () => {
    const spec = given(...history).then('sums per stream and UTC day', {
      daily_totals: [
        { stream_id: 'b', day: '2025-03-02', total: 2 },
        { stream_id: 'a', day: '2025-03-01', total: 12 },
      ],
    });
    expect(await runProjectionSpec(db.knex, dailyTotals, spec)).toEqual({ name: 'sums per stream and UTC day', passed: true, differences: [] });
  });

  it('fails with what it expected and what was written when a row differs or is missing', async () => {
    const spec = given(...history).then('wrong', { daily_totals: [{ stream_id: 'a', total: 13 }] });
    expect(await runProjectionSpec(db.knex, dailyTotals, spec)).toEqual({
      name: 'wrong',
      passed: false,
      differences: [{ table: 'daily_totals', expected: [{ stream_id: 'a', total: 13 }], actual: [{ stream_id: 'a', total: 12 }, { stream_id: 'b', total: 2 }] }],
    });
  });

  it('leaves nothing behind in the database', async () => {
    await runProjectionSpec(db.knex, dailyTotals, given(...history).then('any', { daily_totals: [] }));
    const { rows } = await db.knex.raw<{ rows: unknown[] }>("SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE 'mpp_spec_%'");
    expect(rows).toEqual([]);
  });
});
