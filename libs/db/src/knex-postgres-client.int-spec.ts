import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { createKnex, type Knex } from './knex.js';
import { statementName } from './statement-names.js';

/** The named statements the one connection of `knex` holds on the server. */
const preparedOn = async (knex: Knex): Promise<string[]> =>
  (await knex.raw<{ rows: { name: string }[] }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((row) => row.name);

describe('repeated statements go prepared (through createKnex)', () => {
  let db: TestDatabase;
  let knex: Knex;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    // One connection, so the statements prepared are those of the connection the queries ran on.
    knex = createKnex(db.url, { poolMax: 1, applicationName: 'mpp-test-prepared' });
  });
  afterAll(async () => {
    await knex.destroy();
    await db.drop();
  });

  it('prepares a statement with parameters on its second run and answers the same', async () => {
    const text = 'SELECT ?::int + 1 AS answer';
    const sent = text.replace('?', '$1');
    expect((await knex.raw<{ rows: { answer: number }[] }>(text, [1])).rows[0]!.answer).toBe(2);
    expect(await preparedOn(knex)).not.toContain(statementName(sent));
    expect((await knex.raw<{ rows: { answer: number }[] }>(text, [2])).rows[0]!.answer).toBe(3);
    expect(await preparedOn(knex)).toContain(statementName(sent));
    expect((await knex.raw<{ rows: { answer: number }[] }>(text, [41])).rows[0]!.answer).toBe(42);
  });

  it('never prepares a statement sent with .options({ prepare: false }), however often', async () => {
    const text = 'SELECT ?::int * 2 AS answer';
    for (const n of [1, 2, 3]) expect((await knex.raw<{ rows: { answer: number }[] }>(text, [n]).options({ prepare: false })).rows[0]!.answer).toBe(2 * n);
    expect(await preparedOn(knex)).not.toContain(statementName(text.replace('?', '$1')));
  });

  it('leaves statements without parameters on the simple protocol, where a text may hold several', async () => {
    for (let i = 0; i < 3; i++) await knex.raw('CREATE TEMP TABLE IF NOT EXISTS several (n int); SELECT 1');
    expect((await preparedOn(knex)).some((name) => name === statementName('CREATE TEMP TABLE IF NOT EXISTS several (n int); SELECT 1'))).toBe(false);
  });

  it('after a table changed its columns under a prepared statement: one refusal, then prepared afresh', async () => {
    await knex.raw('CREATE TABLE reshaped (id int PRIMARY KEY, a text)');
    await knex.raw(`INSERT INTO reshaped VALUES (1, 'one')`);
    const read = () => knex.raw<{ rows: Record<string, unknown>[] }>('SELECT * FROM reshaped WHERE id = ?', [1]);
    await read();
    expect((await read()).rows).toEqual([{ id: 1, a: 'one' }]);
    await knex.raw(`ALTER TABLE reshaped ADD COLUMN b text NOT NULL DEFAULT 'two'`);
    // PostgreSQL refuses the statement prepared before the change once...
    await expect(read()).rejects.toThrow('cached plan must not change result type');
    // ...and the client names the text anew, so the next run prepares it again and sees the new column.
    await read();
    expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 'two' }]);
  });
});
