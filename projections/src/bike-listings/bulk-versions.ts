import type { ProjectionContext } from '@mpp/projection-runner';
import { COMPATIBILITY_RECORDS as RECORDS } from '../compatibility/compatibility.tables.js';
import type { ListingChanges } from './listing-changes.js';
import { VERSIONS } from './bike-listings.tables.js';
import { raisePositionOnConflict } from '../shared/key-versions.js';

/**
 * The versions of a bulk catch-up, derived once in its finish instead of fanned out batch by batch
 * (every bike listing a re-priced part, every part listed on a registered bike: a third of a bulk
 * batch's statement time in a 1M rebuild).
 *
 * A bulk batch keeps only what the state cannot give back: per bike, part and retailer the position
 * of the last event that named it (`bike_listing_bulk_touches`, created by the first bulk batch and
 * dropped by the finish). A pair's last event is its record's `last_position` already. The finish
 * then gives every key what the live batches give it (`refreshListings`, `versionsOf`):
 * - `part:<id>`: its own touches, its retailers' registrations, and for each of its records the
 *   pair's last event and the bike's registration;
 * - `bike:<id>`: its registration, and for each of its records the pair's last event and the part's
 *   touches as above (its own and its retailers');
 * - `catalog`: the last registration of a bike.
 * A live batch fans a touch out over the records and prices standing at that batch, the finish over
 * those standing at the end; the two agree because a record or a price that came later came with an
 * event of its own at a later position (the pair's, the price's), which is the greater anyway.
 */
const TOUCHES = 'bike_listing_bulk_touches';

/** Records what a bulk batch's events name; creates the table in the first bulk batch. */
export async function recordBulkTouches(ctx: ProjectionContext, changes: ListingChanges): Promise<void> {
  await ensureTouchesTable(ctx);
  const named = [
    ...[...changes.bikes].map(([id, position]) => ['bike', id, position] as const),
    ...[...changes.parts].map(([id, position]) => ['part', id, position] as const),
    ...[...changes.retailers].map(([id, position]) => ['retailer', id, position] as const),
  ];
  if (named.length === 0) return;
  await ctx.trx.raw(
    `INSERT INTO ${ctx.qualified(TOUCHES)} AS t (kind, id, position) SELECT * FROM unnest(?::text[], ?::uuid[], ?::bigint[])
     ${raisePositionOnConflict('t', ['kind', 'id'])}`,
    [named.map(([kind]) => kind), named.map(([, id]) => id), named.map(([, , position]) => position.toString())],
  );
}

/** The finish's versions of every key (see above), raised where the generation already had later ones; then the touches go. */
export async function writeBulkVersions(ctx: ProjectionContext): Promise<void> {
  await ensureTouchesTable(ctx);
  const q = (table: string) => ctx.qualified(table);
  await ctx.trx.raw(
    `WITH touched AS (SELECT kind, id, position FROM ${q(TOUCHES)}),
     bike AS (SELECT id AS bike_id, position FROM touched WHERE kind = 'bike'),
     part AS (
       SELECT part_id, max(position) AS position FROM (
         SELECT id AS part_id, position FROM touched WHERE kind = 'part'
         UNION ALL
         SELECT pp.part_id, t.position FROM ${q('part_prices')} pp JOIN touched t ON t.kind = 'retailer' AND t.id = pp.retailer_id) named
        GROUP BY part_id),
     record AS (
       SELECT r.bike_id, r.part_id, r.last_position, part.position AS part_position, bike.position AS bike_position
         FROM ${q(RECORDS)} r LEFT JOIN part USING (part_id) LEFT JOIN bike USING (bike_id)),
     derived (key, position) AS (
       SELECT 'bike:' || bike_id, max(position) FROM (
         SELECT bike_id, greatest(last_position, part_position) AS position FROM record
         UNION ALL
         SELECT bike_id, position FROM bike) b
        GROUP BY bike_id
       UNION ALL
       SELECT 'part:' || part_id, max(position) FROM (
         SELECT part_id, greatest(last_position, bike_position) AS position FROM record
         UNION ALL
         SELECT part_id, position FROM part) p
        GROUP BY part_id
       UNION ALL
       SELECT 'catalog', max(position) FROM bike HAVING count(*) > 0)
     INSERT INTO ${q(VERSIONS)} AS v (key, position) SELECT key, position FROM derived
     ${raisePositionOnConflict('v')}`,
  );
  await ctx.trx.raw(`DROP TABLE ${q(TOUCHES)}`);
}

async function ensureTouchesTable(ctx: ProjectionContext): Promise<void> {
  await ctx.trx.raw(`CREATE TABLE IF NOT EXISTS ${ctx.qualified(TOUCHES)} (kind text NOT NULL, id uuid NOT NULL, position bigint NOT NULL, PRIMARY KEY (kind, id))`);
}
