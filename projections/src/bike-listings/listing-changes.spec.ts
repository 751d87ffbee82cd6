import { describe, expect, it } from '@jest/globals';
import { touch, versionsOf } from './listing-changes.js';

describe('versionsOf', () => {
  it('labels each bike, part and the cascade with the last position that touched it', () => {
    const versions = versionsOf({ bikes: new Map([['b1', 5n], ['b2', 7n]]), parts: new Map([['p1', 6n]]), cascade: 5n });
    expect(Object.fromEntries(versions)).toEqual({ 'bike:b1': 5n, 'bike:b2': 7n, 'part:p1': 6n, catalog: 5n });
  });

  it('leaves the cascade alone when no bike was registered', () => {
    expect([...versionsOf({ bikes: new Map(), parts: new Map([['p1', 3n]]), cascade: undefined }).keys()]).toEqual(['part:p1']);
  });
});

describe('touch', () => {
  it('keeps the later of two positions, whichever comes first', () => {
    const positions = new Map<string, bigint>();
    touch(positions, 'k', 9n);
    touch(positions, 'k', 4n);
    expect(positions.get('k')).toBe(9n);
    touch(positions, 'k', 12n);
    expect(positions.get('k')).toBe(12n);
  });
});
