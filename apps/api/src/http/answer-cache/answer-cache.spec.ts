import { describe, expect, it } from '@jest/globals';
import { AnswerCache, type AnswerCacheCounters, type CachedAnswer } from './answer-cache.js';

const counters = (): AnswerCacheCounters & { evictions: Record<string, number> } => {
  const evictions: Record<string, number> = {};
  return { evictions, hit: () => undefined, miss: () => undefined, evicted: (reason, count = 1) => void (evictions[reason] = (evictions[reason] ?? 0) + count) };
};
const answer = (keys: string[], bytes = 100, validUntil = Number.POSITIVE_INFINITY): CachedAnswer => ({ family: 'f', route: '/r', identity: Buffer.alloc(bytes), etag: '"e"', keys, validUntil });

describe('AnswerCache', () => {
  it('evicts the answers of a changed key and keeps the others', () => {
    const cache = new AnswerCache(1_000_000, counters());
    cache.store('a', answer(['bike:1']), cache.mark());
    cache.store('b', answer(['bike:2']), cache.mark());
    cache.invalidate(['bike:1']);
    expect(cache.get('f', 'a', 0)).toBeUndefined();
    expect(cache.get('f', 'b', 0)).toBeDefined();
  });

  it('refuses an answer whose key changed while it was being computed', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const mark = cache.mark();
    cache.invalidate(['bike:1']);
    expect(cache.store('a', answer(['bike:1']), mark)).toBe(false);
    expect(cache.store('b', answer(['bike:2']), mark)).toBe(true);
  });

  it('refuses every answer in flight across a flush, or across more changes than it remembers', () => {
    const cache = new AnswerCache(1_000_000, counters());
    const beforeFlush = cache.mark();
    cache.flush();
    expect(cache.store('a', answer(['bike:2']), beforeFlush)).toBe(false);
    const beforeMany = cache.mark();
    for (let i = 0; i < 300; i++) cache.invalidate([`part:${i}`]);
    expect(cache.store('b', answer(['bike:2']), beforeMany)).toBe(false);
  });

  it('drops the least recently used answers to stay within its byte budget', () => {
    const spy = counters();
    const cache = new AnswerCache(2_000, spy);
    for (let i = 0; i < 10; i++) cache.store(`k${i}`, answer([`bike:${i}`], 400), cache.mark());
    expect(cache.bytes).toBeLessThanOrEqual(2_000);
    expect(cache.get('f', 'k9', 0)).toBeDefined();
    expect(cache.get('f', 'k0', 0)).toBeUndefined();
    expect(spy.evictions.budget).toBeGreaterThan(0);
    // An evicted answer leaves no index behind: invalidating its key evicts nothing more.
    cache.invalidate(['bike:0']);
    expect(spy.evictions.changed ?? 0).toBe(0);
  });

  it('stops serving an answer once the clock has changed it', () => {
    const cache = new AnswerCache(1_000_000, counters());
    cache.store('a', answer(['part:1'], 10, 5_000), cache.mark());
    expect(cache.get('f', 'a', 4_999)).toBeDefined();
    expect(cache.get('f', 'a', 5_000)).toBeUndefined();
  });
});
