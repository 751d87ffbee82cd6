import { describe, expect, it } from '@jest/globals';
import { changedKeys } from './listing-changes.js';

describe('changedKeys', () => {
  it('names a bike, a part and the cascade once each, in a stable order', () => {
    expect(changedKeys({ bikes: ['b2', 'b1', 'b2'], parts: ['p1'], cascade: true })).toEqual(['bike:b1', 'bike:b2', 'catalog', 'part:p1']);
  });

  it('leaves the cascade alone when no bike was registered', () => {
    expect(changedKeys({ bikes: [], parts: ['p1'], cascade: false })).toEqual(['part:p1']);
  });
});
