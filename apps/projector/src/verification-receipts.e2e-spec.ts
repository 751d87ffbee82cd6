import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RECEIPTS_PER_DAY, VERIFICATION_RECEIPTS } from '@mpp/projections';
import { startApiUnderTest, type ApiUnderTest, importSmallCatalog, startProjectorUnderTest, type ProjectorUnderTest, signIn, type SignedIn, IDS } from '@mpp/api/testing';

/**
 * The verification-receipts reactor as it runs in production: the real API appends verifications,
 * the real projection runner (every projection and reactor, as the projector's role) queues the
 * receipts in the outbox with its checkpoint.
 */
describe('verification received mail (a reactor on the projection runner)', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let rider: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const verify = (who: SignedIn, body: object) => http().post('/api/verifications').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body).expect(201);
  const receipts = () => api.db.knex('email_outbox').where({ kind: 'verification-received' }).orderBy('created_at').select('to_user_id', 'data', 'dedupe_key');
  const reactor = () => api.db.knex('projection_checkpoints').where({ projection: VERIFICATION_RECEIPTS, state: 'active' }).first('generation', 'position', 'events_processed');
  const checkpoint = async () => BigInt((await reactor())?.position ?? -1);

  /** Waits (10 s at most) until the reactor has passed `position`. */
  async function reactedTo(position: number | string | bigint): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await checkpoint()) < BigInt(position)) {
      if (Date.now() > deadline) throw new Error(`the reactor did not reach position ${position} in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    projector = await startProjectorUnderTest(api.db);
    rider = await signIn(api.app, 'receipt.rider@example.com');
  });
  afterAll(async () => {
    await projector.stop();
    await api.close();
  });

  it('mails the contributor one receipt per verification they submit', async () => {
    const submitted = await verify(rider, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'Fronts, perfect fit' });
    await reactedTo(submitted.body.position);
    const mails = await receipts();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to_user_id: rider.userId,
      dedupe_key: `verification-received:${submitted.body.eventId}`,
      data: { verificationId: submitted.body.verificationId, partId: IDS.pads, partName: 'EBC HH Sintered Brake Pads', bikeName: '2021 Yamaha MT-07', fits: true },
    });
    // Notes are the rider's own words: they stay in the audit trail, not in the outbox.
    expect(JSON.stringify(mails[0].data)).not.toContain('perfect');
    expect(await checkpoint()).toBe(BigInt(submitted.body.position));
  });

  it('sends nothing twice when a batch is handled again after a lost checkpoint', async () => {
    const before = await reactor();
    await projector.stop();
    // As if the process died after enqueueing but the checkpoint never moved: the same events come round again.
    await api.db.knex('projection_checkpoints').where({ projection: VERIFICATION_RECEIPTS, generation: before.generation }).update({ position: 0 });
    projector = await startProjectorUnderTest(api.db);
    await reactedTo(before.position);
    expect(Number((await reactor()).events_processed)).toBeGreaterThan(Number(before.events_processed));
    expect(await receipts()).toHaveLength(1);
  });

  it('mails nobody again on a rebuild: the new generation goes on from where the reactor was', async () => {
    const admin = await signIn(api.app, 'receipts.admin@example.com', 'admin');
    const rebuild = await http().post(`/api/admin/projections/${VERIFICATION_RECEIPTS}/rebuild`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).expect(202);
    const later = await verify(rider, { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true });
    const deadline = Date.now() + 10_000;
    while ((await reactor()).generation !== rebuild.body.generation || (await checkpoint()) < BigInt(later.body.position)) {
      if (Date.now() > deadline) throw new Error('the rebuilt reactor did not serve in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await receipts()).map((m) => m.dedupe_key)).toEqual([expect.any(String), `verification-received:${later.body.eventId}`]);
  });

  it('shows in the projections status and the lag metrics, with its dead letters', async () => {
    const admin = await signIn(api.app, 'receipts.status@example.com', 'admin');
    const head = await http().get('/api/admin/projections').set('Cookie', admin.cookie).expect(200);
    await reactedTo(head.body.head);
    const status = await http().get('/api/admin/projections').set('Cookie', admin.cookie).expect(200);
    const item = status.body.items.find((p: { name: string }) => p.name === VERIFICATION_RECEIPTS);
    expect(item).toMatchObject({ name: VERIFICATION_RECEIPTS, version: 1, active: { state: 'running', lagEvents: 0, deadLetters: 0 } });
    // The gauges are filled when the head gauge is collected, after they are written out: the second scrape shows the first one's values.
    await http().get('/metrics').expect(200);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`^mpp_projection_lag_events\\{projection="${VERIFICATION_RECEIPTS}",generation="${item.active.generation}",role="active"\\} 0$`, 'm'));
  });

  it('respects a rider who turned receipts off', async () => {
    const quiet = await signIn(api.app, 'quiet.rider@example.com');
    await api.db.knex('users').where({ id: quiet.userId }).update({ email_preferences: api.db.knex.raw(`email_preferences || '{"verificationReceipts": false}'::jsonb`) });
    await verify(quiet, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false });
    const own = await verify(rider, { partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: false });
    await reactedTo(own.body.position);
    const mails = await receipts();
    expect(mails.map((m) => m.to_user_id)).toEqual([rider.userId, rider.userId, rider.userId]);
    expect(mails[2].data).toMatchObject({ partName: 'Akrapovic Slip-On Line (Titanium)', bikeName: '2022 Yamaha MT-07', fits: false });
  });

  it(`mails one rider at most ${RECEIPTS_PER_DAY} receipts a day however many verifications they submit, and others theirs`, async () => {
    const spammer = await signIn(api.app, 'busy.rider@example.com');
    const bystander = await signIn(api.app, 'bystander@example.com');
    let last = 0;
    for (let i = 0; i < RECEIPTS_PER_DAY + 3; i++) last = (await verify(spammer, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: i % 2 === 0 })).body.position;
    const own = await verify(bystander, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true });
    await reactedTo(Math.max(last, own.body.position));
    const mails = await receipts();
    expect(mails.filter((m) => m.to_user_id === spammer.userId)).toHaveLength(RECEIPTS_PER_DAY);
    expect(mails.filter((m) => m.to_user_id === bystander.userId)).toHaveLength(1);
    // The window is the outbox's last 24 hours: receipts queued a day ago no longer count.
    await api.db.knex('email_outbox').where({ to_user_id: spammer.userId }).update({ created_at: api.db.knex.raw(`now() - interval '25 hours'`) });
    const later = await verify(spammer, { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true });
    await reactedTo(later.body.position);
    expect((await receipts()).filter((m) => m.to_user_id === spammer.userId)).toHaveLength(RECEIPTS_PER_DAY + 1);
  });
});
