import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForPosition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, COMPATIBILITY_RECORDS } from '@mpp/projections';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { openedStreamEvents } from '../../testing/opened-stream-events.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';
import { fitmentChains, submittedVerificationCounts } from './testing/fitment-log.js';

const RIDERS = 100;
const EDITORS = 50;

/**
 * DESIGN §4: one fitment stream takes every rider's verification (no lost append, an intact hash
 * chain, exact counts in the projection), and a build edit based on a stale revision is refused
 * (exactly one of many concurrent edits from the same revision wins; nothing is lost silently).
 */
describe('concurrency', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const http = () => request(api.app.getHttpServer());
  const allProjections = ALL_PROJECTIONS.map((p) => p.name);

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await importSmallCatalog(api.app);
  }, 180_000);

  afterAll(async () => {
    await projector?.stop();
    await api?.close();
  });

  it('takes 100 concurrent verifications of one part on one bike from 100 riders: all recorded once, chain valid, counts exact', async () => {
    const riders: SignedIn[] = [];
    for (let i = 0; i < RIDERS; i++) riders.push(await signIn(api.app, `concurrent-rider-${i}@example.com`));
    const fits = (i: number) => i % 4 !== 0;

    const answers = await Promise.all(
      riders.map((rider, i) =>
        http()
          .post('/api/verifications')
          .set('Cookie', rider.cookie)
          .set('X-CSRF-Token', rider.csrfToken)
          .send({ partId: IDS.pads, bikeId: IDS.mt07_2021, fits: fits(i), notes: `rider ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const ids = answers.map((a) => a.body.verificationId as string);
    expect(new Set(ids).size).toBe(RIDERS);

    const counts = await submittedVerificationCounts(api.db.knex);
    for (const id of ids) expect(counts.get(id)).toBe(1);
    const stream = `fitment-${IDS.pads}_${IDS.mt07_2021}`;
    const revisions: number[] = await api.db.knex('events').where({ stream_id: stream }).orderBy('revision').pluck('revision');
    expect(revisions).toEqual(Array.from({ length: RIDERS }, (_, i) => i));
    expect((await fitmentChains(api.db.knex)).get(stream)).toMatchObject({ valid: true, eventCount: RIDERS });

    const head = Math.max(...answers.map((a) => a.body.position as number));
    expect(await waitForPosition(api.db.knex, allProjections, BigInt(head), 30_000)).toBe(true);
    const confirmations = riders.filter((_, i) => fits(i)).length;
    const record = await api.db.knex(COMPATIBILITY_RECORDS).where({ part_id: IDS.pads, bike_id: IDS.mt07_2021 }).first();
    expect(record).toMatchObject({ confirmations, refutations: RIDERS - confirmations, status: 'community' });

    const trail = await http().get(`/api/parts/${IDS.pads}/verifications?bikeId=${IDS.mt07_2021}`).set('X-Min-Position', String(head)).expect(200);
    expect(trail.body.chainValid).toBe(true);
    expect(trail.body.items).toHaveLength(RIDERS);
  }, 120_000);

  it('lets exactly one of 50 concurrent edits of one build from the same revision win; the rest get 409/412', async () => {
    const owner = await signIn(api.app, 'concurrent-owner@example.com');
    const created = await http()
      .post('/api/builds')
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ name: 'Contested', bikeId: IDS.mt07_2021, visibility: 'public' })
      .expect(201);
    const { id, revision } = created.body as { id: string; revision: number };

    const answers = await Promise.all(
      Array.from({ length: EDITORS }, (_, i) =>
        http()
          .put(`/api/builds/${id}`)
          .set('Cookie', owner.cookie)
          .set('X-CSRF-Token', owner.csrfToken)
          .set('If-Match', `"${revision}"`)
          .send({ name: `Edit ${i}`, parts: [{ partId: IDS.pads, quantity: i + 1 }] }),
      ),
    );
    const winners = answers.map((a, i) => ({ status: a.status, i })).filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.status).filter((s) => s !== 409 && s !== 412)).toEqual([]);
    for (const loser of answers.filter((a) => a.status !== 200)) expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);

    const events = await openedStreamEvents(api.db.knex, `build-${id}`);
    expect(events.map((e) => e.type)).toEqual(['BuildCreated', 'BuildUpdated']);
    const winner = winners[0]!.i;
    expect(events[1]?.data).toMatchObject({ name: `Edit ${winner}`, parts: [{ partId: IDS.pads, quantity: winner + 1 }] });

    const view = await http().get(`/api/builds/${id}`).set('X-Min-Position', String(answers[winner]!.body.position)).expect(200);
    expect(view.body).toMatchObject({ name: `Edit ${winner}`, revision: revision + 1 });
  }, 60_000);
});
