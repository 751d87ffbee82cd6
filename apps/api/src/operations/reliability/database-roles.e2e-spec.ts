import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createKnex, type Knex } from '@mpp/db';
import { waitForPosition } from '@mpp/projection-runner';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { IDS } from '../../testing/small-catalog.js';
import { BIKES, COMPATIBILITY_RECORDS } from '@mpp/projections';

const DENIED = /permission denied for (table|view|schema)/;

/**
 * The read models are the projector's alone (docs/reliability.md "Database roles"): the API, which
 * serves them, may read them and nothing more, through the public views and in the generation
 * schemas behind them.
 */
describe('the API role and the read models', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let asApi: Knex;
  let bikesTable: string;

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    const position = await importSmallCatalog(api.app);
    expect(await waitForPosition(api.db.knex, ['catalog', 'compatibility'], BigInt(position), 10_000)).toBe(true);
    asApi = createKnex(api.db.apiUrl, { applicationName: 'roles-e2e-api' });
    const { rows } = await api.db.knex.raw<{ rows: { schema: string }[] }>(`SELECT schema_name AS schema FROM projection_checkpoints WHERE projection = 'catalog' AND state = 'active'`);
    bikesTable = `"${rows[0]!.schema}"."${BIKES}"`;
  });
  afterAll(async () => {
    await asApi.destroy();
    await projector.stop();
    await api.close();
  });

  it('serves the catalog the projector built, reading as the API role', async () => {
    const res = await request(api.app.getHttpServer()).get(`/api/bikes/${IDS.mt07_2021}`).expect(200);
    expect(res.body.id).toBe(IDS.mt07_2021);
    expect(await asApi(BIKES).where({ id: IDS.mt07_2021 }).first()).toBeDefined();
  });

  it.each([
    ['UPDATE', (table: string, column: string) => `UPDATE ${table} SET ${column} = 'Hacked'`],
    ['DELETE', (table: string) => `DELETE FROM ${table}`],
    ['INSERT', (table: string) => `INSERT INTO ${table} SELECT * FROM ${table} LIMIT 1`],
  ])('refuses %s on a read model to the API role, through its view and in its generation schema', async (_operation, sql) => {
    await expect(asApi.raw(sql(`public.${BIKES}`, 'model'))).rejects.toThrow(DENIED);
    await expect(asApi.raw(sql(bikesTable, 'model'))).rejects.toThrow(DENIED);
    await expect(asApi.raw(sql(`public.${COMPATIBILITY_RECORDS}`, 'status'))).rejects.toThrow(DENIED);
  });

  it('leaves the read models as the projector wrote them', async () => {
    const bike = await api.db.knex(BIKES).where({ id: IDS.mt07_2021 }).first();
    expect(bike.model).not.toBe('Hacked');
  });
});
