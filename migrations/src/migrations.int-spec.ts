import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { rollbackAll, migrateToLatest } from '@mpp/db';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('installs the extensions search relies on', async () => {
    const { rows } = await db.knex.raw<{ rows: { extname: string }[] }>(
      "SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm','unaccent','pgcrypto') ORDER BY extname",
    );
    expect(rows.map((r) => r.extname)).toEqual(['pg_trgm', 'pgcrypto', 'unaccent']);
  });

  it('rolls back every migration and applies them again', async () => {
    await rollbackAll(db.knex);
    const { rows } = await db.knex.raw<{ rows: unknown[] }>("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'");
    expect(rows).toHaveLength(0);
    const applied = await migrateToLatest(db.knex);
    expect(applied.length).toBeGreaterThan(0);
  });
});
