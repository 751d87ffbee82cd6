import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { arrayLiteral } from './array-literal.js';

const AWKWARD_TEXT = [
  'plain',
  '',
  'NULL',
  'null',
  'with "double" quotes',
  "it's single",
  'back\\slash and trailing \\',
  '\\"both\\"',
  'comma, separated',
  '{braces}',
  '}{',
  ' leading and trailing spaces ',
  'tab\tnew\nline\rreturn',
  'ünïcödé — 日本語 🏍️',
  'a,"b",{c},\\d',
];

describe('array parameters sent as one-pass literals (through createKnex)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  const roundTrip = async (values: unknown, type: string): Promise<unknown> =>
    (await db.knex.raw<{ rows: { value: unknown }[] }>(`SELECT ?::${type} AS value`, [values as never])).rows[0]!.value;

  it('round-trips text with quotes, backslashes, commas, braces, spaces, control characters and unicode, and NULLs', async () => {
    const values = [...AWKWARD_TEXT, null, 'after null'];
    expect(await roundTrip(values, 'text[]')).toEqual(values);
  });

  it('round-trips numbers, bigints and booleans', async () => {
    expect(await roundTrip([0, -1, 2147483647, null], 'int[]')).toEqual([0, -1, 2147483647, null]);
    // createKnex parses a scalar int8 to a number, an int8[] still arrives as text.
    expect(await roundTrip([9007199254740991n, -5n, 7, null], 'bigint[]')).toEqual(['9007199254740991', '-5', '7', null]);
    expect(await roundTrip([1.5, -0.25, 1e-7, Number.NaN, Number.POSITIVE_INFINITY], 'float8[]')).toEqual([1.5, -0.25, 1e-7, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(await roundTrip([true, false, null], 'boolean[]')).toEqual([true, false, null]);
  });

  it('round-trips nested arrays and empty ones', async () => {
    expect(await roundTrip([['a"', 'b\\'], ['{c}', null]], 'text[][]')).toEqual([['a"', 'b\\'], ['{c}', null]]);
    expect(await roundTrip([], 'text[]')).toEqual([]);
  });

  it('feeds a multi-column unnest row for row', async () => {
    const ids = AWKWARD_TEXT.map((_, index) => index);
    const { rows } = await db.knex.raw<{ rows: { id: number; label: string }[] }>('SELECT * FROM unnest(?::int[], ?::text[]) AS t(id, label) ORDER BY id', [ids, AWKWARD_TEXT]);
    expect(rows).toEqual(AWKWARD_TEXT.map((label, id) => ({ id, label })));
  });

  it('leaves arrays of other values to node-postgres, which sends them as before', async () => {
    const stamps = [new Date('2026-12-04T10:00:00.123Z'), null];
    expect(arrayLiteral(stamps)).toBeUndefined();
    expect(await roundTrip(stamps, 'timestamptz[]')).toEqual(stamps);
    const documents = [{ a: 'x"y' }, { b: [1, 2] }];
    expect(arrayLiteral(documents)).toBeUndefined();
    expect(await roundTrip(documents, 'jsonb[]')).toEqual(documents);
  });

  it('writes the literal in one pass, quoting every string', () => {
    expect(arrayLiteral(['a', '', 'x"y\\z', null, 1, true])).toBe('{"a","","x\\"y\\\\z",NULL,1,true}');
    expect(arrayLiteral([[1, 2], [3, null]])).toBe('{{1,2},{3,NULL}}');
  });
});
