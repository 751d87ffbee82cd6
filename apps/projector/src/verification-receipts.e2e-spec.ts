import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { JobRegistry } from '../jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { importSmallCatalog } from '../testing/catalog-fixture.js';
import { signIn, type SignedIn } from '../testing/sign-in.js';
import { IDS } from '../testing/small-catalog.js';
import { RECEIPTS_PER_DAY } from '../mail/outgoing-mail-cap.js';
import { VERIFICATION_RECEIPTS } from './verification-receipts.reactor.js';

describe('verification received mail (reactor over the event log)', () => {
  let api: ApiUnderTest;
  let rider: SignedIn;
  const http = () => request(api.app.getHttpServer());
  const verify = (who: SignedIn, body: object) => http().post('/api/verifications').set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body).expect(201);
  const receipts = () => api.db.knex('email_outbox').where({ kind: 'verification-received' }).orderBy('created_at').select('to_user_id', 'data', 'dedupe_key');
  const runReactor = () => api.app.get(JobRegistry).runNow(VERIFICATION_RECEIPTS);
  /**
   * Runs the reactor until `done`: the store's gap-free reads may hold a fresh event back for a
   * moment while other suites' transactions run on the same server.
   */
  async function reactUntil(done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      expect((await runReactor()).outcome).toBe('ok');
      if (await done()) return;
      if (Date.now() > deadline) throw new Error('the reactor did not get there in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const checkpoint = async () => BigInt((await api.db.knex('reactor_checkpoints').where({ reactor: VERIFICATION_RECEIPTS }).first('position')).position);

  beforeAll(async () => {
    api = await startApiUnderTest();
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'receipt.rider@example.com');
  });
  afterAll(() => api.close());

  it('mails the contributor one receipt per verification they submit', async () => {
    const submitted = await verify(rider, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true, notes: 'Fronts, perfect fit' });
    await reactUntil(async () => (await receipts()).length > 0);

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

  it('sends nothing twice: not on the next run, and not when a batch is handled again after a lost checkpoint', async () => {
    expect((await runReactor()).detail).toMatch(/^0 receipts for 0 events/);
    // As if the process died after enqueueing but the checkpoint never moved: the same events come round again.
    await api.db.knex('reactor_checkpoints').where({ reactor: VERIFICATION_RECEIPTS }).update({ position: 0 });
    const again = await runReactor();
    expect(again.outcome).toBe('ok');
    expect(again.detail).toMatch(/^0 receipts for [1-9]\d* events/);
    expect(await receipts()).toHaveLength(1);
  });

  it('respects a rider who turned receipts off', async () => {
    const quiet = await signIn(api.app, 'quiet.rider@example.com');
    await api.db.knex('users').where({ id: quiet.userId }).update({ email_preferences: api.db.knex.raw(`email_preferences || '{"verificationReceipts": false}'::jsonb`) });
    await verify(quiet, { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: false });
    await verify(rider, { partId: IDS.exhaust, bikeId: IDS.mt07_2022, fits: false });
    await reactUntil(async () => (await receipts()).length >= 2);
    const mails = await receipts();
    expect(mails.map((m) => m.to_user_id)).toEqual([rider.userId, rider.userId]);
    expect(mails[1].data).toMatchObject({ partName: 'Akrapovic Slip-On Line (Titanium)', bikeName: '2022 Yamaha MT-07', fits: false });
  });

  it(`mails one rider at most ${RECEIPTS_PER_DAY} receipts a day however many verifications they submit, and others theirs`, async () => {
    const spammer = await signIn(api.app, 'busy.rider@example.com');
    const bystander = await signIn(api.app, 'bystander@example.com');
    let last = 0;
    for (let i = 0; i < RECEIPTS_PER_DAY + 3; i++) last = (await verify(spammer, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: i % 2 === 0 })).body.position;
    const own = await verify(bystander, { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: true });
    await reactUntil(async () => (await checkpoint()) >= BigInt(Math.max(last, own.body.position)));
    const mails = await receipts();
    expect(mails.filter((m) => m.to_user_id === spammer.userId)).toHaveLength(RECEIPTS_PER_DAY);
    expect(mails.filter((m) => m.to_user_id === bystander.userId)).toHaveLength(1);
    // The window is the outbox's last 24 hours: receipts queued a day ago no longer count.
    await api.db.knex('email_outbox').where({ to_user_id: spammer.userId }).update({ created_at: api.db.knex.raw(`now() - interval '25 hours'`) });
    const later = await verify(spammer, { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true });
    await reactUntil(async () => (await checkpoint()) >= BigInt(later.body.position));
    expect((await receipts()).filter((m) => m.to_user_id === spammer.userId)).toHaveLength(RECEIPTS_PER_DAY + 1);
  });
});
