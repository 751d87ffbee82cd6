import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type Knex } from '@mpp/db';
import { createPostgresEventStore, type EventStore, type RecordedEvent } from '@mpp/event-store';
import { batchHandlerOf, contextFor } from '@mpp/projection-runner';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { RECEIPTS_PER_DAY } from './receipts-per-day.js';
import { verificationReceiptsReactor } from './verification-receipts.reactor.js';

/**
 * The reactor's batch on its own, as the projector's role runs it: whole batches of several riders'
 * submissions, which the live tail seldom hands it, against an outbox that already holds receipts.
 */
describe('verification receipts, a batch at a time (real PostgreSQL, the projector role)', () => {
  let db: TestDatabase;
  let projector: Knex;
  let store: EventStore;
  let position = 0n;

  beforeAll(async () => {
    db = await createTestDatabase();
    projector = createKnex(db.projectorUrl, { applicationName: 'mpp-test-projector' });
    store = createPostgresEventStore({ connectionString: db.url });
  });
  afterAll(async () => {
    await store.close();
    await projector.destroy();
    await db.drop();
  });

  const rider = async () => {
    const id = randomUUID();
    await db.knex('users').insert({ id, email_encrypted: 'x', email_hash: id, display_name: 'Rider' });
    return id;
  };
  const submitted = (userId: string): RecordedEvent => {
    position += 1n;
    return {
      streamId: `fitment-${randomUUID()}`,
      revision: 0n,
      position,
      eventId: randomUUID(),
      type: 'VerificationSubmitted',
      data: { verificationId: randomUUID(), partId: randomUUID(), bikeId: randomUUID(), userId, fits: true },
      metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: userId, schemaVersion: 1, occurredAt: new Date().toISOString() },
      createdAt: new Date(),
    };
  };
  const alreadyQueued = (userId: string, dedupeKey: string) => ({
    id: randomUUID(),
    kind: 'verification-received',
    to_user_id: userId,
    subject: 'earlier',
    data: {},
    dedupe_key: dedupeKey,
  });
  const handle = (events: RecordedEvent[]) =>
    projector.transaction((trx) => batchHandlerOf(verificationReceiptsReactor(store))(events, contextFor(trx, 'public', 1)));
  const queuedFor = async (userId: string): Promise<string[]> =>
    db.knex('email_outbox').where({ to_user_id: userId }).whereNot({ subject: 'earlier' }).orderBy('dedupe_key').pluck('dedupe_key');
  const keyOf = (event: RecordedEvent) => `verification-received:${event.eventId}`;

  it("queues each rider's receipts in log order up to what the day allows, and nothing twice when the batch comes again", async () => {
    const [busy, other] = [await rider(), await rider()];
    // Two receipts left for the busy rider today.
    await db.knex('email_outbox').insert(Array.from({ length: RECEIPTS_PER_DAY - 2 }, (_, i) => alreadyQueued(busy, `earlier:${busy}:${i}`)));
    const batch = [submitted(busy), submitted(other), submitted(busy), submitted(busy)];
    await handle(batch);
    expect(await queuedFor(busy)).toEqual([keyOf(batch[0]!), keyOf(batch[2]!)].sort());
    expect(await queuedFor(other)).toEqual([keyOf(batch[1]!)]);
    const mail = await db.knex('email_outbox').where({ dedupe_key: keyOf(batch[1]!) }).first();
    // No catalog view in this database, and no part or bike in the log: the mail still goes, named generically.
    expect(mail).toMatchObject({ kind: 'verification-received', status: 'pending', data: { partName: 'a part', bikeName: 'your bike', fits: true } });
    expect(mail.data.partSlug).toBeUndefined();

    await handle(batch);
    expect(await queuedFor(busy)).toEqual([keyOf(batch[0]!), keyOf(batch[2]!)].sort());
    expect(await queuedFor(other)).toEqual([keyOf(batch[1]!)]);
  });

  it('lets a receipt queued by an earlier try of the batch count once, not twice', async () => {
    const rider1 = await rider();
    const [first, second] = [submitted(rider1), submitted(rider1)];
    // Nine today, the first of this batch among them: one left, which the second gets.
    await db.knex('email_outbox').insert([
      ...Array.from({ length: RECEIPTS_PER_DAY - 2 }, (_, i) => alreadyQueued(rider1, `earlier:${rider1}:${i}`)),
      { ...alreadyQueued(rider1, keyOf(first)), subject: 'first try' },
    ]);
    await handle([first, second]);
    expect(await queuedFor(rider1)).toEqual([keyOf(first), keyOf(second)].sort());
    expect(await db.knex('email_outbox').where({ to_user_id: rider1 }).count({ n: '*' })).toEqual([{ n: RECEIPTS_PER_DAY }]);
  });

  it('mails nobody who turned receipts off, was erased, or has no account', async () => {
    const [off, erased] = [await rider(), await rider()];
    await db.knex('users').where({ id: off }).update({ email_preferences: { verificationReceipts: false } });
    await db.knex('users').where({ id: erased }).update({ erased_at: new Date() });
    const outbox = () => db.knex('email_outbox').count({ n: '*' });
    const before = await outbox();
    await handle([submitted(off), submitted(erased), submitted(randomUUID()), submitted('not-a-uuid')]);
    expect(await outbox()).toEqual(before);
  });

  it('links the part by its slug once the catalog has its view', async () => {
    const linked = await rider();
    const event = submitted(linked);
    const partId = (event.data as { partId: string }).partId;
    // The catalog's public view stands in as a table of the two columns read, made by the projector's role as the view is.
    await projector.raw(`CREATE TABLE parts (id uuid PRIMARY KEY, slug text NOT NULL)`);
    try {
      await projector('parts').insert({ id: partId, slug: 'ebc-hh-pads' });
      await handle([event]);
      expect((await db.knex('email_outbox').where({ dedupe_key: keyOf(event) }).first()).data).toMatchObject({ partId, partSlug: 'ebc-hh-pads' });
    } finally {
      await projector.raw('DROP TABLE parts');
    }
  });
});
