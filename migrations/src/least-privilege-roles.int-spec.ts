import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, migrateToLatest, type Knex } from '@mpp/db';
import { createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { migrationSource, TABLE_WRITERS } from '@mpp/migrations';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1, occurredAt: '2026-12-03T09:00:00.000Z' };
const DENIED = /permission denied for (table|view|schema|sequence)/;

describe('least-privilege roles (migration 0018)', () => {
  let db: TestDatabase;
  let api: Knex;
  let projector: Knex;
  let apiStore: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = createKnex(db.apiUrl, { applicationName: 'roles-test-api' });
    projector = createKnex(db.projectorUrl, { applicationName: 'roles-test-projector' });
    apiStore = createPostgresEventStore({ connectionString: db.apiUrl, applicationName: 'roles-test-api-store' });
    await apiStore.appendToStream('bike-roles', [{ eventId: '5b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', type: 'Noted', data: { n: 1 }, metadata }], { expectedRevision: 'no_stream' });
  });
  afterAll(async () => {
    await apiStore.close();
    await api.destroy();
    await projector.destroy();
    await db.drop();
  });

  it('lets the API append to the log and read it', async () => {
    await apiStore.appendToStream('bike-roles', [{ eventId: '6c2e3d4f-5061-4b7c-9d8e-0f1a2b3c4d5e', type: 'Noted', data: { n: 2 }, metadata }], { expectedRevision: 0n });
    expect(await api('events').where({ stream_id: 'bike-roles' }).orderBy('revision').pluck('data')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it.each([
    ['UPDATE', `UPDATE events SET data = '{"n":9}'`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('refuses %s of events to the API role for want of the privilege', async (_operation, sql) => {
    await expect(api.raw(sql)).rejects.toThrow('permission denied for table events');
  });

  it('refuses the projector role any write to the log', async () => {
    await expect(projector.raw(`UPDATE events SET data = '{"n":9}'`)).rejects.toThrow('permission denied for table events');
    await expect(projector.raw('DELETE FROM events')).rejects.toThrow('permission denied for table events');
    await expect(projector.raw(`INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata) VALUES (999, 'x', 0, gen_random_uuid(), 'Noted', '{}', '{}')`)).rejects.toThrow(
      'permission denied for table events',
    );
  });

  it('still refuses an UPDATE of events to the owner, through the trigger', async () => {
    await expect(db.knex.raw(`UPDATE events SET data = '{"n":9}'`)).rejects.toThrow('the event log is append-only: UPDATE on events is refused');
    expect(await db.knex('events').where({ stream_id: 'bike-roles' }).orderBy('revision').pluck('data')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('runs each login as its privilege role, so what it creates belongs to that role', async () => {
    expect((await api.raw<{ rows: { role: string }[] }>('SELECT current_user AS role')).rows[0]!.role).toBe('mpp_api');
    expect((await projector.raw<{ rows: { role: string }[] }>('SELECT current_user AS role')).rows[0]!.role).toBe('mpp_projector');
  });

  it("keeps the projector's bookkeeping away from the API and the accounts away from the projector", async () => {
    await expect(api.raw(`UPDATE projection_checkpoints SET position = 0`)).rejects.toThrow(DENIED);
    await expect(api.raw(`DELETE FROM projection_leases`)).rejects.toThrow(DENIED);
    await expect(projector.raw('SELECT count(*) FROM users')).rejects.toThrow(DENIED);
    await expect(projector.raw('DELETE FROM sessions')).rejects.toThrow(DENIED);
    await expect(api.raw('CREATE TABLE public.sneaky (id int)')).rejects.toThrow(DENIED);
  });

  it("lets the projector call the search functions its generations' writes derive columns with (migrations 0006, 0035)", async () => {
    const { rows } = await projector.raw<{ rows: { searched: unknown; ids: string[] }[] }>(
      `SELECT public.search_searched_bikes(b) AS searched, public.search_bike_ids(b) AS ids
         FROM (SELECT '[{"bikeId": "b1", "label": "MT-07", "status": "verified", "confirmations": 2, "refutations": 0}]'::jsonb AS b) t`,
    );
    expect(rows).toEqual([{ searched: [{ bikeId: 'b1', label: 'MT-07', status: 'verified' }], ids: ['b1'] }]);
  });

  it('lets the API create next month’s affiliate partition only through the owner’s function', async () => {
    await expect(api.raw(`CREATE TABLE affiliate_clicks_y2099m01 PARTITION OF affiliate_clicks FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')`)).rejects.toThrow(/permission denied|must be owner/);
    const { rows } = await api.raw<{ rows: { created: boolean }[] }>(`SELECT mpp_create_affiliate_partition('2099-01-15T10:00:00Z') AS created`);
    expect(rows[0]!.created).toBe(true);
    const again = await api.raw<{ rows: { created: boolean }[] }>(`SELECT mpp_create_affiliate_partition('2099-01-01T00:00:00Z') AS created`);
    expect(again.rows[0]!.created).toBe(false);
  });

  it('names a writer for every table of schema public, so a new table cannot be forgotten', async () => {
    const { rows } = await db.knex.raw<{ rows: { name: string }[] }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    expect(rows.map((r) => r.name).filter((name) => !(name in TABLE_WRITERS))).toEqual([]);
  });
});

describe('migration 0018 on a deployment whose read models the owner built', () => {
  let db: TestDatabase;
  let projector: Knex;
  let api: Knex;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    for (;;) {
      const [, applied] = (await db.knex.migrate.up({ migrationSource })) as [number, string[]];
      if (applied.includes('0017-projection-leases')) break;
    }
    // What a projector running as the owner left behind: a generation schema, its table and the public view.
    await db.knex.raw('CREATE SCHEMA rm_catalog_v1_g1');
    await db.knex.raw('CREATE TABLE rm_catalog_v1_g1.bikes (id text PRIMARY KEY, model text)');
    await db.knex.raw(`INSERT INTO rm_catalog_v1_g1.bikes VALUES ('b1', 'MT-07')`);
    await db.knex.raw('CREATE VIEW public.bikes AS SELECT * FROM rm_catalog_v1_g1.bikes');
    await db.knex('projection_checkpoints').insert({ projection: 'catalog', generation: 1, version: 1, schema_name: 'rm_catalog_v1_g1', state: 'active' });
    await migrateToLatest(db.knex);
    projector = createKnex(db.projectorUrl, { applicationName: 'roles-upgrade-projector' });
    api = createKnex(db.apiUrl, { applicationName: 'roles-upgrade-api' });
  });
  afterAll(async () => {
    await projector.destroy();
    await api.destroy();
    await db.drop();
  });

  it("hands the existing generation and its view to the projector's role, which keeps writing it", async () => {
    const { rows } = await db.knex.raw<{ rows: { name: string; owner: string }[] }>(
      `SELECT 'schema' AS name, pg_get_userbyid(nspowner)::text AS owner FROM pg_namespace WHERE nspname = 'rm_catalog_v1_g1'
       UNION ALL SELECT c.relname || ' ' || c.relkind::text, pg_get_userbyid(c.relowner)::text FROM pg_class c
        WHERE c.oid IN ('rm_catalog_v1_g1.bikes'::regclass, 'public.bikes'::regclass) ORDER BY 1`,
    );
    expect(rows).toEqual([
      { name: 'bikes r', owner: 'mpp_projector' },
      { name: 'bikes v', owner: 'mpp_projector' },
      { name: 'schema', owner: 'mpp_projector' },
    ]);
    await projector.raw(`INSERT INTO rm_catalog_v1_g1.bikes VALUES ('b2', 'Tracer 9')`);
    expect(await api('bikes').orderBy('id').pluck('model')).toEqual(['MT-07', 'Tracer 9']);
    await expect(api.raw(`UPDATE rm_catalog_v1_g1.bikes SET model = 'x'`)).rejects.toThrow(DENIED);
  });

  it('lets the projector drop that generation after a rebuild', async () => {
    await projector.raw('DROP VIEW public.bikes');
    await projector.raw('DROP SCHEMA rm_catalog_v1_g1 CASCADE');
  });
});
