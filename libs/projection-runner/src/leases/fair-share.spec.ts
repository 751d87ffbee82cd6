import { describe, expect, it } from '@jest/globals';
import { fairShare, planLeaseChanges } from './fair-share.js';

const ALL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe('fairShare', () => {
  it('gives every unit to a lone process and rounds up so that all units are taken', () => {
    expect(fairShare(8, 1)).toBe(8);
    expect(fairShare(8, 3)).toBe(3);
    expect(fairShare(8, 3) * 3).toBeGreaterThanOrEqual(8);
    expect(fairShare(8, 8)).toBe(1);
    expect(fairShare(2, 3)).toBe(1);
  });

  it('counts a process that has not yet seen its own heartbeat as one', () => {
    expect(fairShare(8, 0)).toBe(8);
  });
});

describe('planLeaseChanges', () => {
  it('releases what is held beyond the share, from the end of the list', () => {
    expect(planLeaseChanges(ALL, new Set(ALL), 3)).toEqual({ release: ['d', 'e', 'f', 'g', 'h'], candidates: [], acquireUpTo: 0 });
  });

  it('offers the names not held here when below the share', () => {
    expect(planLeaseChanges(ALL, new Set(['b']), 3)).toEqual({ release: [], candidates: ['a', 'c', 'd', 'e', 'f', 'g', 'h'], acquireUpTo: 2 });
  });

  it('changes nothing at exactly the share', () => {
    expect(planLeaseChanges(ALL, new Set(['a', 'b', 'c']), 3)).toMatchObject({ release: [], acquireUpTo: 0 });
  });
});
