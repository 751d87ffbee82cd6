import type pg from 'pg';
import { BIKES, PARTS, RETAILERS } from '@mpp/projections';

/**
 * The design a team would build without event sourcing: normalised `crud_*` tables holding the
 * current state (bikes, parts, retailers, official fitment, riders' verifications, current price per
 * retailer), with the indexes such a team would add, and the bike page computed from them with
 * GROUP BY joins at request time. They are filled from the same data the API serves: master data
 * copied from the catalog read model, the rest derived once from the event log (which is what a
 * CRUD application would have written row by row).
 */
export async function createCrudTables(pool: pg.Pool): Promise<Record<string, number>> {
  const statements = [
    `DROP TABLE IF EXISTS crud_bikes, crud_parts, crud_retailers, crud_fitments, crud_verifications, crud_prices`,
    `CREATE TABLE crud_bikes AS SELECT id, slug, year, make, model, trim, engine_cc FROM ${BIKES}`,
    `ALTER TABLE crud_bikes ADD PRIMARY KEY (id)`,
    `CREATE TABLE crud_parts AS SELECT id, slug, sku, brand, name, category, description FROM ${PARTS}`,
    `ALTER TABLE crud_parts ADD PRIMARY KEY (id)`,
    `CREATE TABLE crud_retailers AS SELECT id, name, base_url FROM ${RETAILERS}`,
    `ALTER TABLE crud_retailers ADD PRIMARY KEY (id)`,
    // The official fitment of a pair as it stands: its latest publish or withdraw.
    `CREATE TABLE crud_fitments AS
       SELECT DISTINCT ON (data->>'partId', data->>'bikeId')
              (data->>'partId')::uuid AS part_id, (data->>'bikeId')::uuid AS bike_id, data->>'source' AS source,
              type = 'FitmentWithdrawn' AS withdrawn
         FROM events WHERE type IN ('FitmentPublished', 'FitmentWithdrawn')
        ORDER BY data->>'partId', data->>'bikeId', position DESC`,
    `ALTER TABLE crud_fitments ADD PRIMARY KEY (part_id, bike_id)`,
    `CREATE INDEX crud_fitments_bike ON crud_fitments (bike_id)`,
    // One row per verification with its state, as an UPDATE-in-place application keeps it.
    `CREATE TABLE crud_verifications AS
       WITH submitted AS (
         SELECT data->>'verificationId' AS id, data->>'partId' AS part_id, data->>'bikeId' AS bike_id,
                data->>'userId' AS user_id, (data->>'fits')::boolean AS fits, data->>'supersedes' AS supersedes
           FROM events WHERE type = 'VerificationSubmitted'),
       retracted AS (SELECT DISTINCT data->>'verificationId' AS id FROM events WHERE type = 'VerificationRetracted'),
       moderated AS (
         SELECT DISTINCT ON (data->>'verificationId') data->>'verificationId' AS id, data->>'action' AS action
           FROM events WHERE type = 'VerificationModerated' ORDER BY data->>'verificationId', position DESC)
       SELECT s.id::uuid AS id, s.part_id::uuid AS part_id, s.bike_id::uuid AS bike_id, s.user_id, s.fits,
              CASE WHEN r.id IS NOT NULL THEN 'retracted'
                   WHEN EXISTS (SELECT 1 FROM submitted n WHERE n.supersedes = s.id) THEN 'superseded'
                   ELSE 'active' END AS state,
              coalesce(m.action = 'hidden', false) AS hidden
         FROM submitted s LEFT JOIN retracted r ON r.id = s.id LEFT JOIN moderated m ON m.id = s.id`,
    `ALTER TABLE crud_verifications ADD PRIMARY KEY (id)`,
    `CREATE INDEX crud_verifications_bike_part ON crud_verifications (bike_id, part_id)`,
    // The current offer per part and retailer: the newest observation by observed_at.
    `CREATE TABLE crud_prices AS
       SELECT DISTINCT ON (data->>'partId', data->>'retailerId')
              (data->>'partId')::uuid AS part_id, (data->>'retailerId')::uuid AS retailer_id,
              (data->>'priceCents')::int AS price_cents, data->>'currency' AS currency, (data->>'inStock')::boolean AS in_stock,
              data->>'url' AS url, (data->>'observedAt')::timestamptz AS observed_at
         FROM events WHERE type = 'PriceObserved'
        ORDER BY data->>'partId', data->>'retailerId', (data->>'observedAt')::timestamptz DESC, position DESC`,
    `ALTER TABLE crud_prices ADD PRIMARY KEY (part_id, retailer_id)`,
  ];
  for (const sql of statements) await pool.query(sql);
  const counts: Record<string, number> = {};
  for (const table of ['crud_bikes', 'crud_parts', 'crud_retailers', 'crud_fitments', 'crud_verifications', 'crud_prices']) {
    await pool.query(`ANALYZE ${table}`);
    counts[table] = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
  }
  return counts;
}
