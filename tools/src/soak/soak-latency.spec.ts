import { describe, expect, it } from '@jest/globals';
import { LatencyBreakdown, requestKind } from './soak-latency.js';

describe('LatencyBreakdown', () => {
  const breakdown = () => {
    const latency = new LatencyBreakdown(0);
    // second 0: three fast reads; second 1: a slow command and a fast read.
    latency.record('GET /api/bikes', 0, 10);
    latency.record('GET /api/bikes', 100, 130);
    latency.record('GET /api/search?q', 200, 220);
    latency.record('POST /api/verifications', 400, 1_500);
    latency.record('GET /api/bikes', 1_200, 1_210);
    return latency;
  };

  it('names the kinds of one second, slowest first, and only those that finished in it', () => {
    expect(breakdown().kindsIn(1)).toEqual([
      expect.objectContaining({ kind: 'POST /api/verifications', count: 1, p99: 1_100 }),
      expect.objectContaining({ kind: 'GET /api/bikes', count: 1, p99: 10 }),
    ]);
    expect(breakdown().kindsIn(0).map((k) => [k.kind, k.count])).toEqual([
      ['GET /api/bikes', 2],
      ['GET /api/search?q', 1],
    ]);
    expect(breakdown().kindsIn(7)).toEqual([]);
  });

  it('groups seconds by when a request finished', () => {
    expect(breakdown().bySecond().map((s) => [s.second, s.count])).toEqual([
      [0, 3],
      [1, 2],
    ]);
  });
});

describe('requestKind', () => {
  it('replaces ids and drops query values', () => {
    expect(requestKind('GET', '/api/parts/0b6c6f7e-2c1a-4c59-9a7e-5f1f2b3c4d5e/compatibility?bikeId=x')).toBe('GET /api/parts/:id/compatibility?bikeId');
  });
});
