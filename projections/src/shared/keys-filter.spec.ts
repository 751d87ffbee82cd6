import { describe, expect, it } from '@jest/globals';
import { keysFilter, noKeys } from './keys-filter.js';

describe('keysFilter', () => {
  it('names the ids as one array binding', () => {
    expect(keysFilter('p.id', ['a', 'b'])).toEqual({ sql: 'p.id = ANY(?::uuid[])', bindings: [['a', 'b']] });
  });

  it('filters nothing, with no binding, for every row', () => {
    expect(keysFilter('p.id', 'all')).toEqual({ sql: 'true', bindings: [] });
  });

  it('has nothing to act on only for an empty list', () => {
    expect([noKeys([]), noKeys(['a']), noKeys('all')]).toEqual([true, false, false]);
  });
});
