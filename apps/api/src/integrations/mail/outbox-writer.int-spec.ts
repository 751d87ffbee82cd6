import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { EmailCipher } from '../../auth/email-cipher.js';
import { UsersRepository } from '../../auth/users.repository.js';
import { OutboxWriter } from './outbox-writer.js';

describe('OutboxWriter', () => {
  let db: TestDatabase;
  let writer: OutboxWriter;
  let userId: string;
  const cipher = new EmailCipher('outbox-writer-test-secret-of-32-characters!');

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = new OutboxWriter(cipher);
    userId = (await new UsersRepository(db.knex, cipher).upsertByEmail({ email: 'contributor@example.com', displayName: 'Contributor' })).id;
  });
  afterAll(() => db.drop());

  const verificationMail = (verificationId: string) => ({
    kind: 'verification-received' as const,
    to: { userId },
    data: { verificationId, partId: '6f1c4d2e-2f55-4a57-9f55-0c4c7c5c9a01', partName: 'Akrapovic Slip-On', bikeName: '2021 Yamaha MT-07', fits: true },
  });

  it('writes no mail when the transaction of its cause rolls back', async () => {
    await expect(
      db.knex.transaction(async (trx) => {
        await trx('users').where({ id: userId }).update({ display_name: 'Renamed in the failed transaction' });
        await writer.enqueue(trx, verificationMail('11111111-1111-4111-8111-111111111111'));
        throw new Error('the cause failed after the mail was enqueued');
      }),
    ).rejects.toThrow('the cause failed');
    expect(await db.knex('email_outbox')).toHaveLength(0);
    expect((await db.knex('users').where({ id: userId }).first('display_name')).display_name).toBe('Contributor');
  });

  it('writes the mail, pending and due, when the transaction of its cause commits', async () => {
    const id = await db.knex.transaction(async (trx) => {
      await trx('users').where({ id: userId }).update({ display_name: 'Contributor' });
      return writer.enqueue(trx, verificationMail('22222222-2222-4222-8222-222222222222'));
    });
    const row = await db.knex('email_outbox').where({ id }).first();
    expect(row).toMatchObject({ kind: 'verification-received', to_user_id: userId, to_email_encrypted: null, status: 'pending', attempts: 0 });
    expect(row.subject).toBe('Thanks: your verification of Akrapovic Slip-On is recorded');
    expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('keeps no address in clear, even for a recipient who has no account', async () => {
    const id = await db.knex.transaction((trx) =>
      writer.enqueue(trx, { kind: 'build-shared', to: { email: 'Friend@Example.com' }, data: { buildId: '33333333-3333-4333-8333-333333333333', buildName: 'Touring MT-07', sharedByUserId: userId } }),
    );
    const row = await db.knex('email_outbox').where({ id }).first();
    expect(JSON.stringify(row)).not.toMatch(/friend@example\.com/i);
    expect(cipher.decrypt(row.to_email_encrypted)).toBe('friend@example.com');
  });

  it('refuses template data that carries an email address', async () => {
    await expect(
      db.knex.transaction((trx) =>
        writer.enqueue(trx, { kind: 'build-shared', to: { userId }, data: { buildId: '44444444-4444-4444-8444-444444444444', buildName: 'mail me at someone@example.com', sharedByUserId: userId } }),
      ),
    ).rejects.toThrow(/email address/);
  });

  it('enqueues a mail with a dedupe key only once', async () => {
    const mail = { ...verificationMail('55555555-5555-4555-8555-555555555555'), dedupeKey: 'verification-received:55555555' };
    const first = await db.knex.transaction((trx) => writer.enqueue(trx, mail));
    const second = await db.knex.transaction((trx) => writer.enqueue(trx, mail));
    expect(first).toBeDefined();
    expect(second).toBeUndefined();
    expect(await db.knex('email_outbox').where({ dedupe_key: 'verification-received:55555555' })).toHaveLength(1);
  });
});
