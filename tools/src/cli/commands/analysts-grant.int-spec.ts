import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { bikeRegistered, partCataloged, priceObserved, retailerRegistered, startProjectionHarness, type ProjectionHarness } from '@mpp/projections/testing';
import { runCli } from '../cli.js';
import { databaseUrlOf } from '@mpp/testing';
import { cliContextFor, cliIoFor } from '../testing/cli-test-context.js';
import { grantAnalysts } from './analysts-grant.js';

/** Roles belong to the whole server that all suites share: each run uses names of its own. */
const role = `analysts_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

describe('mpp analysts grant', () => {
  let harness: ProjectionHarness;
  let analyst: pg.Client;
  const part = partCataloged();
  const retailer = retailerRegistered();

  beforeAll(async () => {
    harness = await startProjectionHarness([]);
    await harness.given(bikeRegistered(), part, retailer, priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 4_990, observedAt: '2025-03-01T08:00:00.000Z' }));
    process.env.MPP_TEST_ANALYST_PASSWORD = password;
    const io = cliIoFor(harness);
    expect(await runCli(['analysts', 'grant', role, '--password-env', 'MPP_TEST_ANALYST_PASSWORD'], io)).toBe(0);
    expect(io.out.text()).toContain(`created login role ${role}`);
    const url = new URL(databaseUrlOf(harness.knex));
    url.username = role;
    url.password = password;
    analyst = new pg.Client({ connectionString: url.toString() });
    await analyst.connect();
  });
  afterAll(async () => {
    await analyst?.end();
    if (!harness) return;
    try {
      const exists = await harness.knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_roles WHERE rolname = ?', [role]);
      if (exists.rows.length > 0) await harness.knex.raw(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    } finally {
      await harness.close();
    }
  });

  it('lets the role read the analytics views', async () => {
    const { rows } = await analyst.query('SELECT part_id, price_cents, currency FROM analytics.price_observed');
    expect(rows).toEqual([{ part_id: part.data.partId, price_cents: 4990, currency: 'EUR' }]);
    expect((await analyst.query('SELECT count(*)::int AS n FROM analytics.bike_registered')).rows).toEqual([{ n: 1 }]);
  });

  it.each([
    ['read the event log itself', 'SELECT * FROM events', /permission denied/],
    ['append to the log', `INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata) VALUES (999, 'bike-x', 0, gen_random_uuid(), 'X', '{}', '{}')`, /read-only transaction|permission denied/],
    ['change the log', "UPDATE events SET data = '{}'", /read-only transaction|permission denied/],
    ['delete from the log', 'DELETE FROM events', /read-only transaction|permission denied/],
    ['create a table in analytics', 'CREATE TABLE analytics.mine (x int)', /read-only transaction|permission denied/],
    ['create a table in public', 'CREATE TABLE public.mine (x int)', /read-only transaction|permission denied/],
    ['replace a view', 'CREATE OR REPLACE VIEW analytics.price_observed AS SELECT 1 AS x', /read-only transaction|permission denied|must be owner/],
    ['read a read model or a state table', 'SELECT * FROM projection_checkpoints', /permission denied/],
  ])('refuses to %s', async (_what, sql, error) => {
    await expect(analyst.query(sql)).rejects.toThrow(error);
  });

  it('refuses writes by privilege too, not only by the read-only default the role could switch off', async () => {
    await analyst.query('SET default_transaction_read_only = off');
    try {
      await expect(analyst.query("UPDATE events SET data = '{}'")).rejects.toThrow(/permission denied/);
      await expect(analyst.query('CREATE TABLE analytics.mine (x int)')).rejects.toThrow(/permission denied/);
      await expect(analyst.query('CREATE TABLE public.mine (x int)')).rejects.toThrow(/permission denied/);
      await expect(analyst.query('DROP VIEW analytics.price_observed')).rejects.toThrow(/must be owner/);
    } finally {
      await analyst.query('RESET default_transaction_read_only');
    }
  });

  it('keeps the grant on views that a later migration run re-creates', async () => {
    await harness.knex.raw("COMMENT ON VIEW analytics.price_observed IS 'stale'");
    const { refreshAnalyticsViews } = await import('@mpp/migrations');
    expect((await refreshAnalyticsViews(harness.knex)).created).toEqual(['price_observed']);
    expect((await analyst.query('SELECT count(*)::int AS n FROM analytics.price_observed')).rows).toEqual([{ n: 1 }]);
  });

  it('grants again to an existing role, and refuses a role that can do more than read', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await grantAnalysts(context, { role })).toBe(0);
    expect(out.text()).toContain(`granted to existing role ${role}`);
    await expect(grantAnalysts(cliContextFor(harness).context, { role: 'postgres' })).rejects.toThrow(/role of PostgreSQL itself/);
    const powerful = `${role}_dba`;
    await harness.knex.raw(`CREATE ROLE ${powerful} CREATEROLE`);
    try {
      await expect(grantAnalysts(cliContextFor(harness).context, { role: powerful })).rejects.toThrow(/can do more than read/);
    } finally {
      await harness.knex.raw(`DROP ROLE ${powerful}`);
    }
  });

  it('refuses a role name that is not a plain identifier before connecting', async () => {
    const io = cliIoFor(harness);
    expect(await runCli(['analysts', 'grant', 'Robert"; DROP TABLE events; --'], io)).toBe(2);
    expect(io.connections()).toBe(0);
  });
});
