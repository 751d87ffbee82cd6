import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS, compatibilityProjection } from '@mpp/projections';
import { waitForPosition } from '@mpp/projection-runner';
import { generateIntoStore, planForEvents, totalEvents } from '@mpp/generator';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';

interface GenerationView {
  generation: number;
  state: string;
  position: string;
}

interface ProjectionView {
  name: string;
  active: GenerationView | null;
  building: GenerationView | null;
}

/**
 * DESIGN §5 "rebuild without downtime", over HTTP: the real API and the real projection runner on
 * 20,000 generated events. While the compatibility projection rebuilds from position 0 into a new
 * generation, the bike-parts query (which reads compatibility_records) keeps answering 200 with the
 * same body; after the atomic switch the view points at the new generation and the old schema is gone.
 */
describe('blue/green rebuild over HTTP', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let admin: SignedIn;
  let rider: SignedIn;
  let bikeId: string;
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    api = await startApiUnderTest();
    // Compatibility rebuilds 3,000 fitment events and 500 parts: seconds, long enough to query during it.
    // The rest leans on builds, cheap to project, to keep the first build of every projection short.
    const plan = planForEvents(20_000, { parts: 500, fitmentPairs: 1_500, verificationEvents: 1_500, priceObservations: 2_500, buildEvents: 0 });
    const { lastPosition } = await generateIntoStore({
      connectionString: api.db.url,
      plan: { ...plan, buildEvents: 20_000 - totalEvents(plan) },
      seed: 'blue-green',
    });
    projector = await startProjectorUnderTest(api.db);
    const names = ALL_PROJECTIONS.map((p) => p.name);
    expect(await waitForPosition(api.db.knex, names, lastPosition, 240_000)).toBe(true);
    admin = await signIn(api.app, 'ops@example.com', 'admin');
    rider = await signIn(api.app, 'rider@example.com');
    // The bike with the most parts that still fit on one page, so the whole answer is compared.
    ({ bike_id: bikeId } = await api.db.knex(COMPATIBILITY_RECORDS).select('bike_id').groupBy('bike_id').havingRaw('count(*) <= 100').orderByRaw('count(*) DESC').first());
  }, 300_000);
  afterAll(async () => {
    await projector?.stop();
    await api?.close();
  });

  const projections = async (): Promise<ProjectionView[]> =>
    (await http().get('/api/admin/projections').set('Cookie', admin.cookie).expect(200)).body.items;
  const compatibility = async () => (await projections()).find((p) => p.name === 'compatibility')!;
  /**
   * The bike's parts as a set: the query orders by status, confirmations and name, and parts that
   * tie on all three come in physical order, which differs between two builds of the same rows.
   */
  const bikeParts = async () => {
    const answer = await http().get(`/api/bikes/${bikeId}/parts?limit=100`);
    const items = answer.body.items as { part: { id: string } }[] | undefined;
    return { status: answer.status, body: { ...answer.body, items: items?.toSorted((a, b) => a.part.id.localeCompare(b.part.id)) } };
  };

  it('keeps answering with the old generation while the new one builds, then serves the new one', async () => {
    const before = await compatibility();
    expect(before.building).toBeNull();
    const first = await bikeParts();
    expect(first.status).toBe(200);
    const served = first.body;
    expect(served.total).toBeGreaterThan(20);
    expect(served.items).toHaveLength(served.total);

    const accepted = await http()
      .post('/api/admin/projections/compatibility/rebuild')
      .set('Cookie', admin.cookie)
      .set('X-CSRF-Token', admin.csrfToken)
      .expect(202);
    expect(accepted.body).toMatchObject({ projection: 'compatibility', generation: before.active!.generation + 1, state: 'building' });

    const seenBuilding: GenerationView[] = [];
    let answeredDuringBuild = 0;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const status = await compatibility();
      if (status.active!.generation === accepted.body.generation) break;
      if (Date.now() > deadline) throw new Error(`generation ${accepted.body.generation} never took over: ${JSON.stringify(status)}`);
      if (status.building) seenBuilding.push(status.building);
      expect(await bikeParts()).toEqual({ status: 200, body: served });
      // Still building after this answer: it came from the old generation.
      if ((await compatibility()).building) answeredDuringBuild += 1;
    }
    expect(answeredDuringBuild).toBeGreaterThan(0);
    expect(seenBuilding.some((g) => g.generation === accepted.body.generation && g.state === 'building' && BigInt(g.position) < 20_000n)).toBe(true);

    const after = await compatibility();
    expect(after.active).toMatchObject({ generation: accepted.body.generation, state: 'running', position: '20000' });
    expect(after.building).toBeNull();
    // The public view reads the new generation's table, and the old generation's schema is dropped.
    const view = await api.db.knex.raw(`SELECT definition FROM pg_views WHERE schemaname = 'public' AND viewname = ?`, [COMPATIBILITY_RECORDS]);
    expect(view.rows[0].definition).toContain(`rm_compatibility_v${compatibilityProjection.version}_g${accepted.body.generation}.`);
    const schemas: string[] = await api.db.knex('information_schema.schemata').where('schema_name', 'like', 'rm\\_compatibility\\_%').pluck('schema_name');
    expect(schemas).toEqual([`rm_compatibility_v${compatibilityProjection.version}_g${accepted.body.generation}`]);
    expect(await bikeParts()).toEqual({ status: 200, body: served });
  }, 240_000);

  it('answers 401 to anonymous callers and 403 to riders on the admin routes', async () => {
    await http().get('/api/admin/projections').expect(401);
    await http().post('/api/admin/projections/compatibility/rebuild').expect(401);
    await http().get('/api/admin/projections').set('Cookie', rider.cookie).expect(403);
    await http().post('/api/admin/projections/compatibility/rebuild').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).expect(403);
    expect((await compatibility()).building).toBeNull();
  });
});
