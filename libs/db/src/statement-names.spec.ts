import { describe, expect, it } from '@jest/globals';
import { StatementNames, isStalePreparedStatement, statementName } from './statement-names.js';

describe('StatementNames', () => {
  it('names a text from its second sighting on, the same name every time', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT $1')).toBeUndefined();
    const name = names.nameFor('SELECT $1');
    expect(name).toBe(statementName('SELECT $1'));
    expect(names.nameFor('SELECT $1')).toBe(name);
  });

  it('gives different texts different names, each a valid PostgreSQL identifier length', () => {
    const names = new StatementNames();
    const texts = ['SELECT $1', 'SELECT $1 ', `SELECT ${'x'.repeat(10_000)} FROM t WHERE id = $1`];
    const given = texts.map((text) => (names.nameFor(text), names.nameFor(text)));
    expect(new Set(given).size).toBe(texts.length);
    for (const name of given) expect(Buffer.byteLength(name!)).toBeLessThanOrEqual(63);
  });

  it('names at most maxNamed texts; the rest go unnamed', () => {
    const names = new StatementNames(2);
    const twice = (text: string) => (names.nameFor(text), names.nameFor(text));
    expect(twice('a')).toBeDefined();
    expect(twice('b')).toBeDefined();
    expect(twice('c')).toBeUndefined();
    expect(twice('a')).toBeDefined();
  });

  it('forgets texts seen once past its bound, so they start again', () => {
    const names = new StatementNames(10, 2);
    names.nameFor('a');
    names.nameFor('b');
    names.nameFor('c'); // the bound: forgets a and b, remembers c
    expect(names.nameFor('a')).toBeUndefined();
    expect(names.nameFor('c')).toBeDefined();
  });

  it('gives every text a new name after renameAll', () => {
    const names = new StatementNames();
    names.nameFor('SELECT $1');
    const before = names.nameFor('SELECT $1');
    names.renameAll();
    expect(names.nameFor('SELECT $1')).toBeUndefined();
    const after = names.nameFor('SELECT $1');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('knows the server refusing a prepared statement whose result columns changed', () => {
    expect(isStalePreparedStatement({ code: '0A000', message: 'cached plan must not change result type' })).toBe(true);
    expect(isStalePreparedStatement({ code: '0A000', message: 'feature not supported' })).toBe(false);
    expect(isStalePreparedStatement({ code: '42P01', message: 'cached plan must not change result type' })).toBe(false);
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });
});
