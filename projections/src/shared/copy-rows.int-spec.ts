import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contextFor } from '@mpp/projection-runner';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { copyRows, copyField } from './copy-rows.js';

describe('copyField', () => {
  it("writes COPY's text format: null as \\N, dates as instants, objects as JSON, the four special characters escaped", () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(new Date('2025-03-01T12:00:00Z'))).toBe('2025-03-01T12:00:00.000Z');
    expect(copyField({ a: 'x"y' })).toBe('{"a":"x\\\\"y"}');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(12n)).toBe('12');
    expect(copyField(false)).toBe('false');
  });
});

describe('copyRows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.knex.raw('CREATE SCHEMA copy_rows');
    await db.knex.raw('CREATE TABLE copy_rows.t (id uuid PRIMARY KEY, n bigint, note text, at timestamptz, data jsonb, flag boolean)');
  });
  afterAll(async () => {
    await db.drop();
  });

  const rows = [
    { id: '0b7c2c1e-8d3f-4a41-9c36-2b1f0e4d5a6b', n: 9007199254740993n, note: 'tab\there, line\nthere, \\N literally, \r, "quoted", é ✓', at: new Date('2025-03-01T12:00:00Z'), data: { notes: 'a\tb\\c', list: [1, null] }, flag: true },
    { id: '1c8d3d2f-9e4a-4b52-8d47-3c2a1f5e6b7c', n: null, note: null, at: new Date('2025-03-02T00:00:00Z'), data: {}, flag: false },
  ];

  it('loads every value as an INSERT would, in the batch transaction', async () => {
    await db.knex.transaction(async (trx) => {
      await copyRows(contextFor(trx, 'copy_rows', 1), 't', ['id', 'n', 'note', 'at', 'data', 'flag'], rows);
      const { rows: stored } = await trx.raw<{ rows: Record<string, unknown>[] }>('SELECT id, n::text AS n, note, at, data, flag FROM copy_rows.t ORDER BY id');
      expect(stored).toEqual(rows.map((row) => ({ ...row, n: row.n === null ? null : row.n.toString() })));
    });
  });

  it('fails the transaction on a duplicate key, as an INSERT without ON CONFLICT does, and leaves the connection usable', async () => {
    await expect(
      db.knex.transaction(async (trx) => {
        await copyRows(contextFor(trx, 'copy_rows', 1), 't', ['id', 'n', 'note', 'at', 'data', 'flag'], [rows[1]!, rows[1]!]);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await db.knex.raw<{ rows: { n: number }[] }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });
});
