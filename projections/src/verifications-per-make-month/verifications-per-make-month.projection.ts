import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf, occurredAt } from '../shared/recorded-event.js';
import { VERIFICATIONS_PER_MAKE_MONTH as STATS, VERIFICATIONS_PER_MAKE_MONTH_BIKES as BIKE_MAKES } from './verifications-per-make-month.tables.js';

/**
 * The worked example of docs/projections.md: how many fit verifications riders submitted per bike
 * make and calendar month (UTC), split into confirmations (fits) and refutations (does not fit).
 *
 * It counts submissions as they happened, a flow: a later retraction, supersession or moderation
 * does not reach back into the month it was submitted in. The current standing of the evidence is
 * the compatibility projection's job.
 */
export const verificationsPerMakeMonthProjection = defineProjection({
  name: 'verifications-per-make-month',
  version: 1,
  tables: [STATS],
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    BikeRegistered: async (event, ctx) => {
      const { bikeId, make } = dataOf(event, 'BikeRegistered');
      await ctx.table(BIKE_MAKES).insert({ bike_id: bikeId, make }).onConflict('bike_id').ignore();
    },

    VerificationSubmitted: async (event, ctx) => {
      const { bikeId, fits } = dataOf(event, 'VerificationSubmitted');
      const stats = ctx.qualified(STATS);
      const result = await ctx.trx.raw<{ rowCount: number }>(
        `INSERT INTO ${stats} (make, month, confirmations, refutations)
         SELECT b.make, date_trunc('month', ?::timestamptz AT TIME ZONE 'UTC')::date, ?, ?
           FROM ${ctx.qualified(BIKE_MAKES)} b
          WHERE b.bike_id = ?
         ON CONFLICT (make, month) DO UPDATE SET
           confirmations = ${stats}.confirmations + EXCLUDED.confirmations,
           refutations = ${stats}.refutations + EXCLUDED.refutations`,
        [occurredAt(event), fits ? 1 : 0, fits ? 0 : 1, bikeId],
      );
      if (result.rowCount === 0) throw new Error(`verification of bike ${bikeId}, which was never registered`);
    },
  },
  // A rebuild sees every verification of the log: one statement per table per batch instead of one per event.
  bulk: { applyBatch: countBatch },
});

/** The handlers above for a whole batch: the same rows, and the same failure for a verification of a bike not registered before it. */
async function countBatch(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
  const registered = new Map<string, string>();
  const submitted: { bikeId: string; at: string; fits: boolean }[] = [];
  for (const event of events) {
    if (event.type === 'BikeRegistered') {
      const { bikeId, make } = dataOf(event, 'BikeRegistered');
      if (!registered.has(bikeId.toLowerCase())) registered.set(bikeId.toLowerCase(), make);
    } else {
      const { bikeId, fits } = dataOf(event, 'VerificationSubmitted');
      submitted.push({ bikeId: bikeId.toLowerCase(), at: occurredAt(event).toISOString(), fits });
    }
  }
  const known = new Set<string>(
    await ctx.table(BIKE_MAKES).whereIn('bike_id', [...new Set(submitted.map((s) => s.bikeId))]).pluck('bike_id'),
  );
  for (const event of events) {
    if (event.type === 'BikeRegistered') known.add(dataOf(event, 'BikeRegistered').bikeId.toLowerCase());
    else if (!known.has(dataOf(event, 'VerificationSubmitted').bikeId.toLowerCase())) {
      throw new Error(`verification of bike ${dataOf(event, 'VerificationSubmitted').bikeId}, which was never registered`);
    }
  }
  if (registered.size > 0) {
    await ctx.trx.raw(`INSERT INTO ${ctx.qualified(BIKE_MAKES)} (bike_id, make) SELECT * FROM unnest(?::uuid[], ?::text[]) ON CONFLICT (bike_id) DO NOTHING`, [
      [...registered.keys()],
      [...registered.values()],
    ]);
  }
  if (submitted.length === 0) return;
  const stats = ctx.qualified(STATS);
  await ctx.trx.raw(
    `INSERT INTO ${stats} (make, month, confirmations, refutations)
     SELECT b.make, date_trunc('month', t.at AT TIME ZONE 'UTC')::date, sum(t.fits::int), sum((NOT t.fits)::int)
       FROM unnest(?::uuid[], ?::timestamptz[], ?::boolean[]) AS t(bike_id, at, fits)
       JOIN ${ctx.qualified(BIKE_MAKES)} b ON b.bike_id = t.bike_id
      GROUP BY 1, 2
     ON CONFLICT (make, month) DO UPDATE SET
       confirmations = ${stats}.confirmations + EXCLUDED.confirmations,
       refutations = ${stats}.refutations + EXCLUDED.refutations`,
    [submitted.map((s) => s.bikeId), submitted.map((s) => s.at), submitted.map((s) => s.fits)],
  );
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(STATS, (t) => {
    t.text('make').notNullable();
    // The first day of the month, UTC.
    t.date('month').notNullable();
    t.integer('confirmations').notNullable();
    t.integer('refutations').notNullable();
    // One make's months in order.
    t.primary(['make', 'month']);
  });
  // One month across makes ("which makes got the most verifications in March?").
  await knex.raw(`CREATE INDEX verifications_per_make_month_month ON ${qualify(schema, STATS)} (month)`);

  await knex.schema.withSchema(schema).createTable(BIKE_MAKES, (t) => {
    t.uuid('bike_id').primary();
    t.text('make').notNullable();
  });
}
