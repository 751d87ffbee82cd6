import { describe, expect, it } from '@jest/globals';
import { sampleBuckets } from './sample-size.js';

describe('the sample a broad query reads', () => {
  const cap = 1_000;

  it('is the smallest when it holds a hundred matches and enough pass every filter to fill the page', () => {
    expect(sampleBuckets({ matches: 150, filtered: 40 }, 20, cap)).toBe(1);
  });

  it('doubles until it is expected to hold a hundred matches', () => {
    expect(sampleBuckets({ matches: 30, filtered: 30 }, 20, cap)).toBe(4);
    expect(sampleBuckets({ matches: 1, filtered: 1 }, 20, cap)).toBe(32);
  });

  it('doubles to fill the page when a larger sample it can afford is expected to fill it', () => {
    // 120 matches: up to 8 buckets (960 expected matches); 10 passing every filter reach 40 = 2 × 20 at 4.
    expect(sampleBuckets({ matches: 120, filtered: 10 }, 20, cap)).toBe(4);
    expect(sampleBuckets({ matches: 120, filtered: 20 }, 20, cap)).toBe(2);
  });

  it('stays at the smallest when no affordable sample would fill the page: the filtered matches are read anyway', () => {
    expect(sampleBuckets({ matches: 120, filtered: 0 }, 20, cap)).toBe(1);
    // 4 passing it: 32 expected at 8 buckets, short of the page's 40.
    expect(sampleBuckets({ matches: 120, filtered: 4 }, 20, cap)).toBe(1);
  });

  it('never reads more than it is expected to hold within the cap', () => {
    expect(sampleBuckets({ matches: 600, filtered: 0 }, 20, cap)).toBe(1);
    // 40 matches would want 4 buckets for the estimate, but 4 would hold 160 of a cap of 100.
    expect(sampleBuckets({ matches: 40, filtered: 0 }, 20, 100)).toBe(2);
  });
});
