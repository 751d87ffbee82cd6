import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type Knex } from '@mpp/db';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { migrationSource } from './index.js';

const MIGRATION = '0029-receipts-reactor-on-runner';

/** Migration 0029: the receipts reactor's position survives its move from the API's job to the projection runner. */
describe(MIGRATION, () => {
  let db: TestDatabase;
  let projector: Knex;
  beforeAll(async () => {
    db = await createTestDatabase();
    projector = createKnex(db.projectorUrl, { applicationName: 'mpp-test-projector' });
  });
  afterAll(async () => {
    await projector.destroy();
    await db.drop();
  });

  it('carries the position of the old checkpoint into the runner as the serving generation, so no receipt is sent twice or skipped', async () => {
    await db.knex.migrate.down({ migrationSource, name: MIGRATION });
    await db.knex('reactor_checkpoints').insert({ reactor: 'verification-receipts', position: '4242' });
    await db.knex.migrate.up({ migrationSource, name: MIGRATION });

    expect(await db.knex('projection_checkpoints').where({ projection: 'verification-receipts' }).select('generation', 'version', 'state', 'position')).toEqual([
      { generation: 1, version: 1, state: 'active', position: 4242 },
    ]);
    expect((await db.knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_tables WHERE tablename = 'reactor_checkpoints'`)).rows).toHaveLength(0);
  });

  it('lets the projector ask who wants a receipt, never read the accounts', async () => {
    const [wants, optedOut, erased] = [randomUUID(), randomUUID(), randomUUID()];
    const user = (id: string, extra: object = {}) => ({ id, email_encrypted: 'x', email_hash: id, display_name: 'Rider', ...extra });
    await db.knex('users').insert([user(wants), user(optedOut, { email_preferences: { verificationReceipts: false } }), user(erased, { erased_at: new Date() })]);
    const { rows } = await projector.raw<{ rows: { id: string }[] }>('SELECT id FROM mpp_receipt_recipients(?::uuid[]) AS id', [[wants, optedOut, erased, randomUUID()]]);
    expect(rows.map((r) => r.id)).toEqual([wants]);
    await expect(projector.raw('SELECT count(*) FROM users')).rejects.toThrow('permission denied');
  });
});
